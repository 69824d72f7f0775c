package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/askdb/askdb/internal/store"
)

// Backend creates a fresh, empty database for t (removed when t ends) and
// returns a function that opens a store over it; the function may be
// called several times, and each store must see the same data.
type Backend func(t *testing.T) (open func() (store.Store, error))

// Run runs the suite against one backend.
func Run(t *testing.T, backend Backend) {
	t.Helper()
	tests := []struct {
		name string
		run  func(t *testing.T, open func(t *testing.T) store.Store)
	}{
		{"AnswerRoundTrip", testAnswerRoundTrip},
		{"AnswerNotFound", testAnswerNotFound},
		{"AnswerDuplicateID", testAnswerDuplicateID},
		{"Feedback", testFeedback},
		{"QuestionBank", testQuestionBank},
		{"Snapshot", testSnapshot},
		{"ReopenKeepsData", testReopen},
		{"ConcurrentWrites", testConcurrentWrites},
		{"Conversation", testConversation},
		{"DeleteBankEntry", testDeleteBankEntry},
		{"CacheRoundTrip", testCacheRoundTrip},
		{"CacheReplace", testCacheReplace},
		{"CacheInvalidation", testCacheInvalidation},
		{"CacheEviction", testCacheEviction},
		{"AuditExport", testAuditExport}, {"AuditExportRecord", testAuditExportRecord}, {"AuditExportStops", testAuditExportStops},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fresh := backend(t)
			tc.run(t, func(t *testing.T) store.Store {
				t.Helper()
				s, err := fresh()
				if err != nil {
					t.Fatalf("open store: %v", err)
				}
				return s
			})
		})
	}
}

func openT(t *testing.T, open func(t *testing.T) store.Store) store.Store {
	t.Helper()
	s := open(t)
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// at is a fixed instant with nanoseconds the store must cut to microseconds.
var at = time.Date(2025, 6, 15, 10, 30, 0, 123456789, time.UTC)

func sampleAnswer(id string) store.AnswerRecord {
	return store.AnswerRecord{
		ID: id, User: "alice", Source: "sample", Question: "How many employees were hired before 1990?",
		SQL: "SELECT COUNT(*) FROM employees WHERE hire_date < '1990-01-01'", Outcome: "answered",
		Engine: "offline", Message: "", Verdicts: []string{"function", "accepted"}, RowCount: 1,
		Duration: 1234567 * time.Nanosecond, InputTokens: 100, OutputTokens: 20, ModelCalls: 2,
		Payload:   json.RawMessage(`{"outcome": "answered", "rows": [[42]]}`),
		CreatedAt: at, ConversationID: "c1",
		Groups: []string{"analysts", "sales-emea"}, SQLWritten: "SELECT COUNT(*) FROM employees WHERE hire_date < '1990-01-01'",
	}
}

// jsonEqual compares JSON documents by value: PostgreSQL's JSONB keeps
// meaning, not spelling.
var jsonEqual = cmp.Comparer(func(a, b json.RawMessage) bool {
	if len(a) == 0 || len(b) == 0 {
		return len(a) == len(b)
	}
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	return cmp.Equal(x, y)
})

func testAnswerRoundTrip(t *testing.T, open func(t *testing.T) store.Store) {
	ctx := context.Background()
	s := openT(t, open)
	tests := []struct {
		name string
		in   store.AnswerRecord
	}{
		{"full", sampleAnswer("a1")},
		{"minimal", store.AnswerRecord{ID: "a2", Question: "q?", CreatedAt: at}},
		{"refused with unicode", store.AnswerRecord{ID: "a3", Question: "Umsatz in München — 2024?", Outcome: "refused",
			Message: "l'accès est refusé", Verdicts: []string{"write"}, CreatedAt: at}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := s.SaveAnswer(ctx, tc.in); err != nil {
				t.Fatalf("SaveAnswer: %v", err)
			}
			got, err := s.Answer(ctx, tc.in.ID)
			if err != nil {
				t.Fatalf("Answer: %v", err)
			}
			want := tc.in
			want.CreatedAt = want.CreatedAt.Truncate(time.Microsecond)
			if diff := cmp.Diff(want, got, jsonEqual); diff != "" {
				t.Errorf("Answer(%q) mismatch (-want +got):\n%s", tc.in.ID, diff)
			}
		})
	}
}

func testAnswerNotFound(t *testing.T, open func(t *testing.T) store.Store) {
	s := openT(t, open)
	_, err := s.Answer(context.Background(), "missing")
	if !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("Answer(missing) error = %v, want ErrNotFound", err)
	}
	if err := s.SaveAnswer(context.Background(), store.AnswerRecord{Question: "no id"}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("SaveAnswer without id error = %v, want ErrInvalid", err)
	}
}

