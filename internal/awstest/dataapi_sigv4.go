package awstest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// The test credentials Env sets (keep them equal); the data API fakes
// recompute each request's signature with them.
const (
	TestAccessKey = "AKIDTEST"
	TestSecretKey = "secret"
)

// checkSigV4DataAPI verifies an AWS Signature Version 4 Authorization
// header as the service would: the credential scope names service and a
// region, and the signature, recomputed over the signed headers and the
// body with the test credentials, matches. It returns the region.
func checkSigV4DataAPI(r *http.Request, body []byte, service string) (string, error) {
	auth := r.Header.Get("Authorization")
	const algo = "AWS4-HMAC-SHA256 "
	if !strings.HasPrefix(auth, algo) {
		return "", fmt.Errorf("missing Authentication Token")
	}
	fields := map[string]string{}
	for _, f := range strings.Split(strings.TrimPrefix(auth, algo), ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(f), "=")
		fields[k] = v
	}
	scope := strings.Split(fields["Credential"], "/") // key/date/region/service/aws4_request
	if len(scope) != 5 || scope[0] != TestAccessKey || scope[3] != service || scope[4] != "aws4_request" {
		return "", fmt.Errorf("credential scope %q is not for service %q with the test key", fields["Credential"], service)
	}
	when, err := time.Parse("20060102T150405Z", r.Header.Get("X-Amz-Date"))
	if err != nil {
		return "", fmt.Errorf("X-Amz-Date: %w", err)
	}
	re, _ := http.NewRequest(r.Method, "http://"+r.Host+r.URL.RequestURI(), nil)
	for _, h := range strings.Split(fields["SignedHeaders"], ";") {
		switch h {
		case "host", "x-amz-date":
			continue
		case "content-length": // net/http moves it out of the header
			re.ContentLength = int64(len(body))
			continue
		}
		re.Header[http.CanonicalHeaderKey(h)] = r.Header.Values(h)
	}
	sum := sha256.Sum256(body)
	creds := aws.Credentials{AccessKeyID: TestAccessKey, SecretAccessKey: TestSecretKey, SessionToken: r.Header.Get("X-Amz-Security-Token")}
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, re, hex.EncodeToString(sum[:]), service, scope[2], when); err != nil {
		return "", err
	}
	want := re.Header.Get("Authorization")
	if want[strings.Index(want, "Signature="):] != auth[strings.Index(auth, "Signature="):] {
		return "", fmt.Errorf("the request signature we calculated does not match the signature you provided")
	}
	return scope[2], nil
}
