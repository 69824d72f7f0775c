// Package server is askdb's HTTP face: a JSON API over the pipeline
// (ask, run SQL, sources and schemas, answers, feedback, CSV), server-sent
// events that stream each trace step as it finishes, health and readiness
// probes, Prometheus metrics, an OpenAPI document, and the embedded web UI
// (left out with the build tag noui).
//
// The server keeps no state of its own beyond per-client rate limits and
// counts of wrong API keys per address (both per replica): answers and
// feedback go to the store, so several replicas can share one. With API
// keys, a stored answer belongs to the key that asked it.
// It sees the pipeline, the sources and the store only through the small
// interfaces in this package.
package server
