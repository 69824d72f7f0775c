package enrich

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/askdb/askdb/internal/schema"
	"github.com/askdb/askdb/internal/store"
)

// Save stores snap as its source's latest snapshot.
func Save(ctx context.Context, st store.Store, snap *Snapshot) error {
	data, err := json.Marshal(snap)
	if err != nil {
		return fmt.Errorf("snapshot of source %q: encode: %w", snap.Source, err)
	}
	return st.SaveSnapshot(ctx, snap.Source, data)
}

// Load returns the latest snapshot of source; an error wrapping
// store.ErrNotFound means the source was never enriched.
func Load(ctx context.Context, st store.Store, source string) (*Snapshot, error) {
	data, _, err := st.Snapshot(ctx, source)
	if err != nil {
		return nil, err
	}
	var snap Snapshot
	if err := json.Unmarshal(data, &snap); err != nil {
		return nil, fmt.Errorf("snapshot of source %q: decode: %w", source, err)
	}
	if snap.Version != SnapshotVersion {
		return nil, fmt.Errorf("snapshot of source %q: layout version %d, want %d: run askdb enrich again", source, snap.Version, SnapshotVersion)
	}
	if snap.Catalog == nil {
		return nil, fmt.Errorf("snapshot of source %q: no catalog: run askdb enrich again", source)
	}
	return &snap, nil
}

// Snapshots reads the enrichment snapshots in st for package schema: a
// source never enriched has none.
func Snapshots(st store.Store) schema.Snapshots {
	return func(ctx context.Context, source string) (*schema.Snapshot, error) {
		snap, err := Load(ctx, st, source)
		if errors.Is(err, store.ErrNotFound) {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		return &schema.Snapshot{Catalog: snap.Catalog, Taken: snap.CreatedAt, Ranges: snap.Ranges(), Values: snap.Values()}, nil
	}
}

// Ranges are the minimum and maximum the statistics hold for numeric and
// temporal columns, for the prompt to show.
func (s *Snapshot) Ranges() map[schema.ColumnKey]schema.Range {
	out := map[schema.ColumnKey]schema.Range{}
	for _, t := range s.Stats.Tables {
		for _, c := range t.Columns {
			if c.Min != "" || c.Max != "" {
				out[schema.ColumnKey{Table: strings.ToLower(t.Table), Column: strings.ToLower(c.Column)}] = schema.Range{Min: c.Min, Max: c.Max}
			}
		}
	}
	return out
}

// Values are the distinct values the statistics hold for text columns.
func (s *Snapshot) Values() map[schema.ColumnKey][]string {
	out := map[schema.ColumnKey][]string{}
	for _, t := range s.Stats.Tables {
		for _, c := range t.Columns {
			if len(c.DistinctValues) > 0 {
				out[schema.ColumnKey{Table: strings.ToLower(t.Table), Column: strings.ToLower(c.Column)}] = c.DistinctValues
			}
		}
	}
	return out
}
