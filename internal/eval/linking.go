package eval

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/askdb/askdb/internal/retrieve"
)

// LinkingOptions tune a schema-linking evaluation.
type LinkingOptions struct {
	// Budget is the token budget given to the linker; 0 uses its default.
	Budget int
	// MaxTables caps the tables per question; 0 uses the linker's default.
	MaxTables int
	// Limit evaluates only the first Limit questions; 0 means all.
	Limit int
	// Misses, when set, lists every question whose link is not strict.
	Misses bool
}

// LinkingReport is the outcome of a schema-linking evaluation. Recalls are
// means over questions. A gold column counts as present when its table is
// among the link's columns (the pruned slice of retrieve.SliceDDL); strict
// recall needs every gold table and column there.
type LinkingReport struct {
	Dataset   string `json:"dataset"`
	Questions int    `json:"questions"`
	Budget    int    `json:"budget"`
	// TableRecall is the mean share of gold tables the link contains.
	TableRecall float64 `json:"table_recall"`
	// ColumnRecall is the mean share of gold columns the link contains.
	ColumnRecall float64 `json:"column_recall"`
	// StrictRecall is the share of questions whose link contains every
	// gold table and column.
	StrictRecall float64 `json:"strict_recall"`
	// TableStrictRecall is the share of questions whose link contains
	// every gold table, for a prompt of whole tables.
	TableStrictRecall float64 `json:"table_strict_recall"`
	// TablePrecision is the mean share of linked tables that are gold.
	TablePrecision float64 `json:"table_precision"`
	// TokenRatio is the mean of pruned-slice tokens (retrieve.SliceDDL)
	// over full-schema tokens; TableTokenRatio that of whole chosen tables.
	TokenRatio      float64 `json:"token_ratio"`
	TableTokenRatio float64 `json:"table_token_ratio"`
	MeanTokens      float64 `json:"mean_tokens"`
	MeanFullTokens  float64 `json:"mean_full_tokens"`
	MeanTables      float64 `json:"mean_tables"`
	// Unresolved counts questions whose gold SQL named no catalog table;
	// they are left out of every mean.
	Unresolved int                 `json:"unresolved"`
	PerDB      map[string]*DBScore `json:"per_db"`
	Misses     []Miss              `json:"misses,omitempty"`
}

// DBScore is the strict recall and token ratio of one database.
type DBScore struct {
	Questions    int     `json:"questions"`
	StrictRecall float64 `json:"strict_recall"`
	TokenRatio   float64 `json:"token_ratio"`
}

// Miss is one question whose link lacks a gold table.
type Miss struct {
	ID        int      `json:"id"`
	DB        string   `json:"db_id"`
	Question  string   `json:"question"`
	Missing   []string `json:"missing"`
	Linked    []string `json:"linked"`
	GoldTable []string `json:"gold_tables"`
}

// EvaluateLinking links every question of ds and scores the links against
// the tables and columns of the gold SQL.
func EvaluateLinking(ctx context.Context, ds *Dataset, opts LinkingOptions) (*LinkingReport, error) {
	rep := &LinkingReport{Dataset: ds.Name, Budget: opts.Budget, PerDB: map[string]*DBScore{}}
	if rep.Budget == 0 {
		rep.Budget = retrieve.DefaultTokenBudget
	}
	indexes := map[string]*retrieve.Index{}
	qs := ds.Questions
	if opts.Limit > 0 && opts.Limit < len(qs) {
		qs = qs[:opts.Limit]
	}
	for _, q := range qs {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("eval linking %q: %w", ds.Name, err)
		}
		db := ds.Databases[q.DB]
		if db == nil {
			return nil, fmt.Errorf("eval linking %q: question %d: unknown database %q", ds.Name, q.ID, q.DB)
		}
		ix := indexes[q.DB]
		if ix == nil {
			ix = retrieve.Build(db.Catalog, db.Extra)
			indexes[q.DB] = ix
		}
		gold := goldLinks(db.Catalog, q.SQL)
		if len(gold.Tables) == 0 {
			rep.Unresolved++
			continue
		}
		link := ix.Link(ctx, q.LinkerInput(), retrieve.Options{TokenBudget: opts.Budget, MaxTables: opts.MaxTables})
		s := scoreLink(gold, link)
		rep.add(q, s, link, gold, opts.Misses)
	}
	rep.finish()
	return rep, nil
}

