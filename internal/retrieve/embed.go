package retrieve

import (
	"context"
	"math"
	"sort"
	"strings"
	"sync"
)

// Embedder turns texts into dense vectors, one per text, all of the same
// dimension. An llm provider's embedding call satisfies it through a small
// adapter; retrieve does not import llm.
type Embedder interface {
	Embed(ctx context.Context, texts []string) ([][]float32, error)
}

// rrfK is the usual reciprocal-rank-fusion constant: a document ranked r
// by one retriever contributes 1/(rrfK+r).
const rrfK = 60

// embedState holds the table vectors, computed on first use because Build
// has no context to embed with.
type embedState struct {
	mu   sync.Mutex
	vecs [][]float32
}

// tableText is what a table's vector is computed from: its name, comment
// and column names, bounded so that very wide tables fit embedding limits.
func (ix *Index) tableText(i int) string {
	t := &ix.cat.Tables[i]
	var b strings.Builder
	b.WriteString(t.QualifiedName())
	if t.Comment != "" {
		b.WriteString(": " + t.Comment)
	}
	for j, c := range t.Columns {
		if b.Len() > 2000 {
			break
		}
		if j == 0 {
			b.WriteString(". Columns: ")
		} else {
			b.WriteString(", ")
		}
		b.WriteString(strings.Join(valueWords(c.Name), " "))
	}
	return b.String()
}

func (ix *Index) tableVectors(ctx context.Context) ([][]float32, error) {
	ix.emb.mu.Lock()
	defer ix.emb.mu.Unlock()
	if ix.emb.vecs != nil {
		return ix.emb.vecs, nil
	}
	texts := make([]string, len(ix.tables))
	for i := range texts {
		texts[i] = ix.tableText(i)
	}
	vecs, err := ix.embedder.Embed(ctx, texts)
	if err != nil {
		return nil, err
	}
	ix.emb.vecs = vecs
	return vecs, nil
}

// fuse re-ranks tables by reciprocal-rank fusion of the lexical ranking and
// cosine similarity to the question. Tables found only by the embedder join
// the ranking. On an embedding error the lexical ranking stands: dense
// retrieval is an improvement, never a dependency.
func (ix *Index) fuse(ctx context.Context, question string, lexical []*tableScore) []*tableScore {
	vecs, err := ix.tableVectors(ctx)
	if err != nil || len(vecs) != len(ix.tables) {
		return lexical
	}
	qv, err := ix.embedder.Embed(ctx, []string{question})
	if err != nil || len(qv) != 1 {
		return lexical
	}
	dense := make([]int32, len(vecs))
	sims := make([]float64, len(vecs))
	for i, v := range vecs {
		dense[i], sims[i] = int32(i), cosine(qv[0], v)
	}
	sort.SliceStable(dense, func(a, b int) bool { return sims[dense[a]] > sims[dense[b]] })
	fused := map[int32]*tableScore{}
	var list []tableScore
	for r, s := range lexical {
		fused[s.table] = s
		s.total = 1.0 / float32(rrfK+r+1)
	}
	// Only the head of the dense ranking may bring in new tables: its tail
	// is noise, and would otherwise pass the relative cut.
	for r, t := range dense {
		s := fused[t]
		if s == nil {
			if r >= len(lexical)+2 {
				continue
			}
			s = &tableScore{table: t}
			fused[t] = s
		}
		s.total += 1.0 / float32(rrfK+r+1)
	}
	for _, s := range fused {
		list = append(list, *s)
	}
	return rank(list, 0)
}

// Cosine is the cosine similarity of two vectors of one dimension, 0 when
// the dimensions differ or either is zero.
func Cosine(a, b []float32) float64 { return cosine(a, b) }

func cosine(a, b []float32) float64 {
	if len(a) != len(b) {
		return 0
	}
	var dot, na, nb float64
	for i := range a {
		dot += float64(a[i]) * float64(b[i])
		na += float64(a[i]) * float64(a[i])
		nb += float64(b[i]) * float64(b[i])
	}
	if na == 0 || nb == 0 {
		return 0
	}
	return dot / math.Sqrt(na*nb)
}
