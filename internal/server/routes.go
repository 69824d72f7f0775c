package server

import (
	"net/http"
	"strings"
)

// route is one API route. The table is what the mux serves; the OpenAPI
// document is written by hand and a test checks that the two agree.
type route struct {
	method, path string
	handler      http.HandlerFunc
	// auth: needs an API key when keys are configured.
	auth bool
	// limited: counts against the client's rate and concurrency limits.
	limited bool
}

func (s *Server) routeTable() []route {
	return []route{
		{method: "POST", path: "/api/ask", handler: s.handleAsk, auth: true, limited: true},
		{method: "POST", path: "/api/sql", handler: s.handleSQL, auth: true, limited: true},
		{method: "GET", path: "/api/sources", handler: s.handleSources, auth: true},
		{method: "GET", path: "/api/sources/{name}/schema", handler: s.handleSchema, auth: true, limited: true},
		{method: "GET", path: "/api/answers/{id}", handler: s.handleAnswer, auth: true},
		{method: "POST", path: "/api/answers/{id}/feedback", handler: s.handleFeedback, auth: true, limited: true},
		{method: "GET", path: "/api/openapi.json", handler: s.handleOpenAPI},
		{method: "GET", path: "/healthz", handler: s.handleHealth},
		{method: "GET", path: "/readyz", handler: s.handleReady},
		{method: "GET", path: "/metrics", handler: s.handleMetrics, auth: true},
	}
}

func (s *Server) routes() {
	for _, rt := range s.routeTable() {
		h := http.Handler(rt.handler)
		if rt.limited {
			h = s.limit(h)
		}
		if rt.auth {
			h = s.authenticate(h)
		}
		s.mux.Handle(rt.method+" "+rt.path, h)
	}
	for prefix, h := range s.opts.Mounts {
		// Mounted servers (MCP) share the API's key check and per-client limits.
		s.mux.Handle(prefix, s.authenticate(s.limit(h)))
	}
	s.mux.HandleFunc("/api/", s.handleNoRoute)
	ui := uiHandler(s.log)
	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if allow := s.allowed(r); len(allow) > 0 {
			methodNotAllowed(w, r, allow)
			return
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			methodNotAllowed(w, r, []string{"GET", "HEAD"})
			return
		}
		ui.ServeHTTP(w, r)
	})
}

// allowed lists the methods of the API routes that serve r's path.
func (s *Server) allowed(r *http.Request) []string {
	var allow []string
	for _, m := range []string{"GET", "POST", "PUT", "PATCH", "DELETE"} {
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, pattern := s.mux.Handler(probe); pattern != "/api/" && pattern != "/" && pattern != "" {
			allow = append(allow, m)
		}
	}
	return allow
}

func methodNotAllowed(w http.ResponseWriter, r *http.Request, allow []string) {
	w.Header().Set("Allow", strings.Join(allow, ", "))
	writeError(w, http.StatusMethodNotAllowed, "method_not_allowed", r.Method+" is not allowed on "+r.URL.Path+"; use "+strings.Join(allow, " or "))
}

// handleNoRoute answers unknown API paths with a JSON 404, or a 405 with
// an Allow header when the path exists under another method.
func (s *Server) handleNoRoute(w http.ResponseWriter, r *http.Request) {
	if allow := s.allowed(r); len(allow) > 0 {
		methodNotAllowed(w, r, allow)
		return
	}
	writeError(w, http.StatusNotFound, "route_not_found", "no API route "+r.URL.Path+"; see /api/openapi.json")
}
