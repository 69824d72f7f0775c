// Package cli holds askdb's cobra commands. Run is the whole program: the
// binary in cmd/askdb only calls it, and tests drive it directly with their
// own arguments, streams and environment.
package cli
