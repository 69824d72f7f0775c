package llmtest

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// Reply is one scripted answer. A zero Status answers 200 with Text; a
// non-zero Status answers that error. Delay holds the answer back (the
// server gives up early when the client goes away).
type Reply struct {
	Text         string
	InputTokens  int
	OutputTokens int
	// StopReason defaults to the provider's normal end ("end_turn", "stop").
	StopReason string
	// Choices, when set, are the answers to a request asking for n > 1
	// (OpenAI's n): the first n of them. Without Choices the server
	// answers one choice, as servers that ignore n do.
	Choices []string
	// Chunks are the streamed pieces; by default Text is split after each space.
	Chunks []string
	// Embedding is the vector answered to an embedding request.
	Embedding []float32
	// Embed, when set, answers each text of an embedding request with its
	// own vector (Embedding is then unused), so that tests can script
	// which texts are near each other.
	Embed func(text string) []float32

	Status int
	// Code is the provider's error code: the Bedrock exception name
	// ("ThrottlingException") or the OpenAI/Anthropic error type. By
	// default it is derived from Status.
	Code    string
	Message string

	Delay time.Duration
}

// Text is a successful reply with token counts.
func Text(text string, in, out int) Reply {
	return Reply{Text: text, InputTokens: in, OutputTokens: out}
}

// Status is an error reply with an HTTP status and message.
func Status(code int, message string) Reply {
	return Reply{Status: code, Message: message}
}

// Delayed is a successful reply sent after d.
func Delayed(d time.Duration, text string) Reply {
	return Reply{Text: text, InputTokens: 1, OutputTokens: 1, Delay: d}
}

func (r Reply) chunks() []string {
	if r.Chunks != nil {
		return r.Chunks
	}
	return strings.SplitAfter(r.Text, " ")
}

// Request is one request the server received.
type Request struct {
	Method string
	// Path is the unescaped path; RawPath is the path as sent on the wire.
	Path    string
	RawPath string
	Header  http.Header
	Body    []byte
	// Model is the model id the request named (path for Bedrock, body for
	// the others).
	Model  string
	Stream bool
}

// Server is a scripted provider server. Replies are used in order; once
// they run out the last one repeats, so Status(429) alone means "always
// throttled".
type Server struct {
	*httptest.Server
	t       testing.TB
	kind    string
	mu      sync.Mutex
	replies []Reply
	reqs    []Request
	served  int
}

func newServer(t testing.TB, kind string, replies []Reply, h func(s *Server, w http.ResponseWriter, r *http.Request, req *Request, reply Reply)) *Server {
	t.Helper()
	if len(replies) == 0 {
		replies = []Reply{Text("ok", 1, 1)}
	}
	s := &Server{t: t, kind: kind, replies: replies}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		req := Request{Method: r.Method, Path: r.URL.Path, RawPath: r.URL.EscapedPath(), Header: r.Header.Clone(), Body: body}
		reply := s.next()
		if reply.Delay > 0 {
			select {
			case <-time.After(reply.Delay):
			case <-r.Context().Done():
				s.record(req)
				return
			}
		}
		h(s, w, r, &req, reply)
		s.record(req)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *Server) next() Reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	i := min(s.served, len(s.replies)-1)
	s.served++
	return s.replies[i]
}

func (s *Server) record(req Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reqs = append(s.reqs, req)
}

// Requests returns the requests received so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.reqs...)
}

// Count returns how many requests were received, including any still
// being answered.
func (s *Server) Count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.served
}

// Last returns the last request received; it fails the test if none was.
func (s *Server) Last() Request {
	s.t.Helper()
	reqs := s.Requests()
	if len(reqs) == 0 {
		s.t.Fatalf("llmtest: no request received")
	}
	return reqs[len(reqs)-1]
}
