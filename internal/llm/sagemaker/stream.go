package sagemaker

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/askdb/askdb/internal/llm"
	"github.com/aws/aws-sdk-go-v2/service/sagemakerruntime"
	"github.com/aws/aws-sdk-go-v2/service/sagemakerruntime/types"
)

var _ llm.Streamer = (*Model)(nil)

// ChatStream calls InvokeEndpointWithResponseStream with "stream": true
// and forwards text as the container sends it. The container's
// server-sent events ("data: {...}" lines: TGI tokens, or chat deltas)
// arrive split across PayloadPart events at arbitrary bytes.
func (m *Model) ChatStream(ctx context.Context, req llm.Request, onDelta func(string)) (*llm.Response, error) {
	body, _, err := m.encode(req)
	if err == nil {
		body, err = withStream(body)
	}
	if err != nil {
		return nil, fmt.Errorf("sagemaker model %q: encode request: %w", m.name, err)
	}
	return m.policy.DoStream(ctx, onDelta, func(ctx context.Context, endpoint string, emit func(string)) (*llm.Response, error) {
		in := input(endpoint, body)
		out, err := m.client.InvokeEndpointWithResponseStream(ctx, &sagemakerruntime.InvokeEndpointWithResponseStreamInput{
			EndpointName: in.EndpointName, InferenceComponentName: in.InferenceComponentName,
			Body: in.Body, ContentType: in.ContentType, Accept: in.Accept,
		})
		if err != nil {
			return nil, m.classify(endpoint, err)
		}
		stream := out.GetStream()
		defer stream.Close()
		var lines lineBuffer
		resp := &llm.Response{Model: endpoint}
		var sb strings.Builder
		take := func(line []byte) {
			if text := readEvent(line, resp); text != "" {
				sb.WriteString(text)
				emit(text)
			}
		}
		for ev := range stream.Events() {
			if part, ok := ev.(*types.ResponseStreamMemberPayloadPart); ok {
				lines.feed(part.Value.Bytes, take)
			}
		}
		lines.flush(take)
		if err := stream.Err(); err != nil {
			return nil, m.classify(endpoint, err)
		}
		resp.Text = strings.TrimSpace(sb.String())
		return resp, nil
	})
}

// withStream adds "stream": true to a JSON request body.
func withStream(body []byte) ([]byte, error) {
	var v map[string]json.RawMessage
	if err := json.Unmarshal(body, &v); err != nil {
		return nil, err
	}
	v["stream"] = json.RawMessage("true")
	return json.Marshal(v)
}

// lineBuffer reassembles lines from parts cut at any byte.
type lineBuffer struct{ pending []byte }

func (b *lineBuffer) feed(p []byte, line func([]byte)) {
	b.pending = append(b.pending, p...)
	for {
		i := bytes.IndexByte(b.pending, '\n')
		if i < 0 {
			return
		}
		line(b.pending[:i])
		b.pending = b.pending[i+1:]
	}
}

func (b *lineBuffer) flush(line func([]byte)) {
	if len(b.pending) > 0 {
		line(b.pending)
		b.pending = nil
	}
}

// streamEvent is one streamed event in either container's shape: a TGI
// token (with details on the last), or a chat completion chunk.
type streamEvent struct {
	Token *struct {
		Text    string `json:"text"`
		Special bool   `json:"special"`
	} `json:"token"`
	Details *struct {
		FinishReason    string `json:"finish_reason"`
		GeneratedTokens int    `json:"generated_tokens"`
	} `json:"details"`
	Choices []struct {
		Delta struct {
			Content string `json:"content"`
		} `json:"delta"`
		FinishReason *string `json:"finish_reason"`
	} `json:"choices"`
	Usage *struct {
		PromptTokens     int `json:"prompt_tokens"`
		CompletionTokens int `json:"completion_tokens"`
	} `json:"usage"`
}

// readEvent reads one line ("data: {...}", or bare JSON as some LMI
// containers send), records the stop reason and usage on resp, and
// returns the text it adds. Other lines (blank, comments, [DONE]) add none.
func readEvent(line []byte, resp *llm.Response) string {
	line = bytes.TrimSpace(line)
	line = bytes.TrimSpace(bytes.TrimPrefix(line, []byte("data:")))
	if len(line) == 0 || line[0] != '{' {
		return ""
	}
	var ev streamEvent
	if json.Unmarshal(line, &ev) != nil {
		return ""
	}
	if ev.Details != nil {
		resp.StopReason = ev.Details.FinishReason
		resp.Usage.OutputTokens = ev.Details.GeneratedTokens
	}
	if ev.Usage != nil {
		resp.Usage = llm.Usage{InputTokens: ev.Usage.PromptTokens, OutputTokens: ev.Usage.CompletionTokens}
	}
	switch {
	case ev.Token != nil && !ev.Token.Special:
		return ev.Token.Text
	case len(ev.Choices) > 0:
		if r := ev.Choices[0].FinishReason; r != nil && *r != "" {
			resp.StopReason = *r
		}
		return ev.Choices[0].Delta.Content
	}
	return ""
}
