// Package bedrock is the "bedrock" model kind: Amazon Bedrock's runtime
// Converse and ConverseStream APIs, which serve Claude, Llama, Mistral, Nova
// and other chat models with one request shape, and InvokeModel for Titan
// text embeddings (amazon.titan-embed-text-v2:0).
//
// Config keys:
//
//	models:
//	  sql:
//	    kind: bedrock
//	    model: us.anthropic.claude-sonnet-4-20250514-v1:0   # model id or inference profile id
//	    region: us-east-1        # else AWS_REGION / the profile's region, else us-east-1
//	    profile: analytics       # shared config profile; else AWS_PROFILE / default chain
//	    base_url: ""             # endpoint override (VPC endpoint, tests)
//	    fallback: [anthropic.claude-3-5-haiku-20241022-v1:0]
//	    timeout: 60s
//	    max_retries: 3
//	    max_tokens: 4096
//	    temperature: 0
//	  embed:
//	    kind: bedrock
//	    model: amazon.titan-embed-text-v2:0
//
// Credentials come from the standard AWS chain (environment, shared config
// and SSO, web identity, container and instance roles). The caller needs
// bedrock:InvokeModel and bedrock:InvokeModelWithResponseStream on the
// model, and the model enabled under Model access in the Bedrock console.
// The SDK's retries are off: llm.Policy retries throttling and server
// errors and falls back to the next model.
package bedrock
