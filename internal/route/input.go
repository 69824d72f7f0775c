package route

import (
	"context"
	"encoding/hex"
	"hash/fnv"
	"io"
	"sort"
	"strconv"

	"github.com/askdb/askdb/internal/catalog"
)

// Domain is a business area of a source, from its knowledge files.
type Domain struct {
	Name        string
	Aliases     []string
	Description string
	// Tables are the tables the domain's questions usually need.
	Tables []string
}

// Input is what routing reads about one source.
type Input struct {
	Name        string
	Description string
	Domains     []Domain
	// Catalog is the source's prepared catalog: comments and sample values
	// included, limited to what the source's policy lets queries read.
	Catalog *catalog.Catalog
	// Synonyms and Descriptions map "table" or "table.column" to the
	// semantic layer's words and descriptions.
	Synonyms     map[string][]string
	Descriptions map[string]string
	// Fingerprint changes whenever anything above changes; empty means
	// Fingerprint of the input is computed.
	Fingerprint string
}

// Provider supplies each source's input. Fingerprint must be cheap: Sync
// calls it for every source, and calls Input only when it changed.
type Provider interface {
	Names() []string
	Fingerprint(ctx context.Context, name string) (string, error)
	Input(ctx context.Context, name string) (Input, error)
}

// Fingerprint hashes everything of in that routing indexes, so a caller
// without a snapshot id of its own can tell when to refresh.
func Fingerprint(in Input) string {
	h := fnv.New128a()
	w := func(ss ...string) {
		for _, s := range ss {
			_, _ = io.WriteString(h, s)
			_, _ = h.Write([]byte{0})
		}
	}
	w(in.Name, in.Description)
	for _, d := range in.Domains {
		w(d.Name, d.Description)
		w(d.Aliases...)
		w(d.Tables...)
	}
	if in.Catalog != nil {
		for _, t := range in.Catalog.Tables {
			w(t.Schema, t.Name, t.Comment)
			for _, c := range t.Columns {
				w(c.Name, c.Comment, strconv.Itoa(len(c.Samples)))
				w(c.Samples...)
			}
		}
	}
	writeMap(w, in.Synonyms)
	desc := make(map[string][]string, len(in.Descriptions))
	for k, v := range in.Descriptions {
		desc[k] = []string{v}
	}
	writeMap(w, desc)
	return hex.EncodeToString(h.Sum(nil))
}

func writeMap(w func(...string), m map[string][]string) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		w(k)
		w(m[k]...)
	}
}
