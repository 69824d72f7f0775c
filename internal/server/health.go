package server

import (
	"context"
	_ "embed"
	"net/http"
	"sync"
	"time"
)

//go:embed openapi.json
var openAPIDoc []byte

// readyTimeout bounds each source's ping in /readyz.
const readyTimeout = 2 * time.Second

func (s *Server) handleHealth(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// handleReady pings every source in parallel, each with a short timeout;
// any failure makes the server not ready (503). It needs no key; only an
// authenticated caller sees which source is down.
func (s *Server) handleReady(w http.ResponseWriter, r *http.Request) {
	names := s.opts.Sources.Names()
	status := make(map[string]string, len(names))
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, n := range names {
		wg.Go(func() {
			ctx, cancel := context.WithTimeout(r.Context(), readyTimeout)
			defer cancel()
			msg := "ok"
			src, err := s.opts.Sources.Get(ctx, n)
			if err == nil {
				err = src.Ping(ctx)
			}
			if err != nil {
				s.log.Warn("source not ready", "source", n, "err", err)
				msg = "unreachable"
			}
			mu.Lock()
			status[n] = msg
			mu.Unlock()
		})
	}
	wg.Wait()
	code, overall := http.StatusOK, "ready"
	for _, v := range status {
		if v != "ok" {
			code, overall = http.StatusServiceUnavailable, "not ready"
		}
	}
	body := map[string]any{"status": overall}
	if s.readyDetails(r) {
		body["sources"] = status
	}
	writeJSON(w, code, body)
}

// readyDetails reports whether r may see each source's name and state.
// A probe with no key gets the bare status: source names are for callers
// with an API key. Without keys there is one local user, who sees the
// sources anyway. A wrong key counts against the address like anywhere
// else, so /readyz is no oracle for guessing keys.
func (s *Server) readyDetails(r *http.Request) bool {
	if !s.authRequired() {
		return true
	}
	if r.Header.Get("Authorization") == "" {
		return false
	}
	_, e := s.checkCredential(r)
	return e == nil
}

func (s *Server) handleOpenAPI(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_, _ = w.Write(openAPIDoc)
}
