package pipeline

import (
	"context"
	"fmt"
	"time"

	"github.com/askdb/askdb/internal/offline"
	"github.com/askdb/askdb/internal/schema"
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
// *offline.Engine implements it. The engine reads the prepared schema,
// values included: it never queries the source itself.
type Translator interface {
	TranslateSchema(ctx context.Context, s *schema.Schema, question string, now time.Time) Translation
}

var _ Translator = (*offline.Engine)(nil)

// Translation is a Translator's answer: SQL with a confidence in [0, 1],
// or an abstention saying in one sentence what could not be mapped.
type Translation = offline.Result

// tryOffline runs the offline engine when the mode allows it. handled
// reports whether the question is settled (answered, or abstained with no
// model to fall back on); otherwise the model path continues.
func (r *run) tryOffline(ctx context.Context, q string, dryRun bool) (res *source.Result, handled bool, err error) {
	mode := r.p.opts.Engine
	if mode == EngineModel || r.p.opts.Offline == nil {
		return nil, false, nil
	}
	step := r.rec.Started(trace.StepGenerate)
	sch := r.schema
	if sch != nil && r.cat != sch.Catalog {
		// A restricted caller: the engine reads their own view only.
		sch = sch.Narrowed(r.cat)
	}
	tr := r.p.opts.Offline.TranslateSchema(ctx, sch, q, r.p.opts.Now())
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
	chosen := offlineChoice(tr.Confidence)
	step.Done("offline engine wrote SQL; chosen by " + chosen.Label)
	r.ans.Engine, r.ans.ChosenBy = EngineOffline, chosen
	r.ans.SQL, r.ans.Explanation = tr.SQL, tr.Explanation
	res, err = r.checkAndRun(ctx, tr.SQL, dryRun)
	if (r.ans.Outcome == Failed || r.ans.Outcome == Refused) && mode == EngineAuto && hasModel {
		// The engine misjudged the schema; the model gets its turn.
		r.ans.Outcome, r.ans.Message, r.ans.Engine, r.ans.ChosenBy = "", "", "", nil
		return nil, false, nil
	}
	return res, true, err
}
