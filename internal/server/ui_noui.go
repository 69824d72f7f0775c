//go:build noui

package server

import (
	"io"
	"log/slog"
	"net/http"
)

// uiHandler answers every non-API path with a note: this binary was built
// without the web UI (build tag noui).
func uiHandler(*slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = io.WriteString(w, "askdb: this binary was built without the web UI (build tag noui). The JSON API is under /api/; see /api/openapi.json.\n")
	})
}
