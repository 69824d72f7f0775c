package sagemaker

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/askdb/askdb/internal/awsconf"
	"github.com/askdb/askdb/internal/llm"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemakerruntime/types"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// classify turns an SDK error into an *llm.Error whose message names the
// endpoint and region and says what to do.
func (m *Model) classify(endpoint string, err error) error {
	e := &llm.Error{Provider: Kind, Model: endpoint, Region: m.region, Err: err}
	var me *types.ModelError
	var api smithy.APIError
	switch {
	case errors.As(err, &me):
		e.Kind, e.Retryable = modelErrorKind(me)
		e.Message = m.modelErrorMessage(endpoint, e.Kind, me)
	case errors.As(err, &api):
		e.Kind, e.Retryable = kindOf(api.ErrorCode(), api.ErrorMessage(), err)
		e.Message = m.message(endpoint, e.Kind, api.ErrorCode(), api.ErrorMessage())
	case awsconf.IsCredentialsError(err):
		e.Kind = llm.Auth
		e.Message = awsconf.NoCredentials("SageMaker", m.region)
	default:
		return e.ClassifyTransport("SageMaker in "+m.region, "check the network, region and base_url")
	}
	return e
}

// kindOf maps a sagemaker-runtime exception name to a kind, falling back
// to the HTTP status for names it does not know. SageMaker sends
// ThrottlingException with status 400, so the name must win.
func kindOf(code, msg string, err error) (llm.ErrorKind, bool) {
	switch code {
	case "ThrottlingException", "TooManyRequestsException":
		return llm.Throttled, true
	case "ModelNotReadyException", "ServiceUnavailable", "InternalFailure", "InternalDependencyException",
		"InternalStreamFailure":
		return llm.Unavailable, true
	case "ModelStreamError":
		return llm.Unavailable, false // the container failed mid-answer
	case "AccessDeniedException":
		return llm.AccessDenied, false
	case "UnrecognizedClientException", "InvalidSignatureException", "ExpiredTokenException",
		"InvalidClientTokenId", "MissingAuthenticationTokenException", "IncompleteSignature":
		return llm.Auth, false
	case "ValidationError", "ValidationException":
		if strings.Contains(strings.ToLower(msg), "not found") {
			return llm.NotFound, false // "Endpoint x of account y not found."
		}
		return llm.InvalidRequest, false
	}
	var re *smithyhttp.ResponseError
	if errors.As(err, &re) {
		return llm.KindForStatus(re.HTTPStatusCode())
	}
	return llm.Other, false
}

// modelErrorKind reads the status the container itself answered: its 429
// is throttling worth a retry, another 4xx is a request it will never
// accept (too many tokens), and anything else is the model failing, which
// like Bedrock's ModelErrorException is not retried but falls back.
func modelErrorKind(me *types.ModelError) (llm.ErrorKind, bool) {
	status := int(aws.ToInt32(me.OriginalStatusCode))
	switch {
	case status == http.StatusTooManyRequests:
		return llm.Throttled, true
	case status >= 400 && status < 500:
		return llm.InvalidRequest, false
	}
	return llm.Unavailable, false
}

func (m *Model) modelErrorMessage(endpoint string, kind llm.ErrorKind, me *types.ModelError) string {
	detail := aws.ToString(me.OriginalMessage)
	if detail == "" {
		detail = me.ErrorMessage()
	}
	msg := fmt.Sprintf("SageMaker endpoint %q in %s: the model container answered %d: %s", endpoint, m.region, aws.ToInt32(me.OriginalStatusCode), detail)
	switch kind {
	case llm.Throttled:
		msg += ": it is overloaded; wait, add instances, or add a fallback endpoint"
	case llm.InvalidRequest:
		msg += ": lower max_tokens or check that payload: " + m.payload + " is what the container takes"
	}
	if arn := aws.ToString(me.LogStreamArn); arn != "" {
		msg += " (container logs: " + arn + ")"
	}
	return msg
}

func (m *Model) message(endpoint string, kind llm.ErrorKind, code, detail string) string {
	r := m.region
	switch kind {
	case llm.AccessDenied:
		return fmt.Sprintf("SageMaker denied access to endpoint %q in %s: allow sagemaker:InvokeEndpoint on it in IAM (%s)", endpoint, r, detail)
	case llm.NotFound:
		return fmt.Sprintf("SageMaker has no endpoint %q in %s: check the endpoint name (model:) and region, and that the endpoint is InService (%s)", endpoint, r, detail)
	case llm.Auth:
		return fmt.Sprintf("SageMaker in %s rejected the AWS credentials (%s): refresh them (`aws sso login`) or set AWS_PROFILE", r, code)
	case llm.Throttled:
		return fmt.Sprintf("SageMaker is throttling endpoint %q in %s (%s): wait, raise its instance count, or add a fallback endpoint", endpoint, r, code)
	case llm.Unavailable:
		return fmt.Sprintf("SageMaker endpoint %q in %s is unavailable (%s: %s): try again later or add a fallback endpoint", endpoint, r, code, detail)
	case llm.InvalidRequest:
		return fmt.Sprintf("SageMaker rejected the request to endpoint %q in %s (%s): %s", endpoint, r, code, detail)
	}
	return fmt.Sprintf("SageMaker endpoint %q in %s failed (%s): %s", endpoint, r, code, detail)
}