// linkScore is how one link fares against its gold.
type linkScore struct {
	tableRecall, columnRecall, precision, ratio, tableRatio float64
	strict, tableStrict                                     bool
	missing                                                 []string
}

func scoreLink(gold Gold, link retrieve.Link) linkScore {
	in := map[string]bool{}
	for _, n := range link.TableNames() {
		in[strings.ToLower(n)] = true
	}
	var s linkScore
	hits := 0
	for _, t := range gold.Tables {
		if in[strings.ToLower(t)] {
			hits++
		} else {
			s.missing = append(s.missing, t)
		}
	}
	s.tableRecall = float64(hits) / float64(len(gold.Tables))
	s.columnRecall = 1
	if len(gold.Columns) > 0 {
		cols := map[string]bool{}
		for _, c := range link.Columns {
			cols[strings.ToLower(c.Table+"."+c.Column)] = true
		}
		colHits := 0
		for _, c := range gold.Columns {
			if cols[strings.ToLower(c)] {
				colHits++
			} else {
				s.missing = append(s.missing, c)
			}
		}
		s.columnRecall = float64(colHits) / float64(len(gold.Columns))
	}
	s.tableStrict = hits == len(gold.Tables)
	s.strict = len(s.missing) == 0
	if len(link.Tables) > 0 {
		s.precision = float64(hits) / float64(len(link.Tables))
	}
	if link.FullTokens > 0 {
		s.ratio = float64(link.SliceTokens) / float64(link.FullTokens)
		s.tableRatio = float64(link.Tokens) / float64(link.FullTokens)
	}
	return s
}

func (r *LinkingReport) add(q Question, s linkScore, link retrieve.Link, gold Gold, misses bool) {
	r.Questions++
	r.TableRecall += s.tableRecall
	r.ColumnRecall += s.columnRecall
	r.TablePrecision += s.precision
	r.TokenRatio += s.ratio
	r.TableTokenRatio += s.tableRatio
	if s.tableStrict {
		r.TableStrictRecall++
	}
	r.MeanTokens += float64(link.SliceTokens)
	r.MeanFullTokens += float64(link.FullTokens)
	r.MeanTables += float64(len(link.Tables))
	db := r.PerDB[q.DB]
	if db == nil {
		db = &DBScore{}
		r.PerDB[q.DB] = db
	}
	db.Questions++
	db.TokenRatio += s.ratio
	if s.strict {
		r.StrictRecall++
		db.StrictRecall++
	} else if misses {
		r.Misses = append(r.Misses, Miss{ID: q.ID, DB: q.DB, Question: q.LinkerInput(),
			Missing: s.missing, Linked: link.TableNames(), GoldTable: gold.Tables})
	}
}

func (r *LinkingReport) finish() {
	if r.Questions == 0 {
		return
	}
	n := float64(r.Questions)
	for _, p := range []*float64{&r.TableRecall, &r.ColumnRecall, &r.StrictRecall, &r.TablePrecision,
		&r.TableStrictRecall, &r.TableTokenRatio,
		&r.TokenRatio, &r.MeanTokens, &r.MeanFullTokens, &r.MeanTables} {
		*p /= n
	}
	for _, db := range r.PerDB {
		db.StrictRecall /= float64(db.Questions)
		db.TokenRatio /= float64(db.Questions)
	}
}

// Summary renders the report as a few aligned lines for a terminal.
func (r *LinkingReport) Summary() string {
	var b strings.Builder
	fmt.Fprintf(&b, "dataset %s: %d questions (%d unresolved), budget %d tokens\n", r.Dataset, r.Questions, r.Unresolved, r.Budget)
	fmt.Fprintf(&b, "  table recall    %.3f\n  column recall   %.3f\n  strict recall   %.3f\n", r.TableRecall, r.ColumnRecall, r.StrictRecall)
	fmt.Fprintf(&b, "  table precision %.3f\n  token ratio     %.3f (%.0f of %.0f tokens, %.1f tables)\n",
		r.TablePrecision, r.TokenRatio, r.MeanTokens, r.MeanFullTokens, r.MeanTables)
	fmt.Fprintf(&b, "  whole tables:   strict recall %.3f, token ratio %.3f\n", r.TableStrictRecall, r.TableTokenRatio)
	names := make([]string, 0, len(r.PerDB))
	for n := range r.PerDB {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		db := r.PerDB[n]
		fmt.Fprintf(&b, "  %-28s %4d q  strict %.3f  ratio %.3f\n", n, db.Questions, db.StrictRecall, db.TokenRatio)
	}
	return b.String()
}
