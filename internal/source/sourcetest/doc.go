// Package sourcetest is the conformance suite every source kind runs: the
// same introspection, value-format, limit, timeout and read-only checks
// against the bundled sample database loaded into each engine, with the
// expected answers computed in Go from the sample generator.
//
// A kind's test wires a Harness and calls Run:
//
//	func TestConformance(t *testing.T) {
//		sourcetest.Run(t, sourcetest.Harness{Open: ..., Admin: ..., SlowQuery: ..., Dialect: catalog.SQLite})
//	}
package sourcetest
