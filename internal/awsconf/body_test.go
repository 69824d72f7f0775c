package awsconf

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

type recordingClient struct{ got *http.Request }

func (c *recordingClient) Do(req *http.Request) (*http.Response, error) {
	c.got = req
	return &http.Response{StatusCode: 200, Body: http.NoBody}, nil
}

// closedAfterSend is a body whose every read fails once the caller has
// closed it, as smithy-go's does (its WriteTo returns io.EOF).
type closedAfterSend struct {
	io.Reader
	closed bool
}

func (b *closedAfterSend) Read(p []byte) (int, error) {
	if b.closed {
		return 0, io.ErrClosedPipe
	}
	return b.Reader.Read(p)
}

func (b *closedAfterSend) Close() error { b.closed = true; return nil }

// TestBufferedBodies catches a request body handed on as is: once the SDK
// closes its body, net/http's last read of the sent one must still work.
func TestBufferedBodies(t *testing.T) {
	rec := &recordingClient{}
	orig := &closedAfterSend{Reader: strings.NewReader(`{"inputs":"q"}`)}
	req, err := http.NewRequest(http.MethodPost, "http://localhost/endpoints/e/invocations", orig)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := WithBufferedBodies(rec).Do(req); err != nil {
		t.Fatal(err)
	}
	_ = orig.Close() // what smithy-go does when Do returns
	sent, err := io.ReadAll(rec.got.Body)
	if err != nil || string(sent) != `{"inputs":"q"}` {
		t.Errorf("sent body %q, %v; want the whole copy after the original closed", sent, err)
	}
	again, err := rec.got.GetBody()
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := io.ReadAll(again); string(b) != `{"inputs":"q"}` {
		t.Errorf("GetBody gave %q", b)
	}
}
