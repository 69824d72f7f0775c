// Package anthropic is the "anthropic" model kind: Anthropic's messages
// API, with streaming over server-sent events.
//
// Config keys:
//
//	models:
//	  sql:
//	    kind: anthropic
//	    model: claude-sonnet-4-20250514
//	    api_key: ""          # else $ANTHROPIC_API_KEY
//	    base_url: ""         # else $ANTHROPIC_BASE_URL, else https://api.anthropic.com
//	    fallback: [claude-3-5-haiku-20241022]
//	    timeout: 60s
//	    max_retries: 3       # 429, 5xx and 529 overloaded are retried
//	    max_tokens: 4096
//	    temperature: 0
//
// The SDK's retries are off: llm.Policy retries and falls back.
package anthropic
