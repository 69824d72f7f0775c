package athena

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsathena "github.com/aws/aws-sdk-go-v2/service/athena"
	"github.com/aws/aws-sdk-go-v2/service/athena/types"

	"github.com/askdb/askdb/internal/source"
)

// stopTimeout bounds the StopQueryExecution sent after the caller's
// context has ended.
const stopTimeout = 5 * time.Second

// Query runs sql as one Athena query within lim: it refuses what is not a
// read (readonly.go), stops the query in Athena when ctx ends or the time
// limit passes, reads at most lim.MaxRows rows and about lim.MaxBytes
// bytes, and applies the cost guard to the bytes scanned.
func (s *Source) Query(ctx context.Context, sql string, lim source.Limits) (*source.Result, error) {
	begin := time.Now()
	lim = lim.WithDefaults()
	if strings.TrimSpace(sql) == "" {
		return nil, fmt.Errorf("source %q: %w", s.name, source.ErrEmptyQuery)
	}
	if err := checkReadOnly(sql); err != nil {
		return nil, fmt.Errorf("source %q: query: %w", s.name, err)
	}
	qctx, cancel := context.WithTimeout(ctx, lim.Timeout)
	defer cancel()
	exec, err := s.execute(qctx, sql)
	if err != nil {
		return nil, s.queryError(ctx, "query", err, lim.Timeout)
	}
	note, err := s.checkScanned(exec)
	if err != nil {
		return nil, fmt.Errorf("source %q: query: %w", s.name, err)
	}
	res, err := s.readResults(qctx, aws.ToString(exec.QueryExecutionId), lim)
	if err != nil {
		return nil, s.queryError(ctx, "query", err, lim.Timeout)
	}
	res.Note = note
	res.Duration = time.Since(begin)
	return res, nil
}

// Explain runs EXPLAIN <sql> as an Athena query (planning only: Athena
// reads no data for it) and returns the plan's lines.
func (s *Source) Explain(ctx context.Context, sql string) (string, error) {
	if strings.TrimSpace(sql) == "" {
		return "", fmt.Errorf("source %q: %w", s.name, source.ErrEmptyQuery)
	}
	if err := checkReadOnly(sql); err != nil {
		return "", fmt.Errorf("source %q: explain: %w", s.name, err)
	}
	lim := source.Limits{}.WithDefaults()
	qctx, cancel := context.WithTimeout(ctx, lim.Timeout)
	defer cancel()
	exec, err := s.execute(qctx, "EXPLAIN "+sql)
	if err != nil {
		return "", s.queryError(ctx, "explain", err, lim.Timeout)
	}
	res, err := s.readResults(qctx, aws.ToString(exec.QueryExecutionId), lim)
	if err != nil {
		return "", s.queryError(ctx, "explain", err, lim.Timeout)
	}
	lines := make([]string, 0, len(res.Rows))
	for _, row := range res.Rows {
		for _, v := range row {
			lines = append(lines, source.FormatValue(v))
		}
	}
	return strings.Join(lines, "\n"), nil
}

// execute starts sql and waits for it to end. When ctx ends first, the
// query is stopped in Athena.
func (s *Source) execute(ctx context.Context, sql string) (*types.QueryExecution, error) {
	in := &awsathena.StartQueryExecutionInput{
		QueryString: aws.String(sql),
		WorkGroup:   aws.String(s.dsn.Workgroup),
		QueryExecutionContext: &types.QueryExecutionContext{
			Catalog: aws.String(s.dsn.Catalog), Database: aws.String(s.dsn.Database),
		},
	}
	if s.dsn.OutputLocation != "" {
		in.ResultConfiguration = &types.ResultConfiguration{OutputLocation: aws.String(s.dsn.OutputLocation)}
	}
	out, err := s.athena.StartQueryExecution(ctx, in)
	if err != nil {
		return nil, err
	}
	id := aws.ToString(out.QueryExecutionId)
	exec, err := s.wait(ctx, id)
	if err != nil && ctx.Err() != nil {
		s.stop(ctx, id)
	}
	return exec, err
}

// wait polls GetQueryExecution, first after PollInterval and then twice
// as long each time up to MaxPollInterval, until the query ends.
func (s *Source) wait(ctx context.Context, id string) (*types.QueryExecution, error) {
	delay := s.dsn.PollInterval
	timer := time.NewTimer(delay)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-timer.C:
		}
		out, err := s.athena.GetQueryExecution(ctx, &awsathena.GetQueryExecutionInput{QueryExecutionId: aws.String(id)})
		if err != nil {
			return nil, err
		}
		exec := out.QueryExecution
		if exec == nil || exec.Status == nil {
			return nil, fmt.Errorf("query %s: GetQueryExecution returned no status", id)
		}
		switch exec.Status.State {
		case types.QueryExecutionStateSucceeded:
			return exec, nil
		case types.QueryExecutionStateFailed, types.QueryExecutionStateCancelled:
			return nil, &failure{id: id, exec: exec}
		}
		delay = min(2*delay, MaxPollInterval)
		timer.Reset(delay)
	}
}

// stop asks Athena to stop the query, on a context of its own: the
// caller's has ended, and a query left running keeps scanning (and
// costing) until the workgroup's timeout.
func (s *Source) stop(ctx context.Context, id string) {
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), stopTimeout)
	defer cancel()
	if _, err := s.athena.StopQueryExecution(sctx, &awsathena.StopQueryExecutionInput{QueryExecutionId: aws.String(id)}); err != nil {
		s.log.Warn("athena: stop query", "source", s.name, "query_execution_id", id, "err", err)
		return
	}
	s.log.Debug("athena: stopped query", "source", s.name, "query_execution_id", id)
}
