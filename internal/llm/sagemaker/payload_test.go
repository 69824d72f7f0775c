package sagemaker

import (
	"context"
	"log/slog"
	"reflect"
	"strings"
	"testing"

	"github.com/askdb/askdb/internal/awsconf"
	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/llm"
	"github.com/google/go-cmp/cmp"
)

// TestDecodeShapes covers the answer shapes of JumpStart containers that
// the fake server does not produce.
func TestDecodeShapes(t *testing.T) {
	tests := []struct {
		name, body, prompt string
		want               *llm.Response
		wantErr            string
	}{
		{"tgi list", `[{"generated_text":"SELECT 1","details":{"finish_reason":"length","generated_tokens":9}}]`, "",
			&llm.Response{Text: "SELECT 1", StopReason: "length", Usage: llm.Usage{OutputTokens: 9}}, ""},
		{"lmi object", `{"generated_text":" SELECT 2\n"}`, "", &llm.Response{Text: "SELECT 2"}, ""},
		{"echoed prompt is cut", `[{"generated_text":"User: q\nAssistant: SELECT 3"}]`, "User: q\nAssistant:", &llm.Response{Text: "SELECT 3"}, ""},
		{"llama 2 generation string", `[{"generation":"SELECT 4"}]`, "", &llm.Response{Text: "SELECT 4"}, ""},
		{"llama 2 chat generation", `[{"generation":{"role":"assistant","content":"SELECT 5"}}]`, "", &llm.Response{Text: "SELECT 5"}, ""},
		{"chat choices", `{"choices":[{"message":{"role":"assistant","content":"SELECT 6"},"finish_reason":"stop"}],"usage":{"prompt_tokens":10,"completion_tokens":3}}`, "",
			&llm.Response{Text: "SELECT 6", StopReason: "stop", Usage: llm.Usage{InputTokens: 10, OutputTokens: 3}}, ""},
		{"completion choices", `{"choices":[{"text":"SELECT 7","finish_reason":"length"}]}`, "", &llm.Response{Text: "SELECT 7", StopReason: "length"}, ""},
		{"unknown shape", `{"outputs":["SELECT 8"]}`, "", nil, "no generated_text, generation or choices"},
		{"null generation", `[{"generation":null}]`, "", nil, "no generated_text"},
		{"empty list", `[]`, "", nil, "an empty list"},
		{"not json", `Internal error`, "", nil, "invalid character"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := decode([]byte(tt.body), tt.prompt)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want it to contain %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("decode: %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("response (-want +got):\n%s", diff)
			}
		})
	}
}

// TestSDKLogsGoToSlog catches the SDK's own warnings printed straight to
// stderr past --log-level.
func TestSDKLogsGoToSlog(t *testing.T) {
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDTEST")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "secret")
	m, err := New(context.Background(), "sql", config.Model{Kind: Kind, Model: "e", Region: "us-west-2"}, llm.Options{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	if logger := m.(*Model).client.Options().Logger; reflect.TypeOf(logger) != reflect.TypeOf(awsconf.Logger{}) {
		t.Errorf("the SageMaker client logs with %T, not through slog", logger)
	}
}
