package cli

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/spf13/cobra"

	"github.com/askdb/askdb/internal/awslambda"
	"github.com/askdb/askdb/internal/server"
	"github.com/askdb/askdb/internal/store"
)

func init() { extraCommands = append(extraCommands, newLambdaCmd) }

// Environment of the Lambda runtime.
const (
	envRuntimeAPI = "AWS_LAMBDA_RUNTIME_API"
	envCacheDir   = "ASKDB_CACHE_DIR"
)

func newLambdaCmd(a *app) *cobra.Command {
	var model string
	cmd := &cobra.Command{
		Use:   "lambda",
		Short: "Run as an AWS Lambda function (API Gateway, function URL, Bedrock Agent)",
		Long: `Run as an AWS Lambda function on the provided.al2023 runtime. The same
function serves API Gateway REST and HTTP APIs and function URLs (the JSON API
of askdb serve) and Bedrock Agent action groups (generate-sql, execute-sql,
ask). Configuration comes from askdb.yaml bundled next to the binary (or
$ASKDB_CONFIG) and ASKDB_* variables; a source's secret: names an AWS Secrets
Manager secret whose username and password are merged into its DSN.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if a.getenv(envRuntimeAPI) == "" {
				return &usageError{errors.New("askdb lambda runs inside AWS Lambda: " + envRuntimeAPI + " is not set (use askdb serve to run the API locally)")}
			}
			level := "info"
			if f := cmd.Flag("log-level"); f != nil && f.Changed {
				level = a.flags.logLevel
			}
			logger, err := newLogger(a.stdout, "json", level)
			if err != nil {
				return &usageError{err}
			}
			h, closeFn, err := a.lambdaHandler(cmd.Context(), model, logger)
			if err != nil {
				logger.Error("lambda init", "err", err)
				return err
			}
			defer closeFn()
			lambda.StartWithOptions(h, lambda.WithContext(cmd.Context()))
			return nil
		},
	}
	cmd.Flags().StringVar(&model, "model", "", "model name from askdb.yaml, or kind:model-id")
	return cmd
}

// lambdaHandler does the cold-start work: writable folders, secrets,
// models, the store and the HTTP handler.
func (a *app) lambdaHandler(ctx context.Context, model string, logger *slog.Logger) (*awslambda.Handler, func(), error) {
	a.logger = logger // JSON on stdout, for CloudWatch
	tmp := filepath.Join(os.TempDir(), "askdb")
	if a.getenv(envCacheDir) == "" {
		// Only /tmp is writable in Lambda; the sample database is generated there.
		if err := os.Setenv(envCacheDir, tmp); err != nil {
			return nil, nil, err
		}
	}
	if (a.cfg.Store.Kind == "" || a.cfg.Store.Kind == store.KindSQLite) && a.cfg.Store.Path == "" && a.getenv(store.EnvDataDir) == "" {
		a.cfg.Store.Path = filepath.Join(tmp, store.DefaultFile)
		logger.Warn("store: using an ephemeral SQLite file in /tmp; set store.kind: postgres to keep the audit log")
	}
	st, err := a.openStore(ctx)
	if err != nil {
		return nil, nil, err
	}
	p, err := a.newPipeline(ctx, model, st)
	if err != nil {
		st.Close()
		return nil, nil, err
	}
	srv, err := server.New(server.Options{Pipeline: p, Sources: a.sources, Store: st, Config: a.cfg.Server, Logger: logger})
	if err != nil {
		st.Close()
		return nil, nil, err
	}
	h := awslambda.New(awslambda.Options{HTTP: srv.Handler(), Pipeline: p, Logger: logger})
	return h, func() { st.Close() }, nil
}
