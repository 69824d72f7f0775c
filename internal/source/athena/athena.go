package athena

import (
	"context"
	"fmt"
	"log/slog"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsathena "github.com/aws/aws-sdk-go-v2/service/athena"
	awsglue "github.com/aws/aws-sdk-go-v2/service/glue"

	"github.com/askdb/askdb/internal/catalog"
	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/source"
	"github.com/askdb/askdb/internal/source/glue"
)

func init() {
	source.Register("athena", source.Kind{Open: Open, Keys: []string{"dsn"}, Check: check})
}

// API is the part of the Athena client the source calls.
type API interface {
	StartQueryExecution(context.Context, *awsathena.StartQueryExecutionInput, ...func(*awsathena.Options)) (*awsathena.StartQueryExecutionOutput, error)
	GetQueryExecution(context.Context, *awsathena.GetQueryExecutionInput, ...func(*awsathena.Options)) (*awsathena.GetQueryExecutionOutput, error)
	GetQueryResults(context.Context, *awsathena.GetQueryResultsInput, ...func(*awsathena.Options)) (*awsathena.GetQueryResultsOutput, error)
	StopQueryExecution(context.Context, *awsathena.StopQueryExecutionInput, ...func(*awsathena.Options)) (*awsathena.StopQueryExecutionOutput, error)
	GetWorkGroup(context.Context, *awsathena.GetWorkGroupInput, ...func(*awsathena.Options)) (*awsathena.GetWorkGroupOutput, error)
}

// Source is one Athena workgroup, data catalog and database.
type Source struct {
	name    string
	dsn     DSN
	athena  API
	glue    glue.Reader
	schemas []string // Glue databases introspected: schemas:, else the DSN's database
	log     *slog.Logger
	wg      workgroup
}

var _ source.Source = (*Source)(nil)

// Open connects an athena source: it loads the AWS configuration for the
// DSN's region and reads the workgroup (its engine version and per-query
// scan cutoff) within the connect timeout.
func Open(ctx context.Context, name string, cfg config.Source, opts source.Options) (source.Source, error) {
	dsn, err := ParseDSN(cfg.DSN)
	if err != nil {
		return nil, fmt.Errorf("%w: dsn: %w", source.ErrConfig, err)
	}
	ctx, cancel := context.WithTimeout(ctx, cfg.EffectiveConnectTimeout())
	defer cancel()
	awsCfg, err := glue.LoadAWS(ctx, dsn.Region, opts.Logger)
	if err != nil {
		return nil, err
	}
	dsn.Region = awsCfg.Region
	return New(ctx, name, dsn, cfg.Schemas, awsathena.NewFromConfig(awsCfg), awsglue.NewFromConfig(awsCfg), opts.Logger)
}

// New builds a source over the given clients and reads the workgroup.
func New(ctx context.Context, name string, dsn DSN, schemas []string, a API, g glue.API, log *slog.Logger) (*Source, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if len(schemas) == 0 {
		schemas = []string{dsn.Database}
	}
	s := &Source{name: name, dsn: dsn, athena: a, glue: glue.Reader{Client: g}, schemas: schemas, log: log}
	wg, err := s.readWorkgroup(ctx)
	if err != nil {
		return nil, err
	}
	s.wg = wg // read once: queries read it without a lock
	s.logCostGuard()
	return s, nil
}

// Name is the source's name in askdb.yaml.
func (s *Source) Name() string { return s.name }

// Dialect is Trino's: Athena engine version 3 speaks it.
func (s *Source) Dialect() catalog.Dialect { return catalog.Trino }

// Ping reads the workgroup: it proves the credentials and the endpoint
// without running (and paying for) a query.
func (s *Source) Ping(ctx context.Context) error {
	_, err := s.readWorkgroup(ctx)
	return err
}

// Close releases nothing: the SDK's HTTP clients are shared.
func (s *Source) Close() error { return nil }

// Introspect reads the tables of the source's Glue databases.
func (s *Source) Introspect(ctx context.Context) (*catalog.Catalog, error) {
	tables, err := s.glue.Tables(ctx, s.schemas)
	if err != nil {
		return nil, fmt.Errorf("source %q: introspect: %w", s.name, err)
	}
	cat := &catalog.Catalog{Source: s.name, Dialect: catalog.Trino, Version: s.wg.engine, Tables: tables}
	cat.Sort()
	return cat, nil
}

// workgroup is what Open learns of the workgroup.
type workgroup struct {
	engine   string // "Athena engine version 3"
	cutoff   int64  // BytesScannedCutoffPerQuery; 0: none
	enforced bool   // EnforceWorkGroupConfiguration: its settings override the client's
}

func (s *Source) readWorkgroup(ctx context.Context) (workgroup, error) {
	out, err := s.athena.GetWorkGroup(ctx, &awsathena.GetWorkGroupInput{WorkGroup: aws.String(s.dsn.Workgroup)})
	if err != nil {
		return workgroup{}, fmt.Errorf("source %q: workgroup %q: %w", s.name, s.dsn.Workgroup, classify(err))
	}
	wg := workgroup{engine: "Amazon Athena"}
	if w := out.WorkGroup; w != nil {
		if w.State != "" && w.State != "ENABLED" {
			return workgroup{}, fmt.Errorf("source %q: workgroup %q is %s: %w", s.name, s.dsn.Workgroup, strings.ToLower(string(w.State)), source.ErrUnreachable)
		}
		if c := w.Configuration; c != nil {
			wg.cutoff = aws.ToInt64(c.BytesScannedCutoffPerQuery)
			wg.enforced = aws.ToBool(c.EnforceWorkGroupConfiguration)
			if v := c.EngineVersion; v != nil {
				wg.engine = "Amazon Athena (" + or(aws.ToString(v.EffectiveEngineVersion), aws.ToString(v.SelectedEngineVersion)) + ")"
			}
		}
	}
	return wg, nil
}
