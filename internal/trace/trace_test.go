package trace

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestRecorder(t *testing.T) {
	var seen []string
	r := NewRecorder(func(s Step) { seen = append(seen, s.Name+":"+s.Status) })
	clock := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	r.now = func() time.Time { clock = clock.Add(time.Millisecond); return clock }

	g := r.Started(StepGenerate).Attempt(1)
	g.Model("m", 10, 5)
	g.Model("m", 1, 1)
	g.Done("wrote SQL")
	g.Done("ignored: a step finishes once")
	r.Started(StepGuard).Fail("refused", errors.New("DELETE is not a query"))

	steps := r.Steps()
	want := "generate:running,generate:done,guard:running,guard:failed"
	if len(steps) != 2 || strings.Join(seen, ",") != want {
		t.Fatalf("steps = %+v, observed %v", steps, seen)
	}
	if steps[0].Duration != time.Millisecond || steps[0].Decision != "wrote SQL" || steps[0].Attempt != 1 {
		t.Errorf("generate step = %+v", steps[0])
	}
	if steps[1].Error != "DELETE is not a query" {
		t.Errorf("guard step error = %q", steps[1].Error)
	}
	if got := r.Tokens(); got != (Tokens{Input: 11, Output: 6}) || got.Total() != 17 {
		t.Errorf("Tokens = %+v", got)
	}
}
