package openai

import (
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/askdb/askdb/internal/llm"
	sdk "github.com/openai/openai-go"
)

// classify turns an SDK error into an *llm.Error whose message says what to do.
func (m *Model) classify(id string, err error) error {
	e := &llm.Error{Provider: Kind, Model: id, Region: m.baseURL, Err: err}
	var api *sdk.Error
	if !errors.As(err, &api) {
		return e.ClassifyTransport(m.server(), m.hint())
	}
	e.Kind, e.Retryable = llm.KindForStatus(api.StatusCode)
	e.Message = m.statusMessage(id, e.Kind, api.StatusCode, api.Message)
	return e
}

func (m *Model) statusMessage(id string, kind llm.ErrorKind, status int, detail string) string {
	srv := m.server()
	if detail != "" {
		detail = ": " + detail
	}
	switch kind {
	case llm.Auth:
		return fmt.Sprintf("%s rejected the API key: set OPENAI_API_KEY or api_key for this model", srv)
	case llm.AccessDenied:
		return fmt.Sprintf("%s denied access to model %q (HTTP 403)%s: check that the key may use this model", srv, id, detail)
	case llm.NotFound:
		if m.isOllama() {
			return fmt.Sprintf("%s has no model %q: run `ollama pull %s` or fix model:", srv, id, id)
		}
		return fmt.Sprintf("%s has no model %q (HTTP 404)%s: check model: and base_url", srv, id, detail)
	case llm.Throttled:
		return fmt.Sprintf("%s is rate-limiting model %q (HTTP 429)%s: wait, lower the request rate or raise the quota", srv, id, detail)
	case llm.Unavailable:
		return fmt.Sprintf("%s failed for model %q (HTTP %d)%s: the server is down or overloaded, try again", srv, id, status, detail)
	case llm.InvalidRequest:
		return fmt.Sprintf("%s rejected the request to model %q (HTTP %d)%s", srv, id, status, detail)
	}
	return fmt.Sprintf("%s: model %q: HTTP %d%s", srv, id, status, detail)
}

// server names the endpoint the way a user knows it.
func (m *Model) server() string {
	if m.baseURL == DefaultBaseURL {
		return "OpenAI"
	}
	return fmt.Sprintf("OpenAI-compatible server at %s", m.baseURL)
}

func (m *Model) isOllama() bool {
	u, err := url.Parse(m.baseURL)
	return err == nil && (u.Port() == "11434" || strings.Contains(u.Host, "ollama"))
}

func (m *Model) hint() string {
	if m.isOllama() {
		return "is Ollama running? (start it with `ollama serve`)"
	}
	return "is the server running, and is base_url right?"
}
