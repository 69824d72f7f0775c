package eval

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"time"
)

// ExecReport is the result of an execution-accuracy run.
type ExecReport struct {
	Dataset           string         `json:"dataset"`
	Engine            string         `json:"engine"`
	Questions         int            `json:"questions"`
	Answered          int            `json:"answered"`
	Correct           int            `json:"correct"`
	Abstained         int            `json:"abstained"`
	ExecutionAccuracy float64        `json:"execution_accuracy"`
	AnsweredPrecision float64        `json:"answered_precision"`
	Coverage          float64        `json:"coverage"`
	ModelCalls        int            `json:"model_calls"`
	Tokens            int            `json:"tokens"`
	ErrorsByStep      map[string]int `json:"errors_by_step"`
	LatencyP50        time.Duration  `json:"latency_p50_ns"`
	LatencyP90        time.Duration  `json:"latency_p90_ns"`
	LatencyP99        time.Duration  `json:"latency_p99_ns"`
	PerDatabase       []DBExecScore  `json:"per_database"`
	// Reliability is the precision of the offline engine's answers per
	// confidence bucket; Thresholds the lowest confidence reaching each
	// target precision. Both cover only the answers that were given, so
	// run with ExecOptions.Calibrate to see every confidence.
	Reliability []ConfidenceBucket `json:"reliability,omitempty"`
	// Calibrated says the offline engine answered at any confidence.
	Calibrated bool        `json:"calibrated"`
	Thresholds []Threshold `json:"thresholds,omitempty"`
	Items      []ExecItem  `json:"items,omitempty"`

	latencies []time.Duration
	offline   []scored
	perDB     map[string]*DBExecScore
}

// DBExecScore is one database's share of an ExecReport.
type DBExecScore struct {
	DB                string  `json:"db"`
	Questions         int     `json:"questions"`
	Answered          int     `json:"answered"`
	Correct           int     `json:"correct"`
	ExecutionAccuracy float64 `json:"execution_accuracy"`
	AnsweredPrecision float64 `json:"answered_precision"`
}

func newExecReport(dataset, engine string) *ExecReport {
	return &ExecReport{Dataset: dataset, Engine: engine, ErrorsByStep: map[string]int{}, perDB: map[string]*DBExecScore{}}
}

func (r *ExecReport) add(it ExecItem, keep bool) {
	r.Questions++
	r.ModelCalls += it.Calls
	r.Tokens += it.Tokens
	r.latencies = append(r.latencies, it.Latency)
	db := r.perDB[it.DB]
	if db == nil {
		db = &DBExecScore{DB: it.DB}
		r.perDB[it.DB] = db
	}
	db.Questions++
	switch {
	case it.Answered:
		r.Answered++
		db.Answered++
		if it.Correct {
			r.Correct++
			db.Correct++
		}
		if it.Confidence > 0 {
			r.offline = append(r.offline, scored{conf: it.Confidence, correct: it.Correct})
		}
	case it.Outcome == "no_sql":
		r.Abstained++
	}
	if it.Step != "" {
		r.ErrorsByStep[it.Step]++
	}
	if keep {
		r.Items = append(r.Items, it)
	}
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

func (r *ExecReport) finish() {
	r.ExecutionAccuracy = ratio(r.Correct, r.Questions)
	r.AnsweredPrecision = ratio(r.Correct, r.Answered)
	r.Coverage = ratio(r.Answered, r.Questions)
	r.LatencyP50 = percentile(r.latencies, 50)
	r.LatencyP90 = percentile(r.latencies, 90)
	r.LatencyP99 = percentile(r.latencies, 99)
	for _, db := range r.perDB {
		db.ExecutionAccuracy = ratio(db.Correct, db.Questions)
		db.AnsweredPrecision = ratio(db.Correct, db.Answered)
		r.PerDatabase = append(r.PerDatabase, *db)
	}
	sort.Slice(r.PerDatabase, func(i, j int) bool { return r.PerDatabase[i].DB < r.PerDatabase[j].DB })
	r.Reliability = reliability(r.offline)
	r.Thresholds = thresholds(r.offline, r.Questions)
}

// Markdown renders the report for a person.
func (r *ExecReport) Markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "# Execution accuracy: %s, engine %s\n\n", r.Dataset, r.Engine)
	fmt.Fprintf(&b, "| questions | answered | correct | execution accuracy | answered precision | coverage | abstained |\n|---|---|---|---|---|---|---|\n")
	fmt.Fprintf(&b, "| %d | %d | %d | %.3f | %.3f | %.3f | %d |\n\n", r.Questions, r.Answered, r.Correct, r.ExecutionAccuracy, r.AnsweredPrecision, r.Coverage, r.Abstained)
	fmt.Fprintf(&b, "Model calls: %d, tokens: %d. Latency p50 %s, p90 %s, p99 %s.\n\n", r.ModelCalls, r.Tokens,
		r.LatencyP50.Round(time.Microsecond), r.LatencyP90.Round(time.Microsecond), r.LatencyP99.Round(time.Microsecond))
	if len(r.ErrorsByStep) > 0 {
		b.WriteString("Errors by step:")
		steps := make([]string, 0, len(r.ErrorsByStep))
		for s := range r.ErrorsByStep {
			steps = append(steps, s)
		}
		sort.Strings(steps)
		for _, s := range steps {
			fmt.Fprintf(&b, " %s %d;", s, r.ErrorsByStep[s])
		}
		b.WriteString("\n\n")
	}
	r.reliabilityMarkdown(&b)
	b.WriteString("| database | questions | answered | correct | execution accuracy | answered precision |\n|---|---|---|---|---|---|\n")
	for _, db := range r.PerDatabase {
		fmt.Fprintf(&b, "| %s | %d | %d | %d | %.3f | %.3f |\n", db.DB, db.Questions, db.Answered, db.Correct, db.ExecutionAccuracy, db.AnsweredPrecision)
	}
	return b.String()
}

// progress reports a run's progress: a redrawn bar on a terminal, a plain
// line every tenth of the run otherwise.
type progress struct {
	w     io.Writer
	tty   bool
	total int
	last  int
}

func newProgress(w io.Writer, tty bool, total int) *progress {
	return &progress{w: w, tty: tty, total: total}
}

func (p *progress) update(n, correct int) {
	if p.w == nil || p.total == 0 {
		return
	}
	if p.tty {
		width := 30
		fill := width * n / p.total
		fmt.Fprintf(p.w, "\r[%s%s] %d/%d correct %d", strings.Repeat("#", fill), strings.Repeat(".", width-fill), n, p.total, correct)
		return
	}
	if step := max(p.total/10, 1); n-p.last >= step || n == p.total {
		p.last = n
		fmt.Fprintf(p.w, "eval: %d/%d questions, %d correct\n", n, p.total, correct)
	}
}

func (p *progress) done() {
	if p.w != nil && p.tty {
		fmt.Fprintln(p.w)
	}
}
