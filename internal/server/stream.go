package server

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
	"time"

	"github.com/askdb/askdb/internal/pipeline"
	"github.com/askdb/askdb/internal/trace"
)

// SSE event names.
const (
	eventStep   = "step"
	eventAnswer = "answer"
	eventError  = "error"
)

func wantsStream(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept"), ",") {
		if mt, _, err := mime.ParseMediaType(strings.TrimSpace(part)); err == nil && mt == "text/event-stream" {
			return true
		}
	}
	return false
}

// result is what the pipeline goroutine hands back to the stream.
type result struct {
	ans *pipeline.Answer
	err error
}

// stream runs the question in a goroutine and writes each step as an
// `event: step` as soon as it finishes, comments as heartbeats while a
// step is slow, and finally `event: answer` or `event: error`. Only this
// goroutine writes to w; the pipeline goroutine talks through channels
// and always finishes before stream returns.
func (s *Server) stream(ctx context.Context, w http.ResponseWriter, run runFunc) {
	rc := http.NewResponseController(w)
	h := w.Header()
	h.Set("Content-Type", "text/event-stream; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	_ = rc.Flush()

	steps := make(chan trace.Step, 16)
	done := make(chan result, 1)
	go func() {
		obs := func(st trace.Step) {
			select {
			case steps <- st:
			case <-ctx.Done():
			}
		}
		ans, err := run(ctx, obs)
		done <- result{ans, err}
	}()

	beat := time.NewTicker(s.opts.Heartbeat)
	defer beat.Stop()
	for {
		select {
		case st := <-steps:
			s.sendEvent(w, rc, eventStep, st)
		case <-beat.C:
			_, _ = io.WriteString(w, ": heartbeat\n\n")
			_ = rc.Flush()
		case res := <-done:
			for drained := false; !drained; {
				select {
				case st := <-steps:
					s.sendEvent(w, rc, eventStep, st)
				default:
					drained = true
				}
			}
			resp, e := s.finish(ctx, res.ans, res.err)
			if e != nil {
				s.sendEvent(w, rc, eventError, apiError{Error: errorBody{Code: e.code, Message: e.msg, AnswerID: e.answerID}})
				return
			}
			s.sendEvent(w, rc, eventAnswer, resp)
			return
		}
	}
}

// sendEvent writes one SSE event. JSON has no raw newlines, so the data
// is always a single data: line.
func (s *Server) sendEvent(w io.Writer, rc *http.ResponseController, event string, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		s.log.Error("encode event", "event", event, "err", err)
		b = []byte(`{"error":{"code":"internal","message":"could not encode the event"}}`)
		event = eventError
	}
	_ = rc.SetWriteDeadline(time.Now().Add(s.opts.RequestTimeout))
	if _, err := fmt.Fprintf(w, "event: %s\ndata: %s\n\n", event, b); err != nil {
		return
	}
	_ = rc.Flush()
}
