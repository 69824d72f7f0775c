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
	note := "Athena scanned " + source.FormatBytes(scanned)
	if max := s.dsn.MaxScannedBytes; max > 0 {
		note += " of max_scanned_bytes " + source.FormatBytes(max)
		if scanned > max {
			return note, &source.LimitError{Limit: max, Err: source.ErrScanLimit,
				Cause: fmt.Errorf("query %s scanned %s; filter on partition columns or read fewer columns", aws.ToString(exec.QueryExecutionId), source.FormatBytes(scanned))}
		}
	}
	if s.wg.cutoff > 0 {
		note += fmt.Sprintf(" (workgroup cutoff %s)", source.FormatBytes(s.wg.cutoff))
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
