package awsconf

import (
	"bytes"
	"fmt"
	"io"
	"net/http"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
)

// BufferedBodies is an SDK HTTP client that sends each request body from a
// private in-memory copy. smithy-go closes the body it handed to net/http
// as soon as the response headers arrive, and a closed body's WriteTo
// returns io.EOF; when net/http has not yet made its last read of the body
// (it drains past Content-Length), it takes that for a failed write and
// closes the connection, cutting a response stream off mid-way. A copy
// that only net/http reads cannot fail so. Request bodies here are small
// JSON documents.
type BufferedBodies struct{ Client aws.HTTPClient }

// WithBufferedBodies wraps c, or the SDK's default client when c is nil.
func WithBufferedBodies(c aws.HTTPClient) BufferedBodies {
	if c == nil {
		c = awshttp.NewBuildableClient()
	}
	return BufferedBodies{Client: c}
}

// Do implements aws.HTTPClient.
func (c BufferedBodies) Do(req *http.Request) (*http.Response, error) {
	if req.Body == nil || req.Body == http.NoBody {
		return c.Client.Do(req)
	}
	body, err := io.ReadAll(req.Body)
	if err != nil {
		return nil, fmt.Errorf("read request body: %w", err)
	}
	out := req.WithContext(req.Context())
	out.Body = io.NopCloser(bytes.NewReader(body))
	out.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	return c.Client.Do(out)
}
