// Package llm is askdb's model layer: one Model interface for chat, with
// optional streaming (Streamer) and embeddings (Embedder), over Amazon
// Bedrock (llm/bedrock), SageMaker endpoints (llm/sagemaker),
// OpenAI-compatible servers such as OpenAI, Ollama, vLLM, llama.cpp and
// LM Studio (llm/openai), and Anthropic (llm/anthropic).
// Each provider registers its kind from init; internal/plugins imports them.
//
// Every provider shares one Policy: the SDKs' own retries are off, and each
// attempt is bounded by a timeout, retried with exponential backoff and full
// jitter on throttling and server errors, and on a failure specific to one
// model (access denied, not found, still throttled or unavailable) the next
// model of the fallback list is tried. Failures are *Error values with a
// closed ErrorKind and a message that says what to do.
//
// Config keys of a models: entry in askdb.yaml:
//
//	models:
//	  sql:
//	    kind: bedrock            # bedrock | sagemaker | openai | anthropic
//	    model: us.anthropic.claude-sonnet-4-20250514-v1:0
//	    fallback: [anthropic.claude-3-5-haiku-20241022-v1:0]  # tried in order
//	    timeout: 60s             # per attempt (default 60s)
//	    max_retries: 3           # retries per model on 429/5xx (default 3; 0 = none)
//	    max_tokens: 4096         # answer bound (default 4096)
//	    temperature: 0           # optional
//	    region, profile, base_url, api_key: see each provider's package
//
// ASKDB_MODEL=kind:model (see FromEnv) configures a model without a file.
//
// llm must not import pipeline.
package llm
