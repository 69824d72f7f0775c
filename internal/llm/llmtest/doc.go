// Package llmtest provides scripted model servers for tests: local
// httptest servers that speak the real wire protocols of Bedrock (Converse,
// ConverseStream in AWS event-stream framing, InvokeModel), OpenAI chat
// completions and embeddings (JSON and SSE), Anthropic messages (JSON
// and SSE), and SageMaker InvokeEndpoint (chat and TGI bodies). The real
// SDK clients talk to them, so tests cover request building, response
// parsing, retries and error mapping.
//
//	srv := llmtest.NewOpenAI(t, llmtest.Status(429, "slow down"), llmtest.Text("SELECT 1", 10, 3))
//	cfg := config.Model{Kind: "openai", Model: "llama3", BaseURL: srv.BaseURL()}
//	...
//	srv.Count() // 2
//
// It is a normal (non-test) package so that pipeline and server tests can
// use it too. It must not be imported by production code.
package llmtest