func testAnswerDuplicateID(t *testing.T, open func(t *testing.T) store.Store) {
	ctx := context.Background()
	s := openT(t, open)
	if err := s.SaveAnswer(ctx, sampleAnswer("dup")); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveAnswer(ctx, sampleAnswer("dup")); err == nil {
		t.Error("saving the same answer id twice succeeded; the audit log must not be overwritten")
	}
}

func testFeedback(t *testing.T, open func(t *testing.T) store.Store) {
	ctx := context.Background()
	s := openT(t, open)
	if err := s.SaveAnswer(ctx, sampleAnswer("a1")); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		in      store.Feedback
		wantErr error
	}{
		{"up", store.Feedback{AnswerID: "a1", User: "alice", Vote: "up", CreatedAt: at}, nil},
		{"down with comment", store.Feedback{AnswerID: "a1", User: "bob", Vote: "down", Comment: "wrong year", CreatedAt: at.Add(time.Second)}, nil},
		{"unknown answer", store.Feedback{AnswerID: "nope", Vote: "up"}, store.ErrNotFound},
		{"bad vote", store.Feedback{AnswerID: "a1", Vote: "meh"}, store.ErrInvalid},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := s.AddFeedback(ctx, tc.in)
			if !errors.Is(err, tc.wantErr) || (tc.wantErr == nil && err != nil) {
				t.Fatalf("AddFeedback error = %v, want %v", err, tc.wantErr)
			}
		})
	}
	got, err := s.FeedbackFor(ctx, "a1")
	if err != nil {
		t.Fatal(err)
	}
	want := []store.Feedback{
		{AnswerID: "a1", User: "alice", Vote: "up", CreatedAt: at.Truncate(time.Microsecond)},
		{AnswerID: "a1", User: "bob", Vote: "down", Comment: "wrong year", CreatedAt: at.Add(time.Second).Truncate(time.Microsecond)},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("FeedbackFor mismatch (-want +got):\n%s", diff)
	}
}

