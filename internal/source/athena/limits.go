package athena

import (
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/athena/types"

	"github.com/askdb/askdb/internal/source"
)

// checkScanned applies the cost guard to a finished query: it returns the
// note the trace shows ("Athena scanned 1.2 MiB"), and a *LimitError
// wrapping ErrScanLimit when the query scanned more than
// max_scanned_bytes. Athena has already scanned (and billed) the data by
// then; the error keeps the result from being used and tells the model to
// narrow the query. Only the workgroup's BytesScannedCutoffPerQuery stops
// a query while it runs.
func (s *Source) checkScanned(exec *types.QueryExecution) (string, error) {
	var scanned int64
	if st := exec.Statistics; st != nil {
		scanned = aws.ToInt64(st.DataScannedInBytes)
	}
	note := "Athena scanned " + formatBytes(scanned)
	if max := s.dsn.MaxScannedBytes; max > 0 {
		note += " of max_scanned_bytes " + formatBytes(max)
		if scanned > max {
			return note, &source.LimitError{Limit: max, Err: source.ErrScanLimit,
				Cause: fmt.Errorf("query %s scanned %s; filter on partition columns or read fewer columns", aws.ToString(exec.QueryExecutionId), formatBytes(scanned))}
		}
	}
	if s.wg.cutoff > 0 {
		note += fmt.Sprintf(" (workgroup cutoff %s)", formatBytes(s.wg.cutoff))
	}
	return note, nil
}

// logCostGuard says at open which layer enforces max_scanned_bytes.
func (s *Source) logCostGuard() {
	max, cutoff := s.dsn.MaxScannedBytes, s.wg.cutoff
	switch {
	case max == 0 && cutoff == 0:
		s.log.Warn("athena: no cost guard: neither max_scanned_bytes nor the workgroup's per-query data limit is set", "source", s.name, "workgroup", s.dsn.Workgroup)
	case cutoff > 0 && (max == 0 || cutoff <= max):
		s.log.Info("athena: the workgroup stops queries past its per-query data limit", "source", s.name, "workgroup", s.dsn.Workgroup, "cutoff_bytes", cutoff, "max_scanned_bytes", max)
	default:
		s.log.Warn("athena: max_scanned_bytes is checked only after a query ends; set the workgroup's per-query data usage control to stop queries while they run",
			"source", s.name, "workgroup", s.dsn.Workgroup, "max_scanned_bytes", max, "cutoff_bytes", cutoff)
	}
}

// formatBytes renders a byte count in the units it was likely given in:
// Athena's decimal ones (10 GB) when it is a round number of them, else
// source.FormatBytes' binary ones, with GiB and TiB for large counts.
func formatBytes(n int64) string {
	for _, u := range []struct {
		name string
		size int64
	}{{"TB", 1e12}, {"GB", 1e9}, {"MB", 1e6}} {
		if n >= u.size && n%u.size == 0 {
			return fmt.Sprintf("%d %s", n/u.size, u.name)
		}
	}
	switch {
	case n >= 1<<40:
		return fmt.Sprintf("%.1f TiB", float64(n)/(1<<40))
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	}
	return source.FormatBytes(n)
}
