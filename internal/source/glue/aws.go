package glue

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/smithy-go"

	"github.com/askdb/askdb/internal/awsconf"
	"github.com/askdb/askdb/internal/source"
)

// LoadAWS builds the AWS configuration of a source with the standard
// credential chain (environment, shared config and SSO, web identity,
// container and instance roles) for region, or the environment's region
// when region is empty. The SDK's own log lines go to log at debug level.
func LoadAWS(ctx context.Context, region string, log *slog.Logger) (aws.Config, error) {
	cfg, err := awsconfig.LoadDefaultConfig(ctx, awsconf.LoadOptions(region, "", log)...)
	if err != nil {
		return aws.Config{}, fmt.Errorf("load AWS configuration: %w", err)
	}
	if cfg.Region == "" {
		return aws.Config{}, fmt.Errorf("%w: no AWS region: set region in askdb.yaml or AWS_REGION", source.ErrConfig)
	}
	return cfg, nil
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
	if awsconf.IsCredentialsError(err) {
		return fmt.Errorf("%w: no usable AWS credentials: set AWS_PROFILE, run `aws sso login`, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY: %w", source.ErrAuth, err)
	}
	// No API answer at all: the network, DNS, or a closed connection.
	return fmt.Errorf("%w: %w", source.ErrUnreachable, err)
}
