package awslambda_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// runtimeAPI is a local implementation of the Lambda Runtime API: the
// function polls /invocation/next and posts /response or /error.
type runtimeAPI struct {
	*httptest.Server
	events  chan []byte
	results chan runtimeResult
	seq     atomic.Int64
}

type runtimeResult struct {
	id    string
	body  []byte
	error bool
}

func newRuntimeAPI(t *testing.T) *runtimeAPI {
	rt := &runtimeAPI{events: make(chan []byte), results: make(chan runtimeResult, 1)}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /2018-06-01/runtime/invocation/next", func(w http.ResponseWriter, r *http.Request) {
		select {
		case ev := <-rt.events:
			id := fmt.Sprintf("req-%d", rt.seq.Add(1))
			w.Header().Set("Lambda-Runtime-Aws-Request-Id", id)
			w.Header().Set("Lambda-Runtime-Deadline-Ms", fmt.Sprint(time.Now().Add(time.Minute).UnixMilli()))
			w.Header().Set("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:us-east-1:123456789012:function:askdb")
			w.Header().Set("Lambda-Runtime-Trace-Id", "Root=1-5759e988-bd862e3fe1be46a994272793")
			_, _ = w.Write(ev)
		case <-r.Context().Done():
		}
	})
	mux.HandleFunc("POST /2018-06-01/runtime/invocation/{id}/{kind}", func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rt.results <- runtimeResult{id: r.PathValue("id"), body: body, error: r.PathValue("kind") == "error"}
		w.WriteHeader(http.StatusAccepted)
	})
	mux.HandleFunc("POST /2018-06-01/runtime/init/error", func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		t.Errorf("init error: %s", body)
		w.WriteHeader(http.StatusAccepted)
	})
	rt.Server = httptest.NewServer(mux)
	t.Cleanup(rt.Close)
	return rt
}

// invoke sends one event and waits for the function's answer.
func (rt *runtimeAPI) invoke(t *testing.T, payload []byte) runtimeResult {
	t.Helper()
	select {
	case rt.events <- payload:
	case <-time.After(60 * time.Second):
		t.Fatal("the function did not ask for the next invocation")
	}
	select {
	case res := <-rt.results:
		return res
	case <-time.After(60 * time.Second):
		t.Fatal("the function did not answer")
	}
	return runtimeResult{}
}

func (rt *runtimeAPI) invokeJSON(t *testing.T, payload []byte, out any) {
	t.Helper()
	res := rt.invoke(t, payload)
	if res.error {
		t.Fatalf("invocation error: %s", res.body)
	}
	if err := json.Unmarshal(res.body, out); err != nil {
		t.Fatalf("decode response %s: %v", res.body, err)
	}
}

func (rt *runtimeAPI) hostPort() string { return strings.TrimPrefix(rt.URL, "http://") }
