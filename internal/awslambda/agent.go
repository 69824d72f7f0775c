package awslambda

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/askdb/askdb/internal/fault"
	"github.com/askdb/askdb/internal/pipeline"
)

// AgentEvent is the input event of a Bedrock Agent action group. Function
// is set for groups defined by function details; APIPath and HTTPMethod
// for groups defined by an OpenAPI schema.
type AgentEvent struct {
	MessageVersion          string            `json:"messageVersion"`
	Agent                   AgentInfo         `json:"agent"`
	InputText               string            `json:"inputText"`
	SessionID               string            `json:"sessionId"`
	ActionGroup             string            `json:"actionGroup"`
	Function                string            `json:"function,omitempty"`
	APIPath                 string            `json:"apiPath,omitempty"`
	HTTPMethod              string            `json:"httpMethod,omitempty"`
	Parameters              []AgentParameter  `json:"parameters,omitempty"`
	RequestBody             *AgentRequestBody `json:"requestBody,omitempty"`
	SessionAttributes       map[string]string `json:"sessionAttributes,omitempty"`
	PromptSessionAttributes map[string]string `json:"promptSessionAttributes,omitempty"`
}

// AgentInfo names the agent that called.
type AgentInfo struct {
	Name    string `json:"name"`
	ID      string `json:"id"`
	Alias   string `json:"alias"`
	Version string `json:"version"`
}

// AgentParameter is one named argument.
type AgentParameter struct {
	Name  string `json:"name"`
	Type  string `json:"type"`
	Value string `json:"value"`
}

// AgentRequestBody is an OpenAPI operation's body, by content type.
type AgentRequestBody struct {
	Content map[string]struct {
		Properties []AgentParameter `json:"properties"`
	} `json:"content"`
}

// AgentResponse is what the Lambda function answers the agent.
type AgentResponse struct {
	MessageVersion          string            `json:"messageVersion"`
	Response                AgentResult       `json:"response"`
	SessionAttributes       map[string]string `json:"sessionAttributes,omitempty"`
	PromptSessionAttributes map[string]string `json:"promptSessionAttributes,omitempty"`
}

// AgentResult is the response object: function details fill Function and
// FunctionResponse; OpenAPI groups fill APIPath, HTTPMethod,
// HTTPStatusCode, ResponseBody and ResponseState.
type AgentResult struct {
	ActionGroup      string              `json:"actionGroup"`
	Function         string              `json:"function,omitempty"`
	FunctionResponse *FunctionResponse   `json:"functionResponse,omitempty"`
	APIPath          string              `json:"apiPath,omitempty"`
	HTTPMethod       string              `json:"httpMethod,omitempty"`
	HTTPStatusCode   int                 `json:"httpStatusCode,omitempty"`
	ResponseBody     map[string]BodyText `json:"responseBody,omitempty"`
	ResponseState    string              `json:"responseState,omitempty"`
}

// FunctionResponse is a function-details result; the body key is "TEXT".
type FunctionResponse struct {
	ResponseState string              `json:"responseState,omitempty"`
	ResponseBody  map[string]BodyText `json:"responseBody"`
}

// BodyText is one response body.
type BodyText struct {
	Body string `json:"body"`
}

// Response states: REPROMPT sends the body back to the agent's model (a
// refusal it can correct); FAILURE ends the turn with a dependency error.
const (
	StateReprompt = "REPROMPT"
	StateFailure  = "FAILURE"
)

// Agent functions.
const (
	FuncGenerateSQL = "generate-sql"
	FuncExecuteSQL  = "execute-sql"
	FuncAsk         = "ask"
)

// agentOutcome is the result of one agent call before it is shaped.
type agentOutcome struct {
	status int    // HTTP-like: 200, 400 refused, 404 unknown function, 500 fault
	state  string // "" on success
	body   string
}

func (h *Handler) agent(ctx context.Context, payload []byte) (AgentResponse, error) {
	var ev AgentEvent
	if err := json.Unmarshal(payload, &ev); err != nil {
		return AgentResponse{}, fmt.Errorf("decode Bedrock Agent event: %w", err)
	}
	name := ev.Function
	if name == "" {
		name = ev.APIPath
	}
	h.opts.Logger.Info("agent call", "action_group", ev.ActionGroup, "function", name, "session", ev.SessionID)
	out := h.agentCall(ctx, normalize(name), ev.args())
	resp := AgentResponse{
		MessageVersion:          "1.0",
		Response:                AgentResult{ActionGroup: ev.ActionGroup},
		SessionAttributes:       ev.SessionAttributes,
		PromptSessionAttributes: ev.PromptSessionAttributes,
	}
	if ev.Function != "" || ev.APIPath == "" {
		resp.Response.Function = ev.Function
		resp.Response.FunctionResponse = &FunctionResponse{ResponseState: out.state, ResponseBody: map[string]BodyText{"TEXT": {Body: out.body}}}
		return resp, nil
	}
	resp.Response.APIPath, resp.Response.HTTPMethod = ev.APIPath, ev.HTTPMethod
	resp.Response.HTTPStatusCode, resp.Response.ResponseState = out.status, out.state
	resp.Response.ResponseBody = map[string]BodyText{"application/json": {Body: out.body}}
	return resp, nil
}

