package enrich

import (
	"strings"
	"time"

	"github.com/askdb/askdb/internal/catalog"
)

// SnapshotVersion is the layout version of a stored Snapshot.
const SnapshotVersion = 1

// Snapshot is an enriched catalog as stored: the catalog with
// Column.Samples and Table.RowCount filled, and the statistics.
type Snapshot struct {
	Version   int              `json:"version"`
	Source    string           `json:"source"`
	CreatedAt time.Time        `json:"created_at"`
	Catalog   *catalog.Catalog `json:"catalog"`
	Stats     Stats            `json:"stats"`
	// Options are the bounds the statistics were computed with.
	Options Options `json:"options"`
}

// Stats are the data statistics of a catalog's tables.
type Stats struct {
	Tables []TableStats `json:"tables"`
}

// TableStats describe one table's data.
type TableStats struct {
	// Table is the qualified name (schema.name, or name).
	Table string `json:"table"`
	// RowCount is exact when RowCountExact, else a lower bound (or the
	// engine's estimate when larger).
	RowCount      int64 `json:"row_count"`
	RowCountExact bool  `json:"row_count_exact"`
	// SampleRows is how many rows the column statistics were computed from.
	SampleRows int64 `json:"sample_rows"`
	// Sampled is set when the table has more rows than the sample, so the
	// column statistics describe only part of it.
	Sampled bool          `json:"sampled"`
	Columns []ColumnStats `json:"columns"`
	// Error is set when the table could not be read (a broken view, no
	// privilege); its other statistics are then empty.
	Error string `json:"error,omitempty"`
}

// ColumnStats describe one column's data within the sample.
type ColumnStats struct {
	Column   string  `json:"column"`
	NullRate float64 `json:"null_rate"`
	// Distinct is the number of distinct non-null values in the sample;
	// -1 when not computed (numbers, dates, JSON, bytes).
	Distinct int64 `json:"distinct"`
	// Top are the most frequent values, most frequent first, for
	// low-cardinality text and boolean columns.
	Top []ValueCount `json:"top,omitempty"`
	// DistinctValues are the distinct values of a text column in the sample,
	// up to schema.ValuesPerColumn, for the prompt to match questions to.
	DistinctValues []string `json:"distinct_values,omitempty"`
	// Min and Max are set for numbers, dates and times, as the engine
	// returns them (ISO 8601 for dates).
	Min string `json:"min,omitempty"`
	Max string `json:"max,omitempty"`
}

// ValueCount is one value and how often it occurs in the sample.
type ValueCount struct {
	Value string `json:"value"`
	Count int64  `json:"count"`
}

// Table returns the statistics of the named table (qualified or bare,
// compared case-insensitively).
func (s *Stats) Table(name string) (*TableStats, bool) {
	for i := range s.Tables {
		t := &s.Tables[i]
		if strings.EqualFold(t.Table, name) {
			return t, true
		}
		if j := strings.LastIndexByte(t.Table, '.'); j >= 0 && strings.EqualFold(t.Table[j+1:], name) {
			return t, true
		}
	}
	return nil, false
}

// Column returns the statistics of one column.
func (t *TableStats) Column(name string) (*ColumnStats, bool) {
	for i := range t.Columns {
		if strings.EqualFold(t.Columns[i].Column, name) {
			return &t.Columns[i], true
		}
	}
	return nil, false
}

// Values returns the top values without their counts.
func (c *ColumnStats) Values() []string {
	out := make([]string, len(c.Top))
	for i, v := range c.Top {
		out[i] = v.Value
	}
	return out
}

// categorical reports whether a column's distinct values are worth listing.
func categorical(t catalog.Type) bool { return t == catalog.TypeText || t == catalog.TypeBoolean }

// ranged reports whether MIN and MAX mean something for a column.
func ranged(t catalog.Type) bool { return t.IsNumeric() || t.IsTemporal() }
