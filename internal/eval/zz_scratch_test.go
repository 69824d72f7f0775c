package eval

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/askdb/askdb/internal/retrieve"
)

func TestZZScratch(t *testing.T) {
	if os.Getenv("ZZ") == "" {
		t.Skip()
	}
	ds, err := LoadBIRD(sharedDatasets(t, "bird-minidev"))
	if err != nil {
		t.Fatal(err)
	}
	var goldR, linkGoldTok, linkOtherTok, commentTok, n float64
	for _, q := range ds.Questions {
		db := ds.Databases[q.DB]
		ix := retrieve.Build(db.Catalog, db.Extra)
		gold := goldLinks(db.Catalog, q.SQL)
		l := ix.Link(context.Background(), q.LinkerInput(), retrieve.Options{})
		var gl retrieve.Link
		for _, tn := range gold.Tables {
			gl.Tables = append(gl.Tables, retrieve.TableLink{Name: tn})
		}
		for _, c := range gold.Columns {
			p := strings.SplitN(c, ".", 2)
			gl.Columns = append(gl.Columns, retrieve.ColumnLink{Table: p[0], Column: p[1]})
		}
		goldR += float64(retrieve.EstimateTokens(ix.SliceDDL(gl))) / float64(l.FullTokens)
		isGold := map[string]bool{}
		for _, g := range gold.Tables {
			isGold[strings.ToLower(g)] = true
		}
		sl := ix.Slice(l)
		for _, tb := range sl.Tables {
			one := *sl
			one.Tables = nil
			one.Tables = append(one.Tables, tb)
			tok := float64(retrieve.EstimateTokens(one.DDL(catalogOpts())))
			if isGold[strings.ToLower(tb.Name)] {
				linkGoldTok += tok
			} else {
				linkOtherTok += tok
			}
			commentTok += float64(len(tb.Comment)) / 4
		}
		n++
	}
	fmt.Printf("gold-only slice ratio %.3f; link tokens gold tables %.0f other %.0f table comments %.0f\n", goldR/n, linkGoldTok/n, linkOtherTok/n, commentTok/n)
}

func TestZZRun(t *testing.T) {
	tag := os.Getenv("ZZRUN")
	if tag == "" {
		t.Skip()
	}
	for _, ds := range []struct {
		name string
		load func(string) (*Dataset, error)
		dir  string
	}{{"bird", LoadBIRD, "bird-minidev"}, {"spider", LoadSpider, "spider-dev"}, {"spider+samples", func(d string) (*Dataset, error) {
		return LoadSpiderWith(context.Background(), d, LoadOptions{Samples: 50})
	}, "spider-dev"}} {
		d, err := ds.load(sharedDatasets(t, ds.dir))
		if err != nil {
			t.Fatal(err)
		}
		rep, err := EvaluateLinking(context.Background(), d, LinkingOptions{Misses: true})
		if err != nil {
			t.Fatal(err)
		}
		fmt.Printf("%s %s table=%.3f strict=%.3f tstrict=%.3f ratio=%.3f prec=%.3f tables=%.2f\n", tag, ds.name,
			rep.TableRecall, rep.StrictRecall, rep.TableStrictRecall, rep.TokenRatio, rep.TablePrecision, rep.MeanTables)
		f, _ := os.Create("/tmp/" + ds.name + "-" + tag + ".json")
		enc := json.NewEncoder(f)
		enc.SetIndent("", " ")
		_ = enc.Encode(rep)
		f.Close()
	}
}
