package trinofake

import (
	"context"
	"fmt"
	"sync"
)

// query is one statement's state on the coordinator.
type query struct {
	id, slug  string
	done      chan struct{}
	cancelRun context.CancelFunc

	mu         sync.Mutex
	cols       []column
	rows       [][]any
	err        *Error
	token      int // the token the next GET must carry
	sent       int // rows already answered
	updateType string
	canceled   bool
}

// finish records the outcome; the first outcome wins.
func (q *query) finish(cols []column, rows [][]any, err error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	select {
	case <-q.done:
		return
	default:
	}
	q.cols, q.rows = cols, rows
	if err != nil {
		q.err = asError(err)
	}
	close(q.done)
}

// update finishes a statement that returns no rows.
func (q *query) update(kind string) {
	q.mu.Lock()
	q.updateType = kind
	q.mu.Unlock()
	q.finish(nil, nil, nil)
}

// stop cancels the query, as DELETE does.
func (q *query) stop() {
	q.mu.Lock()
	q.canceled = true
	cancel := q.cancelRun
	q.mu.Unlock()
	if cancel != nil {
		cancel()
	}
	q.finish(nil, nil, trinoError("USER_CANCELED", 3, "USER_ERROR", "Query was canceled"))
}

func (q *query) expect(token int) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	return token == q.token
}

// response is the QueryResults document for the current state. The first
// (POST) response never carries data, as on a real coordinator.
func (q *query) response(base string, pageSize int, mayAnswer bool) map[string]any {
	q.mu.Lock()
	defer q.mu.Unlock()
	resp := map[string]any{"id": q.id, "infoUri": base + "/ui/query.html?" + q.id}
	nextURI := func() string {
		q.token++
		return fmt.Sprintf("%s/v1/statement/executing/%s/%s/%d", base, q.id, q.slug, q.token)
	}
	finished := false
	select {
	case <-q.done:
		finished = true
	default:
	}
	switch {
	case !mayAnswer && !(finished && (q.err != nil || q.updateType != "")):
		resp["stats"] = map[string]any{"state": "QUEUED"}
		resp["nextUri"] = nextURI()
	case !finished:
		resp["stats"] = map[string]any{"state": "RUNNING"}
		resp["nextUri"] = nextURI()
	case q.err != nil:
		resp["stats"] = map[string]any{"state": "FAILED"}
		resp["error"] = q.err
	case q.updateType != "":
		resp["stats"] = map[string]any{"state": "FINISHED"}
		resp["updateType"] = q.updateType
	default:
		resp["stats"] = map[string]any{"state": "RUNNING"}
		resp["columns"] = q.cols
		end := min(q.sent+pageSize, len(q.rows))
		if page := q.rows[q.sent:end]; len(page) > 0 {
			resp["data"] = page
		}
		q.sent = end
		if end < len(q.rows) {
			resp["nextUri"] = nextURI()
		} else {
			resp["stats"] = map[string]any{"state": "FINISHED"}
		}
	}
	return resp
}
