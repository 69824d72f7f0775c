// Package awsconf loads the AWS configuration every AWS client of askdb
// shares (the model providers bedrock and sagemaker, the athena, glue,
// redshift and aurora sources, the Secrets Manager store): the standard
// credential chain for a region and profile, with the SDK's own log lines
// sent to slog rather than printed. It must not import a provider or a
// source kind.
package awsconf

import (
	"context"
	"fmt"
	"log/slog"
	"strings"

	"github.com/askdb/askdb/internal/config"
	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/smithy-go/logging"
)

// DefaultRegion is used when neither the config nor the AWS environment
// names a region.
const DefaultRegion = "us-east-1"

// Load builds the AWS configuration of a model entry with the standard
// credential chain (environment, shared config and SSO, web identity,
// container and instance roles) for cfg.Region and cfg.Profile, falling
// back to DefaultRegion.
func Load(ctx context.Context, cfg config.Model, log *slog.Logger) (aws.Config, error) {
	awsCfg, err := awsconfig.LoadDefaultConfig(ctx, LoadOptions(cfg.Region, cfg.Profile, log)...)
	if err != nil {
		if cfg.Profile != "" {
			return aws.Config{}, fmt.Errorf("load AWS profile %q (check ~/.aws/config or run `aws configure --profile %s`): %w", cfg.Profile, cfg.Profile, err)
		}
		return aws.Config{}, fmt.Errorf("load AWS configuration: %w", err)
	}
	if awsCfg.Region == "" {
		awsCfg.Region = DefaultRegion
	}
	return awsCfg, nil
}

// LoadOptions are the options of every askdb AWS configuration: region
// and profile when set, and the SDK's own warnings ("SDK … WARN falling
// back to IMDSv1"), which it would print straight to stderr, sent to log
// at debug level.
func LoadOptions(region, profile string, log *slog.Logger) []func(*awsconfig.LoadOptions) error {
	load := []func(*awsconfig.LoadOptions) error{awsconfig.WithLogger(Logger{log})}
	if region != "" {
		load = append(load, awsconfig.WithRegion(region))
	}
	if profile != "" {
		load = append(load, awsconfig.WithSharedConfigProfile(profile))
	}
	return load
}

// Logger adapts the AWS SDK's logger to slog at debug level.
type Logger struct{ Log *slog.Logger }

// Logf implements logging.Logger.
func (l Logger) Logf(c logging.Classification, format string, v ...any) {
	if l.Log == nil {
		return
	}
	l.Log.Debug("aws sdk", "class", string(c), "msg", fmt.Sprintf(format, v...))
}

var _ logging.Logger = Logger{}

// IsCredentialsError spots the credential chain's failure to find any
// credentials, which the SDK reports before sending a request.
func IsCredentialsError(err error) bool {
	s := err.Error()
	return strings.Contains(s, "failed to retrieve credentials") ||
		strings.Contains(s, "no EC2 IMDS role found") ||
		strings.Contains(s, "failed to refresh cached credentials")
}

// NoCredentials is the message for IsCredentialsError, naming the service
// ("Bedrock", "SageMaker") and region.
func NoCredentials(service, region string) string {
	return fmt.Sprintf("%s in %s: no usable AWS credentials: set AWS_PROFILE (or profile: in askdb.yaml), run `aws sso login`, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY", service, region)
}
