// Package sagemaker is the "sagemaker" model kind: a text-generation model
// served from an Amazon SageMaker real-time endpoint (a JumpStart model, or
// any TGI, LMI or vLLM container) through the sagemaker-runtime
// InvokeEndpoint API.
//
// Config keys:
//
//	models:
//	  sql:
//	    kind: sagemaker
//	    model: jumpstart-dft-meta-textgeneration-llama-3-1-8b-instruct   # the endpoint name, or endpoint/inference-component
//	    payload: messages        # messages (default) or tgi
//	    region: us-east-1        # else AWS_REGION / the profile's region, else us-east-1
//	    profile: analytics       # shared config profile; else AWS_PROFILE / default chain
//	    base_url: ""             # endpoint override (VPC endpoint, tests)
//	    fallback: [my-other-endpoint]
//	    timeout: 60s
//	    max_retries: 3
//	    max_tokens: 1024        # the default here: input plus this must fit the container's MAX_TOTAL_TOKENS
//	    temperature: 0
//
// The two payloads are the ones JumpStart text-generation endpoints take.
// "messages" sends an OpenAI-style chat body ({"messages": [...],
// "max_tokens": N}), so the container applies the model's own chat
// template; TGI 1.4 and later, LMI and vLLM containers accept it. "tgi"
// sends {"inputs": "...", "parameters": {...}} with the conversation
// rendered as a plain "User:/Assistant:" transcript, for older containers.
// Answers are read in any of the usual shapes: [{"generated_text": ...}],
// {"generated_text": ...}, [{"generation": ...}] and chat "choices".
//
// ChatStream uses InvokeEndpointWithResponseStream with "stream": true and
// reads the container's server-sent events (TGI tokens or chat deltas).
//
// Credentials come from the standard AWS chain. The caller needs
// sagemaker:InvokeEndpoint (and sagemaker:InvokeEndpointWithResponseStream
// to stream) on the endpoint. The SDK's retries are off:
// llm.Policy retries throttling and server errors and falls back to the
// next endpoint.
package sagemaker
