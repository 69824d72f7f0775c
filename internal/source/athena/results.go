package athena

import (
	"context"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsathena "github.com/aws/aws-sdk-go-v2/service/athena"
	"github.com/aws/aws-sdk-go-v2/service/athena/types"

	"github.com/askdb/askdb/internal/catalog"
	"github.com/askdb/askdb/internal/source"
	"github.com/askdb/askdb/internal/source/glue"
)

// maxPage is the most rows GetQueryResults returns per call.
const maxPage = 1000

// readResults reads a finished query's rows page by page, as
// source.ReadRows does for database/sql kinds: at most lim.MaxRows rows,
// about lim.MaxBytes bytes, and a *source.LimitError for one value or row
// larger than lim.MaxBytes by itself. It asks for no more rows than it can
// keep (plus the header row and one to tell whether more remain).
func (s *Source) readResults(ctx context.Context, id string, lim source.Limits) (*source.Result, error) {
	in := &awsathena.GetQueryResultsInput{QueryExecutionId: aws.String(id), MaxResults: aws.Int32(int32(min(maxPage, lim.MaxRows+2)))}
	r := &reader{lim: lim, res: &source.Result{Columns: []source.ResultColumn{}, Rows: [][]any{}}}
	p := awsathena.NewGetQueryResultsPaginator(s.athena, in)
	first := true
	for p.HasMorePages() && !r.full && !r.res.Truncated {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		if page.ResultSet == nil {
			break
		}
		rows := page.ResultSet.Rows
		if first {
			r.columns(page.ResultSet.ResultSetMetadata)
			if len(rows) > 0 && r.isHeader(rows[0]) {
				rows = rows[1:]
			}
			first = false
		}
		if err := r.add(rows); err != nil {
			return nil, err
		}
	}
	if !r.res.Truncated && r.full && p.HasMorePages() {
		r.res.Truncated, r.res.TruncatedBy = true, source.TruncatedByRows
	}
	return r.res, nil
}

// reader accumulates one result within its limits.
type reader struct {
	lim  source.Limits
	res  *source.Result
	size int64
	full bool // MaxRows rows are in: any further row truncates
}

func (r *reader) columns(meta *types.ResultSetMetadata) {
	if meta == nil {
		return
	}
	for _, c := range meta.ColumnInfo {
		db := aws.ToString(c.Type)
		r.res.Columns = append(r.res.Columns, source.ResultColumn{Name: aws.ToString(c.Name), DBType: db, Type: resultType(db)})
	}
}

// isHeader reports whether row is the column-name row Athena puts first
// in a SELECT's results.
func (r *reader) isHeader(row types.Row) bool {
	if len(row.Data) != len(r.res.Columns) || len(row.Data) == 0 {
		return false
	}
	for i, d := range row.Data {
		if d.VarCharValue == nil || *d.VarCharValue != r.res.Columns[i].Name {
			return false
		}
	}
	return true
}

func (r *reader) add(rows []types.Row) error {
	for _, row := range rows {
		if r.full {
			r.res.Truncated, r.res.TruncatedBy = true, source.TruncatedByRows
			return nil
		}
		out := make([]any, len(r.res.Columns))
		var rowSize int64
		for i := range out {
			var d types.Datum
			if i < len(row.Data) {
				d = row.Data[i]
			}
			if d.VarCharValue != nil && int64(len(*d.VarCharValue)) > r.lim.MaxBytes {
				return &source.LimitError{Limit: r.lim.MaxBytes, Err: source.ErrValueTooLarge}
			}
			out[i] = value(d.VarCharValue, r.res.Columns[i].Type)
			rowSize += source.ValueSize(out[i])
		}
		if rowSize > r.lim.MaxBytes {
			return &source.LimitError{Limit: r.lim.MaxBytes, Err: source.ErrValueTooLarge}
		}
		if r.size += rowSize; r.size > r.lim.MaxBytes {
			r.res.Truncated, r.res.TruncatedBy = true, source.TruncatedByBytes
			return nil
		}
		r.res.Rows = append(r.res.Rows, out)
		r.full = len(r.res.Rows) >= r.lim.MaxRows
	}
	return nil
}

// resultType maps the type names of Athena's ResultSetMetadata (varchar,
// bigint, decimal, double, boolean, date, timestamp, array, row, …).
func resultType(db string) catalog.Type {
	t := strings.ToLower(db)
	switch {
	case t == "row" || t == "array" || t == "map" || strings.HasPrefix(t, "interval"):
		return catalog.TypeOther
	case t == "varbinary":
		return catalog.TypeText // Athena sends bytes as hex text
	case t == "timestamp with time zone":
		return catalog.TypeText // "2025-01-01 10:00:00.000 UTC": keep Athena's spelling
	}
	return glue.NormalizeType(t)
}

// value converts one Athena datum (always text, absent for NULL).
func value(v *string, t catalog.Type) any {
	if v == nil {
		return nil
	}
	if t == catalog.TypeBoolean {
		switch *v {
		case "true":
			return true
		case "false":
			return false
		}
	}
	return source.JSONValue(*v, t)
}
