package storetest

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/askdb/askdb/internal/store"
)

func auditLog(t *testing.T, s store.Store) store.AuditLog {
	t.Helper()
	return ability[store.AuditLog](t, s)
}

// exportIDs returns the ids EachAnswer yields for f, in order.
func exportIDs(t *testing.T, al store.AuditLog, f store.AuditFilter) []string {
	t.Helper()
	var ids []string
	err := al.EachAnswer(context.Background(), f, func(a store.AnswerRecord) error {
		ids = append(ids, a.ID)
		return nil
	})
	if err != nil {
		t.Fatalf("EachAnswer(%+v): %v", f, err)
	}
	return ids
}

func testAuditExport(t *testing.T, open func(t *testing.T) store.Store) {
	ctx := context.Background()
	s := openT(t, open)
	al := auditLog(t, s)
	// Saved out of time order; e2 and e3 share an instant (ordered by id).
	recs := []struct {
		id, user, source string
		at               time.Duration
	}{
		{"e4", "bob", "hr", 3 * time.Hour},
		{"e1", "alice", "sales", 0},
		{"e3", "alice", "hr", time.Hour},
		{"e2", "bob", "sales", time.Hour},
		{"e5", "alice", "sales", 5 * time.Hour},
	}
	for _, r := range recs {
		a := sampleAnswer(r.id)
		a.User, a.Source, a.CreatedAt = r.user, r.source, at.Add(r.at)
		if err := s.SaveAnswer(ctx, a); err != nil {
			t.Fatalf("SaveAnswer(%q): %v", r.id, err)
		}
	}
	tests := []struct {
		name string
		f    store.AuditFilter
		want []string
	}{
		{"everything", store.AuditFilter{}, []string{"e1", "e2", "e3", "e4", "e5"}},
		{"since is inclusive", store.AuditFilter{Since: at.Add(time.Hour)}, []string{"e2", "e3", "e4", "e5"}},
		{"until is exclusive", store.AuditFilter{Since: at, Until: at.Add(3 * time.Hour)}, []string{"e1", "e2", "e3"}},
		{"user", store.AuditFilter{User: "alice"}, []string{"e1", "e3", "e5"}},
		{"source", store.AuditFilter{Source: "hr"}, []string{"e3", "e4"}},
		{"user, source and time", store.AuditFilter{User: "alice", Source: "sales", Since: at.Add(time.Minute)}, []string{"e5"}},
		{"nothing in range", store.AuditFilter{Since: at.Add(6 * time.Hour)}, nil},
		{"pages of two across a tie", store.AuditFilter{PageSize: 2}, []string{"e1", "e2", "e3", "e4", "e5"}},
		{"pages of one", store.AuditFilter{PageSize: 1, User: "bob"}, []string{"e2", "e4"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, exportIDs(t, al, tc.f)); diff != "" {
				t.Errorf("ids (-want +got):\n%s", diff)
			}
		})
	}
}

// testAuditExportRecord checks that an exported record carries every
// audit field but not the answer's payload (its rows).
func testAuditExportRecord(t *testing.T, open func(t *testing.T) store.Store) {
	ctx := context.Background()
	s := openT(t, open)
	in := sampleAnswer("r1")
	in.SQL = in.SQLWritten + " AND region = 'EMEA' LIMIT 1000"
	if err := s.SaveAnswer(ctx, in); err != nil {
		t.Fatalf("SaveAnswer: %v", err)
	}
	var got []store.AnswerRecord
	err := auditLog(t, s).EachAnswer(ctx, store.AuditFilter{}, func(a store.AnswerRecord) error {
		got = append(got, a)
		return nil
	})
	if err != nil {
		t.Fatalf("EachAnswer: %v", err)
	}
	want := in
	want.Payload = nil
	want.CreatedAt = want.CreatedAt.Truncate(time.Microsecond)
	if diff := cmp.Diff([]store.AnswerRecord{want}, got, jsonEqual); diff != "" {
		t.Errorf("exported record (-want +got):\n%s", diff)
	}
}

// testAuditExportStops checks that an error from the callback ends the
// walk at once, in the middle of a page and at a page's end.
func testAuditExportStops(t *testing.T, open func(t *testing.T) store.Store) {
	ctx := context.Background()
	s := openT(t, open)
	for i := range 6 {
		a := sampleAnswer(fmt.Sprintf("s%d", i))
		a.CreatedAt = at.Add(time.Duration(i) * time.Second)
		if err := s.SaveAnswer(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	stop := errors.New("stop")
	for _, after := range []int{1, 2, 3} {
		n := 0
		err := auditLog(t, s).EachAnswer(ctx, store.AuditFilter{PageSize: 2}, func(store.AnswerRecord) error {
			n++
			if n == after {
				return stop
			}
			return nil
		})
		if !errors.Is(err, stop) || n != after {
			t.Errorf("stop after %d: err %v, %d calls", after, err, n)
		}
	}
}
