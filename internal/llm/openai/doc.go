// Package openai is the "openai" model kind: any server speaking the OpenAI
// chat completions API — OpenAI itself, Ollama, vLLM, llama.cpp's server,
// LM Studio — with streaming over server-sent events and embeddings from
// /v1/embeddings.
//
// Config keys:
//
//	models:
//	  sql:
//	    kind: openai
//	    model: llama3.1:8b
//	    base_url: http://localhost:11434/v1   # default https://api.openai.com/v1
//	    api_key: ${OPENAI_API_KEY}            # else $OPENAI_API_KEY; optional for local servers
//	    fallback: [qwen2.5-coder:7b]
//	    timeout: 60s
//	    max_retries: 3
//	    max_tokens: 4096      # sent as max_completion_tokens to OpenAI, max_tokens elsewhere
//	    temperature: 0
//	  embed:
//	    kind: openai
//	    model: nomic-embed-text
//	    base_url: http://localhost:11434/v1
//
// Local servers get a placeholder key when none is set. The SDK's retries
// are off: llm.Policy retries 429 and 5xx and falls back to the next model.
package openai
