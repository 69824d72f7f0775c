package anthropic

import (
	"encoding/json"
	"errors"
	"fmt"

	sdk "github.com/anthropics/anthropic-sdk-go"
	"github.com/askdb/askdb/internal/llm"
)

// classify turns an SDK error into an *llm.Error whose message says what to do.
func (m *Model) classify(id string, err error) error {
	e := &llm.Error{Provider: Kind, Model: id, Region: m.baseURL, Err: err}
	var api *sdk.Error
	if !errors.As(err, &api) {
		return e.ClassifyTransport(m.server(), "check the network or base_url")
	}
	e.Kind, e.Retryable = llm.KindForStatus(api.StatusCode)
	e.Message = m.statusMessage(id, e.Kind, api.StatusCode, detail(api.RawJSON()))
	return e
}

func (m *Model) statusMessage(id string, kind llm.ErrorKind, status int, detail string) string {
	srv := m.server()
	if detail != "" {
		detail = ": " + detail
	}
	switch kind {
	case llm.Auth:
		return fmt.Sprintf("%s rejected the API key: set ANTHROPIC_API_KEY (or api_key for this model)", srv)
	case llm.AccessDenied:
		return fmt.Sprintf("%s denied access to model %q (HTTP 403)%s: check the key's workspace and model permissions", srv, id, detail)
	case llm.NotFound:
		return fmt.Sprintf("%s has no model %q (HTTP 404)%s: check model: in askdb.yaml", srv, id, detail)
	case llm.Throttled:
		return fmt.Sprintf("%s is rate-limiting model %q (HTTP 429)%s: wait or raise the rate limit", srv, id, detail)
	case llm.Unavailable:
		return fmt.Sprintf("%s is unavailable or overloaded for model %q (HTTP %d)%s: try again later", srv, id, status, detail)
	case llm.InvalidRequest:
		return fmt.Sprintf("%s rejected the request to model %q (HTTP %d)%s", srv, id, status, detail)
	}
	return fmt.Sprintf("%s: model %q: HTTP %d%s", srv, id, status, detail)
}

func (m *Model) server() string {
	if m.baseURL == DefaultBaseURL {
		return "Anthropic"
	}
	return fmt.Sprintf("Anthropic API at %s", m.baseURL)
}

// detail pulls the message out of an Anthropic error body:
// {"type":"error","error":{"type":"...","message":"..."}}.
func detail(raw string) string {
	var body struct {
		Error struct {
			Message string `json:"message"`
		} `json:"error"`
	}
	if json.Unmarshal([]byte(raw), &body) != nil {
		return ""
	}
	return body.Error.Message
}