func testQuestionBank(t *testing.T, open func(t *testing.T) store.Store) {
	ctx := context.Background()
	s := openT(t, open)
	entries := []store.BankEntry{
		{ID: "b1", Source: "sample", Question: "How many customers?", SQL: "SELECT COUNT(*) FROM customers", Origin: store.OriginKnowledge, CreatedAt: at},
		{ID: "b2", Source: "sample", Question: "Revenue 2024", SQL: "SELECT SUM(total) FROM orders", Origin: store.OriginFeedback, AnswerID: "a9", CreatedAt: at.Add(time.Minute)},
		{ID: "b3", Source: "other", Question: "x", SQL: "SELECT 1", Origin: store.OriginKnowledge, CreatedAt: at},
	}
	for _, e := range entries {
		if err := s.AddBankEntry(ctx, e); err != nil {
			t.Fatalf("AddBankEntry(%q): %v", e.ID, err)
		}
	}
	if err := s.AddBankEntry(ctx, store.BankEntry{Source: "sample", Question: "q", SQL: "SELECT 1", Origin: "guess"}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("AddBankEntry with origin \"guess\" error = %v, want ErrInvalid", err)
	}
	if err := s.AddBankEntry(ctx, store.BankEntry{Source: "sample", Question: "generated id", SQL: "SELECT 2", Origin: store.OriginKnowledge, CreatedAt: at.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	got, err := s.BankEntries(ctx, "sample")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 {
		t.Fatalf("BankEntries(sample) = %d entries, want 3: %+v", len(got), got)
	}
	if got[2].ID == "" {
		t.Error("AddBankEntry did not fill an empty id")
	}
	want := []store.BankEntry{entries[0], entries[1]}
	for i := range want {
		want[i].CreatedAt = want[i].CreatedAt.Truncate(time.Microsecond)
	}
	if diff := cmp.Diff(want, got[:2]); diff != "" {
		t.Errorf("BankEntries(sample) mismatch (-want +got):\n%s", diff)
	}
	none, err := s.BankEntries(ctx, "absent")
	if err != nil || len(none) != 0 {
		t.Errorf("BankEntries(absent) = %v, %v; want none", none, err)
	}
}

func testSnapshot(t *testing.T, open func(t *testing.T) store.Store) {
	ctx := context.Background()
	s := openT(t, open)
	if _, _, err := s.Snapshot(ctx, "sample"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("Snapshot before save error = %v, want ErrNotFound", err)
	}
	before := time.Now().Add(-time.Minute)
	for _, data := range []string{`{"v":1}`, `{"v":2,"bytes":"\u0000"}`} {
		if err := s.SaveSnapshot(ctx, "sample", []byte(data)); err != nil {
			t.Fatalf("SaveSnapshot: %v", err)
		}
		got, when, err := s.Snapshot(ctx, "sample")
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != data {
			t.Errorf("Snapshot = %q, want the latest %q", got, data)
		}
		if when.Before(before) || when.After(time.Now().Add(time.Minute)) {
			t.Errorf("Snapshot time %v is not about now", when)
		}
	}
}

func testReopen(t *testing.T, open func(t *testing.T) store.Store) {
	ctx := context.Background()
	s := open(t)
	if err := s.SaveAnswer(ctx, sampleAnswer("kept")); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s2 := openT(t, open) // migrations run again and must be a no-op
	if _, err := s2.Answer(ctx, "kept"); err != nil {
		t.Fatalf("after reopening: %v", err)
	}
}

func testConcurrentWrites(t *testing.T, open func(t *testing.T) store.Store) {
	ctx := context.Background()
	s := openT(t, open)
	const writers, each = 8, 10
	var wg sync.WaitGroup
	errs := make(chan error, writers*each*2)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				id := fmt.Sprintf("w%d-%d", w, i)
				if err := s.SaveAnswer(ctx, sampleAnswer(id)); err != nil {
					errs <- err
					continue
				}
				if err := s.AddFeedback(ctx, store.Feedback{AnswerID: id, Vote: "up"}); err != nil {
					errs <- err
				}
				if _, err := s.Answer(ctx, id); err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("concurrent write: %v", err)
	}
	for w := range writers {
		for i := range each {
			fb, err := s.FeedbackFor(ctx, fmt.Sprintf("w%d-%d", w, i))
			if err != nil || len(fb) != 1 {
				t.Fatalf("FeedbackFor(w%d-%d) = %d, %v; want 1 vote", w, i, len(fb), err)
			}
		}
	}
}

func testDeleteBankEntry(t *testing.T, open func(t *testing.T) store.Store) {
	ctx := context.Background()
	s := openT(t, open)
	if err := s.AddBankEntry(ctx, store.BankEntry{ID: "b1", Source: "sample", Question: "q?", SQL: "SELECT 1", Origin: store.OriginFeedback, CreatedAt: at}); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteBankEntry(ctx, "b1"); err != nil {
		t.Fatal(err)
	}
	if got, err := s.BankEntries(ctx, "sample"); err != nil || len(got) != 0 {
		t.Errorf("after delete: %v, %v", got, err)
	}
	if err := s.DeleteBankEntry(ctx, "b1"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("deleting twice: %v, want ErrNotFound", err)
	}
}

func testConversation(t *testing.T, open func(t *testing.T) store.Store) {
	ctx := context.Background()
	s := openT(t, open)
	for i, q := range []string{"first?", "second?", "third?"} {
		a := store.AnswerRecord{ID: fmt.Sprintf("c%d", i), User: "ann", Question: q, SQL: "SELECT " + q, ConversationID: "talk", CreatedAt: at.Add(time.Duration(i) * time.Second)}
		if err := s.SaveAnswer(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	for _, a := range []store.AnswerRecord{
		{ID: "other", User: "ann", Question: "elsewhere?", ConversationID: "other-talk", CreatedAt: at},
		// Another user writing into ann's conversation id, later than all of
		// ann's turns: neither read by ann nor crowding hers out.
		{ID: "intruder", User: "bob", Question: "intruding?", ConversationID: "talk", CreatedAt: at.Add(time.Minute)},
	} {
		if err := s.SaveAnswer(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.Conversation(ctx, "talk", "ann", 2)
	if err != nil {
		t.Fatal(err)
	}
	var qs []string
	for _, a := range got {
		qs = append(qs, a.Question)
	}
	if diff := cmp.Diff([]string{"second?", "third?"}, qs); diff != "" {
		t.Errorf("Conversation: the last two, oldest first (-want +got):\n%s", diff)
	}
	if got, err := s.Conversation(ctx, "", "ann", 5); err != nil || len(got) != 0 {
		t.Errorf("Conversation with no id = %v, %v", got, err)
	}
	got, err = s.Conversation(ctx, "talk", "bob", 5)
	if err != nil || len(got) != 1 || got[0].ID != "intruder" {
		t.Errorf("bob's part of the conversation = %+v, %v; want only his own answer", got, err)
	}
}
