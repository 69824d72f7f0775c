package glue

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/logging"

	"github.com/askdb/askdb/internal/source"
)

// LoadAWS builds the AWS configuration of a source with the standard
// credential chain (environment, shared config and SSO, web identity,
// container and instance roles) for region, or the environment's region
// when region is empty. The SDK's own log lines go to log at debug level.
func LoadAWS(ctx context.Context, region string, log *slog.Logger) (aws.Config, error) {
	load := []func(*awsconfig.LoadOptions) error{awsconfig.WithLogger(sdkLogger{log})}
	if region != "" {
		load = append(load, awsconfig.WithRegion(region))
	}
	cfg, err := awsconfig.LoadDefaultConfig(ctx, load...)
	if err != nil {
		return aws.Config{}, fmt.Errorf("load AWS configuration: %w", err)
	}
	if cfg.Region == "" {
		return aws.Config{}, fmt.Errorf("%w: no AWS region: set region in askdb.yaml or AWS_REGION", source.ErrConfig)
	}
	return cfg, nil
}

type sdkLogger struct{ log *slog.Logger }

func (l sdkLogger) Logf(c logging.Classification, format string, v ...any) {
	if l.log != nil {
		l.log.Debug("aws sdk", "class", string(c), "msg", fmt.Sprintf(format, v...))
	}
}

// Error codes of the AWS JSON services that mean the caller's credentials
// or permissions, and those that mean the service is briefly unable.
var (
	authCodes = map[string]bool{
		"AccessDeniedException": true, "UnrecognizedClientException": true, "InvalidSignatureException": true,
		"ExpiredTokenException": true, "MissingAuthenticationTokenException": true, "IncompleteSignature": true,
		"InvalidClientTokenId": true, "SignatureDoesNotMatch": true,
	}
	unavailableCodes = map[string]bool{
		"ThrottlingException": true, "TooManyRequestsException": true, "InternalServerException": true,
		"InternalFailureException": true, "InternalServiceException": true, "ServiceUnavailableException": true,
	}
)

// Classify wraps an AWS SDK error with the source sentinel askdb acts on:
// credentials and permissions are source.ErrAuth; throttling, server
// errors and the network are source.ErrUnreachable. The caller's own
// cancellation and deadline pass through. Anything else is returned as it
// is, for the caller to read (an engine's message, an unknown database).
func Classify(err error) error {
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	var api smithy.APIError
	if errors.As(err, &api) {
		switch code := api.ErrorCode(); {
		case authCodes[code]:
			return fmt.Errorf("%w: %s: %s", source.ErrAuth, code, api.ErrorMessage())
		case unavailableCodes[code]:
			return fmt.Errorf("%w: %s: %s", source.ErrUnreachable, code, api.ErrorMessage())
		}
		return err
	}
	if isCredentialsError(err) {
		return fmt.Errorf("%w: no usable AWS credentials: set AWS_PROFILE, run `aws sso login`, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY: %w", source.ErrAuth, err)
	}
	// No API answer at all: the network, DNS, or a closed connection.
	return fmt.Errorf("%w: %w", source.ErrUnreachable, err)
}

// isCredentialsError spots the credential chain's failure to find any
// credentials, which the SDK reports before it sends a request.
func isCredentialsError(err error) bool {
	s := err.Error()
	return strings.Contains(s, "failed to retrieve credentials") ||
		strings.Contains(s, "no EC2 IMDS role found") ||
		strings.Contains(s, "failed to refresh cached credentials")
}
