package pipeline

import (
	"context"
	"fmt"
	"time"

	"github.com/askdb/askdb/internal/catalog"
	"github.com/askdb/askdb/internal/source"
	"github.com/askdb/askdb/internal/trace"
)

// Engines that can answer a question, as Answer.Engine reports them.
const (
	EngineModel   = "model"
	EngineOffline = "offline"
	EngineAuto    = "auto"
	EngineUser    = "user" // SQL written by the user (RunSQL)
)

// DefaultOfflineMinConfidence is the confidence at or above which the
// offline engine answers, in offline mode and in auto mode with no model:
// the lowest threshold at which its answers were right 0.97 of the time
// on spider-train, measured with
//
//	askdb eval exec --dataset spider --data ../shared/datasets/spider-train --engine offline --calibrate
//
// ("Threshold for precision 0.97: confidence ≥ 0.970 gives 506 answered,
// 495 correct, precision 0.978, coverage 0.073"). Spider dev, never
// tuned on, gave 63 of 63 at that level.
const DefaultOfflineMinConfidence = 0.97

// DefaultOfflineModelMinConfidence is the stricter threshold auto mode
// uses when a model is configured: below it the model answers. It is the
// "threshold for precision 0.99" of the same run (confidence ≥ 0.9797:
// 219 answered, 217 correct, precision 0.991, coverage 0.032), which only
// plain counts of rows on one table reach.
const DefaultOfflineModelMinConfidence = 0.979

// Translator is a deterministic engine that writes SQL with no model at
// all (package offline). It must say when it cannot answer rather than guess.
type Translator interface {
	Translate(ctx context.Context, cat *catalog.Catalog, question string, now time.Time) Translation
}

// Translation is a Translator's answer.
type Translation struct {
	SQL         string
	Explanation string
	// Confidence is in [0, 1].
	Confidence float64
	// Abstain, when set, says in one sentence what could not be mapped;
	// SQL is then empty.
	Abstain string
}

// tryOffline runs the offline engine when the mode allows it. handled
// reports whether the question is settled (answered, or abstained with no
// model to fall back on); otherwise the model path continues.
func (r *run) tryOffline(ctx context.Context, q string, dryRun bool) (res *source.Result, handled bool, err error) {
	mode := r.p.opts.Engine
	if mode == EngineModel || r.p.opts.Offline == nil {
		return nil, false, nil
	}
	step := r.rec.Started(trace.StepGenerate)
	tr := r.p.opts.Offline.Translate(ctx, r.cat, q, r.p.opts.Now())
	hasModel := r.p.opts.SQLModel != nil
	threshold := r.p.opts.OfflineMinConfidence
	if mode == EngineAuto && hasModel {
		threshold = max(threshold, DefaultOfflineModelMinConfidence)
	}
	step.Detail(map[string]any{"engine": EngineOffline, "confidence": tr.Confidence, "sql": tr.SQL})
	switch {
	case tr.SQL == "" || tr.Confidence < threshold:
		why := tr.Abstain
		if why == "" {
			// The reading itself (tr.Explanation) stays in the trace: it
			// names tables and columns the user may not have typed.
			why = fmt.Sprintf("its best reading is not certain enough (confidence %.2f, below %.2f)", tr.Confidence, threshold)
		}
		if mode == EngineAuto && hasModel {
			step.Done("offline engine abstained (" + why + "); asking the model")
			return nil, false, nil
		}
		step.Done("offline engine abstained: " + why)
		r.ans.Engine = EngineOffline
		r.ans.Outcome = NoSQL
		r.ans.Message = "askdb could not answer this without a model: " + why
		if !hasModel {
			r.ans.Message += "\n" + ErrNoModel.Error()
		}
		return nil, true, nil
	}
	step.Done(fmt.Sprintf("offline engine wrote SQL (confidence %.2f)", tr.Confidence))
	r.ans.Engine = EngineOffline
	r.ans.SQL, r.ans.Explanation = tr.SQL, tr.Explanation
	res, err = r.checkAndRun(ctx, tr.SQL, dryRun)
	if (r.ans.Outcome == Failed || r.ans.Outcome == Refused) && mode == EngineAuto && hasModel {
		// The engine misjudged the schema; the model gets its turn.
		r.ans.Outcome, r.ans.Message, r.ans.Engine = "", "", ""
		return nil, false, nil
	}
	return res, true, err
}
