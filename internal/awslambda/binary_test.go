package awslambda_test

import (
	"os"
	"testing"

	"github.com/askdb/askdb/internal/testbin"
)

// TestMain removes the binary and sample cache built for the tests.
func TestMain(m *testing.M) {
	code := m.Run()
	testbin.Cleanup()
	os.Exit(code)
}

// askdbCmd runs the built askdb in an empty folder with env added.
var askdbCmd = testbin.Command