// args merges parameters and request-body properties into one map.
func (ev *AgentEvent) args() map[string]string {
	args := map[string]string{}
	for _, p := range ev.Parameters {
		args[p.Name] = p.Value
	}
	if ev.RequestBody != nil {
		for _, c := range ev.RequestBody.Content {
			for _, p := range c.Properties {
				args[p.Name] = p.Value
			}
		}
	}
	return args
}

// normalize maps "/generate-sql", "generate_sql" and "generateSql" alike.
func normalize(name string) string {
	name = strings.ToLower(strings.Trim(strings.TrimSpace(name), "/"))
	name = strings.ReplaceAll(name, "_", "-")
	switch name {
	case "generatesql":
		return FuncGenerateSQL
	case "executesql":
		return FuncExecuteSQL
	}
	return name
}

func (h *Handler) agentCall(ctx context.Context, fn string, args map[string]string) agentOutcome {
	if h.opts.Pipeline == nil {
		return h.failed(errors.New("the question pipeline is not configured in this function"))
	}
	src := args["source"]
	switch fn {
	case FuncGenerateSQL, FuncAsk:
		q := firstNonEmpty(args["question"], args["query"])
		if q == "" {
			return refused(map[string]any{"error": "the question parameter is required"})
		}
		ans, err := h.opts.Pipeline.Ask(ctx, pipeline.Request{Question: q, Source: src, DryRun: fn == FuncGenerateSQL})
		return h.answer(ans, err)
	case FuncExecuteSQL:
		sql := firstNonEmpty(args["query"], args["sql"])
		if sql == "" {
			return refused(map[string]any{"error": "the query parameter is required: one read-only SELECT statement"})
		}
		ans, err := h.opts.Pipeline.RunSQL(ctx, src, sql, nil)
		return h.answer(ans, err)
	}
	return agentOutcome{status: http.StatusNotFound, state: StateFailure,
		body: mustJSON(map[string]any{"error": fmt.Sprintf("unknown function %q: askdb serves %s, %s and %s", fn, FuncGenerateSQL, FuncExecuteSQL, FuncAsk)})}
}

func firstNonEmpty(vs ...string) string {
	for _, v := range vs {
		if strings.TrimSpace(v) != "" {
			return v
		}
	}
	return ""
}

func (h *Handler) answer(ans *pipeline.Answer, err error) agentOutcome {
	if err != nil {
		// What the agent can fix (package fault's User errors) is a reprompt.
		if c := fault.Classify(err); c.Category == fault.User {
			return refused(map[string]any{"error": c.Message})
		}
		return h.failed(err)
	}
	switch ans.Outcome {
	case pipeline.Answered, pipeline.Generated:
		return agentOutcome{status: http.StatusOK, body: h.compact(ans)}
	case pipeline.Clarify:
		// The agent asks the user to choose, then calls again with source.
		return agentOutcome{status: http.StatusBadRequest, state: StateReprompt, body: mustJSON(map[string]any{
			"outcome": ans.Outcome, "question": ans.Message, "choices": ans.Clarification.Choices, "route": ans.Route,
			"hint": "ask the user which one, then call again with the choice's question (and source)"})}
	case pipeline.Failed:
		// Failed with a nil error is the database rejecting the SQL: the agent can fix it.
		return refused(map[string]any{"error": ans.Message, "sql": ans.SQL, "hint": "check table and column names and try again"})
	}
	return refused(map[string]any{"outcome": ans.Outcome, "error": ans.Message, "sql": ans.SQL,
		"hint": "askdb only runs one read-only SELECT; it never changes data"})
}

func refused(body map[string]any) agentOutcome {
	for k, v := range body {
		if v == "" {
			delete(body, k)
		}
	}
	return agentOutcome{status: http.StatusBadRequest, state: StateReprompt, body: mustJSON(body)}
}

// failed answers a failure the agent cannot fix: the message is redacted,
// and says when trying again may help.
func (h *Handler) failed(err error) agentOutcome {
	h.opts.Logger.Error("agent call failed", "err", err)
	c := fault.Classify(err)
	body := map[string]any{"error": c.Message}
	if c.RetryAfter > 0 {
		body["retry_after_seconds"] = int(c.RetryAfter.Seconds())
	}
	return agentOutcome{status: http.StatusInternalServerError, state: StateFailure, body: mustJSON(body)}
}

func mustJSON(v any) string {
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf(`{"error":%q}`, err.Error())
	}
	return string(data)
}

// routeReason says why routing chose the source; empty when the call
// named one.
func routeReason(ans *pipeline.Answer) string {
	if ans.Route == nil {
		return ""
	}
	return ans.Route.Reason
}
