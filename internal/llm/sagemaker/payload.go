package sagemaker

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/askdb/askdb/internal/llm"
)

// The request bodies an endpoint may take (config key payload:).
const (
	// PayloadMessages is the OpenAI-style chat body; the default.
	PayloadMessages = "messages"
	// PayloadTGI is Hugging Face TGI's {"inputs", "parameters"} body.
	PayloadTGI = "tgi"
)

func payloadOf(s string) (string, error) {
	switch p := strings.ToLower(strings.TrimSpace(s)); p {
	case "":
		return PayloadMessages, nil
	case PayloadMessages, PayloadTGI:
		return p, nil
	}
	return "", fmt.Errorf("payload: %q is not a SageMaker payload (known: %s, %s)", s, PayloadMessages, PayloadTGI)
}

type chatMessage struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

type messagesRequest struct {
	Messages    []chatMessage `json:"messages"`
	MaxTokens   int           `json:"max_tokens"`
	Temperature *float64      `json:"temperature,omitempty"`
	Stop        []string      `json:"stop,omitempty"`
}

func encodeMessages(req llm.Request, maxTokens int, temp *float64) ([]byte, error) {
	in := messagesRequest{MaxTokens: maxTokens, Temperature: temp, Stop: req.Stop}
	if req.System != "" {
		in.Messages = append(in.Messages, chatMessage{Role: "system", Content: req.System})
	}
	for _, msg := range req.Messages {
		in.Messages = append(in.Messages, chatMessage{Role: string(msg.Role), Content: msg.Content})
	}
	return json.Marshal(in)
}

type tgiRequest struct {
	Inputs     string        `json:"inputs"`
	Parameters tgiParameters `json:"parameters"`
}

type tgiParameters struct {
	MaxNewTokens int `json:"max_new_tokens"`
	// Temperature must be strictly positive for TGI; 0 is sent as
	// do_sample false (greedy) with no temperature.
	Temperature    *float64 `json:"temperature,omitempty"`
	DoSample       bool     `json:"do_sample"`
	Stop           []string `json:"stop,omitempty"`
	ReturnFullText bool     `json:"return_full_text"`
	Details        bool     `json:"details"`
}

// turnStop ends a tgi answer where the model would start writing the
// user's next turn of the transcript.
const turnStop = "\nUser:"

func encodeTGI(req llm.Request, maxTokens int, temp *float64) ([]byte, string, error) {
	prompt := transcript(req)
	p := tgiParameters{MaxNewTokens: maxTokens, Details: true, Stop: append(append([]string(nil), req.Stop...), turnStop)}
	if temp != nil && *temp > 0 {
		p.Temperature, p.DoSample = temp, true
	}
	body, err := json.Marshal(tgiRequest{Inputs: prompt, Parameters: p})
	return body, prompt, err
}

// transcript renders a conversation as plain text for a model whose chat
// template the client does not know: the system prompt, then
// "User:"/"Assistant:" turns, ending with an open assistant turn.
func transcript(req llm.Request) string {
	var sb strings.Builder
	if req.System != "" {
		sb.WriteString(req.System)
		sb.WriteString("\n\n")
	}
	for _, msg := range req.Messages {
		if msg.Role == llm.RoleAssistant {
			sb.WriteString("Assistant: ")
		} else {
			sb.WriteString("User: ")
		}
		sb.WriteString(msg.Content)
		sb.WriteString("\n")
	}
	sb.WriteString("Assistant:")
	return sb.String()
}

// generation is one answer in any of the shapes JumpStart containers use.
type generation struct {
	GeneratedText *string         `json:"generated_text"`
	Generation    json.RawMessage `json:"generation"` // a string, or {"role", "content"}
	Details       *struct {
		FinishReason    string `json:"finish_reason"`
		GeneratedTokens int    `json:"generated_tokens"`
	} `json:"details"`
	Choices []struct {
		Message *struct {
			Content string `json:"content"`
		} `json:"message"`
		Text         *string `json:"text"`
		FinishReason string  `json:"finish_reason"`
	} `json:"choices"`
	Usage *struct {
		PromptTokens     int `json:"prompt_tokens"`
		CompletionTokens int `json:"completion_tokens"`
	} `json:"usage"`
}

var errNoText = errors.New("no generated_text, generation or choices in the answer")

// decode reads an endpoint's answer. A tgi container that ignores
// return_full_text echoes the prompt first; that echo is cut off.
func decode(body []byte, prompt string) (*llm.Response, error) {
	body = bytes.TrimSpace(body)
	var g generation
	if len(body) > 0 && body[0] == '[' {
		var list []generation
		if err := json.Unmarshal(body, &list); err != nil {
			return nil, fmt.Errorf("%w: %s", err, clip(body))
		}
		if len(list) == 0 {
			return nil, fmt.Errorf("an empty list: %s", clip(body))
		}
		g = list[0]
	} else if err := json.Unmarshal(body, &g); err != nil {
		return nil, fmt.Errorf("%w: %s", err, clip(body))
	}
	resp, ok := g.response()
	if !ok {
		return nil, fmt.Errorf("%w: %s", errNoText, clip(body))
	}
	if prompt != "" {
		resp.Text = strings.TrimPrefix(resp.Text, prompt)
	}
	resp.Text = strings.TrimSpace(resp.Text)
	return resp, nil
}

func (g generation) response() (*llm.Response, bool) {
	resp := &llm.Response{}
	if g.Usage != nil {
		resp.Usage = llm.Usage{InputTokens: g.Usage.PromptTokens, OutputTokens: g.Usage.CompletionTokens}
	}
	if g.Details != nil {
		resp.StopReason = g.Details.FinishReason
		resp.Usage.OutputTokens = g.Details.GeneratedTokens
	}
	switch {
	case g.GeneratedText != nil:
		resp.Text = *g.GeneratedText
	case len(g.Generation) > 0 && string(g.Generation) != "null":
		var s string
		var msg chatMessage
		switch {
		case json.Unmarshal(g.Generation, &s) == nil:
			resp.Text = s
		case json.Unmarshal(g.Generation, &msg) == nil:
			resp.Text = msg.Content
		default:
			return nil, false
		}
	case len(g.Choices) > 0:
		c := g.Choices[0]
		resp.StopReason = c.FinishReason
		switch {
		case c.Message != nil:
			resp.Text = c.Message.Content
		case c.Text != nil:
			resp.Text = *c.Text
		default:
			return nil, false
		}
	default:
		return nil, false
	}
	return resp, true
}

// clip bounds a body quoted in an error message.
func clip(b []byte) string {
	const max = 200
	if len(b) > max {
		return string(b[:max]) + "…"
	}
	return string(b)
}
