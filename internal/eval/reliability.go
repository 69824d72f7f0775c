package eval

import (
	"fmt"
	"sort"
	"strings"
)

// ConfidenceBucket is one row of a reliability table: the offline answers
// whose confidence is in [From, To).
type ConfidenceBucket struct {
	From      float64 `json:"from"`
	To        float64 `json:"to"`
	Answered  int     `json:"answered"`
	Correct   int     `json:"correct"`
	Precision float64 `json:"precision"`
}

// Threshold is the lowest confidence at which the offline answers at or
// above it reach a target precision.
type Threshold struct {
	Target     float64 `json:"target_precision"`
	Found      bool    `json:"found"`
	Confidence float64 `json:"confidence"`
	Answered   int     `json:"answered"`
	Correct    int     `json:"correct"`
	Precision  float64 `json:"precision"`
	// Coverage is Answered over all questions of the run.
	Coverage float64 `json:"coverage"`
}

// bucketEdges split [0, 1] for the reliability table; finer near the top,
// where thresholds fall.
var bucketEdges = []float64{0, 0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 1.0001}

// thresholdTargets are the precisions the report looks thresholds up for:
// 0.97 for the offline engine alone, a stricter one for auto mode with a
// model.
var thresholdTargets = []float64{0.95, 0.97, 0.98, 0.99}

// minThresholdSupport is the fewest answers a threshold may rest on, so
// that a handful of lucky answers at the top cannot set it.
const minThresholdSupport = 20

type scored struct {
	conf    float64
	correct bool
}

// reliability builds the table from the offline answers.
func reliability(as []scored) []ConfidenceBucket {
	if len(as) == 0 {
		return nil
	}
	out := make([]ConfidenceBucket, len(bucketEdges)-1)
	for k := range out {
		out[k].From, out[k].To = bucketEdges[k], min(bucketEdges[k+1], 1)
	}
	for _, a := range as {
		for k := range out {
			if a.conf >= bucketEdges[k] && a.conf < bucketEdges[k+1] {
				out[k].Answered++
				if a.correct {
					out[k].Correct++
				}
				break
			}
		}
	}
	for k := range out {
		out[k].Precision = ratio(out[k].Correct, out[k].Answered)
	}
	return out
}

// thresholds finds, for each target, the lowest confidence c such that
// the answers at or above c reach the target precision.
func thresholds(as []scored, questions int) []Threshold {
	if len(as) == 0 {
		return nil
	}
	sorted := append([]scored(nil), as...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].conf > sorted[j].conf })
	var out []Threshold
	for _, target := range thresholdTargets {
		th := Threshold{Target: target}
		correct := 0
		for i, a := range sorted {
			if a.correct {
				correct++
			}
			if i+1 < len(sorted) && sorted[i+1].conf == a.conf {
				continue // a threshold keeps or drops all answers of one confidence
			}
			n := i + 1
			if p := ratio(correct, n); n >= minThresholdSupport && p >= target {
				th = Threshold{Target: target, Found: true, Confidence: a.conf, Answered: n, Correct: correct,
					Precision: p, Coverage: ratio(n, questions)}
			}
		}
		out = append(out, th)
	}
	return out
}

// reliabilityMarkdown renders the table and thresholds.
func (r *ExecReport) reliabilityMarkdown(b *strings.Builder) {
	if len(r.Reliability) == 0 {
		return
	}
	b.WriteString("Offline confidence (reliability table")
	if !r.Calibrated {
		b.WriteString("; answers below the pipeline's threshold were abstentions, so run with --calibrate to see every level")
	}
	b.WriteString("):\n\n| confidence | answered | correct | precision |\n|---|---|---|---|\n")
	for _, k := range r.Reliability {
		fmt.Fprintf(b, "| %.2f–%.2f | %d | %d | %.3f |\n", k.From, k.To, k.Answered, k.Correct, k.Precision)
	}
	b.WriteString("\n")
	for _, t := range r.Thresholds {
		if !t.Found {
			fmt.Fprintf(b, "Threshold for precision %.2f: none (no confidence level reaches it on %d or more answers).\n", t.Target, minThresholdSupport)
			continue
		}
		fmt.Fprintf(b, "Threshold for precision %.2f: confidence ≥ %.4f gives %d answered, %d correct, precision %.3f, coverage %.3f.\n",
			t.Target, t.Confidence, t.Answered, t.Correct, t.Precision, t.Coverage)
	}
	b.WriteString("\n")
}
