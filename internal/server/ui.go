//go:build !noui

package server

import (
	"embed"
	"io/fs"
	"log/slog"
	"net/http"
)

// uiFiles is the web UI: plain ES modules and CSS, plus the chart library
// checked in under ui/vendor (scripts/ui.sh refreshes it from the version
// web/package-lock.json pins), so a build needs no npm and no network.
//
//go:embed ui
var uiFiles embed.FS

// chartLibrary is the vendored ECharts build the UI loads when present.
const chartLibrary = "vendor/echarts.min.js"

func uiHandler(log *slog.Logger) http.Handler {
	sub, err := fs.Sub(uiFiles, "ui")
	if err != nil {
		panic(err) // the embed pattern guarantees the directory
	}
	if _, err := fs.Stat(sub, chartLibrary); err != nil {
		log.Warn("web UI: the chart library is missing, so answers show tables without charts; restore it with git or run scripts/ui.sh", "file", "internal/server/ui/"+chartLibrary)
	}
	files := http.FileServerFS(sub)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-cache")
		files.ServeHTTP(w, r)
	})
}
