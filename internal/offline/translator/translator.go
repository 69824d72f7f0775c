// Package translator adapts the offline engine to the pipeline's
// Translator interface. It lives apart from package offline so that the
// engine itself imports nothing of the pipeline (nor, through it, llm).
package translator

import (
	"context"
	"time"

	"github.com/askdb/askdb/internal/catalog"
	"github.com/askdb/askdb/internal/offline"
	"github.com/askdb/askdb/internal/pipeline"
)

// Translator is an offline.Engine seen as a pipeline.Translator.
type Translator struct{ Engine *offline.Engine }

var _ pipeline.Translator = Translator{}

// Translate implements pipeline.Translator.
func (t Translator) Translate(ctx context.Context, cat *catalog.Catalog, question string, now time.Time) pipeline.Translation {
	r := t.Engine.Translate(ctx, cat, question, now)
	return pipeline.Translation{SQL: r.SQL, Explanation: r.Explanation, Confidence: r.Confidence, Abstain: r.Abstain}
}
