package bedrock

import (
	"errors"
	"fmt"
	"strings"

	"github.com/askdb/askdb/internal/awsconf"
	"github.com/askdb/askdb/internal/llm"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// classify turns an SDK error into an *llm.Error whose message names the
// model and region and says what to do.
func (m *Model) classify(id string, err error) error {
	e := &llm.Error{Provider: Kind, Model: id, Region: m.region, Err: err}
	var api smithy.APIError
	switch {
	case errors.As(err, &api):
		e.Kind, e.Retryable = m.kindOf(api.ErrorCode(), api.ErrorMessage(), err)
		e.Message = m.message(id, e.Kind, api.ErrorCode(), api.ErrorMessage())
	case awsconf.IsCredentialsError(err):
		e.Kind = llm.Auth
		e.Message = awsconf.NoCredentials("Bedrock", m.region)
	default:
		return e.ClassifyTransport("Bedrock in "+m.region, "check the network, region and base_url")
	}
	return e
}

// kindOf maps a Bedrock exception name to a kind, falling back to the
// HTTP status for names it does not know.
func (m *Model) kindOf(code, msg string, err error) (llm.ErrorKind, bool) {
	switch code {
	case "ThrottlingException", "TooManyRequestsException":
		return llm.Throttled, true
	case "ServiceUnavailableException", "ModelNotReadyException", "InternalServerException",
		"ModelTimeoutException", "ModelStreamErrorException", "InternalFailure":
		return llm.Unavailable, true
	case "ServiceQuotaExceededException":
		return llm.Throttled, false
	case "ModelErrorException":
		return llm.Unavailable, false
	case "AccessDeniedException":
		return llm.AccessDenied, false
	case "ResourceNotFoundException":
		return llm.NotFound, false
	case "UnrecognizedClientException", "InvalidSignatureException", "ExpiredTokenException",
		"InvalidClientTokenId", "MissingAuthenticationTokenException", "IncompleteSignature":
		return llm.Auth, false
	case "ValidationException":
		if strings.Contains(strings.ToLower(msg), "model identifier is invalid") {
			return llm.NotFound, false
		}
		return llm.InvalidRequest, false
	}
	var re *smithyhttp.ResponseError
	if errors.As(err, &re) {
		return llm.KindForStatus(re.HTTPStatusCode())
	}
	return llm.Other, false
}

func (m *Model) message(id string, kind llm.ErrorKind, code, detail string) string {
	r := m.region
	switch kind {
	case llm.AccessDenied:
		return fmt.Sprintf("Bedrock denied access to model %q in %s: enable it in the Bedrock console (Model access) and allow bedrock:InvokeModel in IAM (%s)", id, r, detail)
	case llm.NotFound:
		return fmt.Sprintf("Bedrock has no model %q in %s: check the model id and region, or use a cross-region inference profile id such as \"us.%s\" (%s)", id, r, strings.TrimPrefix(id, "us."), detail)
	case llm.Auth:
		return fmt.Sprintf("Bedrock in %s rejected the AWS credentials (%s): refresh them (`aws sso login`) or set AWS_PROFILE", r, code)
	case llm.Throttled:
		return fmt.Sprintf("Bedrock is throttling model %q in %s (%s): wait, request a higher quota, or add a fallback model", id, r, code)
	case llm.Unavailable:
		return fmt.Sprintf("Bedrock model %q in %s is unavailable (%s: %s): try again later or add a fallback model", id, r, code, detail)
	case llm.InvalidRequest:
		if strings.Contains(detail, "inference profile") {
			return fmt.Sprintf("Bedrock rejected model %q in %s: it needs a cross-region inference profile id, e.g. \"us.%s\" (%s)", id, r, id, detail)
		}
		return fmt.Sprintf("Bedrock rejected the request to model %q in %s (%s): %s", id, r, code, detail)
	}
	return fmt.Sprintf("Bedrock model %q in %s failed (%s): %s", id, r, code, detail)
}
