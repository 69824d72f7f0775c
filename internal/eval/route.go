package eval

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/route"
)

// RouteOptions tune a routing run.
type RouteOptions struct {
	// Limit evaluates only the first N questions; 0 means all.
	Limit int
	// Route tunes the decision (thresholds); zero means route's defaults.
	Route route.Options
	// Items keeps every question that was not routed right first time.
	Items bool
}

// RouteReport scores routing: every database of a dataset is a source at
// once and each question is routed without naming its database.
type RouteReport struct {
	Dataset   string `json:"dataset"`
	Sources   int    `json:"sources"`
	Tables    int    `json:"tables"`
	Questions int    `json:"questions"`
	// Top1 and Top3: the fraction whose gold database ranks first, or in
	// the first three.
	Top1 float64 `json:"top1"`
	Top3 float64 `json:"top3"`
	// Clarified: askdb asked the user to choose (close call).
	Clarified float64 `json:"clarified"`
	// Wrong: routed confidently to another database.
	Wrong float64 `json:"wrong"`
	// NoMatch: askdb found no source (out of scope).
	NoMatch float64 `json:"no_match"`
	// Split: a clear decision that said the question needs two sources.
	Split float64 `json:"split"`
	// Correct: routed confidently to the gold database.
	Correct float64 `json:"correct"`
	P50ms   float64 `json:"p50_ms"`
	P95ms   float64 `json:"p95_ms"`
	// BuildMs is the time to index every source once.
	BuildMs float64     `json:"build_ms"`
	Items   []RouteItem `json:"items,omitempty"`
}

// RouteItem is one question that was not routed right first time.
type RouteItem struct {
	ID       int            `json:"id"`
	DB       string         `json:"db"`
	Question string         `json:"question"`
	Decision route.Decision `json:"decision"`
}

// RouterFor indexes every database of ds as a source.
func RouterFor(ds *Dataset) *route.Router {
	r := route.New()
	for _, name := range ds.DatabaseNames() {
		db := ds.Databases[name]
		r.Update(route.Input{Name: name, Catalog: db.Catalog, Synonyms: db.Extra.Synonyms, Descriptions: db.Extra.Descriptions})
	}
	return r
}

// EvaluateRoute routes every question of ds over all its databases.
func EvaluateRoute(ctx context.Context, ds *Dataset, opts RouteOptions) *RouteReport {
	start := time.Now()
	r := RouterFor(ds)
	rep := &RouteReport{Dataset: ds.Name, Sources: len(ds.Databases), BuildMs: ms(time.Since(start))}
	for _, db := range ds.Databases {
		rep.Tables += len(db.Catalog.Tables)
	}
	var lat []time.Duration
	var top1, top3, clar, wrong, none, split, correct int
	for _, q := range ds.Questions {
		if opts.Limit > 0 && len(lat) == opts.Limit {
			break
		}
		t0 := time.Now()
		d, _ := r.Route(ctx, q.Question, opts.Route)
		lat = append(lat, time.Since(t0))
		rank := goldRank(r.Rank(q.Question), q.DB)
		if rank == 0 {
			top1++
		}
		if rank >= 0 && rank < 3 {
			top3++
		}
		switch {
		case d.Kind == route.Close:
			clar++
		case d.Kind == route.NoMatch:
			none++
		case d.Source == q.DB:
			correct++
		default:
			wrong++
		}
		if len(d.Split) > 0 {
			split++
		}
		if opts.Items && !(d.Kind == route.Clear && d.Source == q.DB) {
			rep.Items = append(rep.Items, RouteItem{ID: q.ID, DB: q.DB, Question: q.Question, Decision: d})
		}
	}
	n := len(lat)
	rep.Questions = n
	rep.Top1, rep.Top3, rep.Clarified, rep.Wrong = ratio(top1, n), ratio(top3, n), ratio(clar, n), ratio(wrong, n)
	rep.NoMatch, rep.Split, rep.Correct = ratio(none, n), ratio(split, n), ratio(correct, n)
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	rep.P50ms, rep.P95ms = ms(percentile(lat, 50)), ms(percentile(lat, 95))
	return rep
}

// goldRank is the gold database's place in the ranking, -1 when absent.
func goldRank(cs []route.Candidate, db string) int {
	for i, c := range cs {
		if c.Source == db {
			return i
		}
	}
	return -1
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// addAllSources configures every database of ds found under dir, so that
// eval exec --route routes among all of them.
func addAllSources(cfg *config.Config, ds *Dataset, dir string) {
	for _, name := range ds.DatabaseNames() {
		path := filepath.Join(dir, name, name+".sqlite")
		if _, err := os.Stat(path); err == nil {
			cfg.Sources[name] = config.Source{Kind: "sqlite", Path: path, MaxRows: maxGoldRows}
		}
	}
}

// askSource is the source a question is asked of: its own database, or
// none when routing is evaluated.
func askSource(q Question, opts ExecOptions) string {
	if opts.Route {
		return ""
	}
	return q.DB
}
