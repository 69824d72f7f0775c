package gluetest

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	awsglue "github.com/aws/aws-sdk-go-v2/service/glue"
)

// Catalog is a fake's Data Catalog, as its testdata file holds it: the
// databases and, per database, its tables in GetTables' own JSON shape.
type Catalog struct {
	Databases []json.RawMessage            `json:"databases"` // GetDatabases' DatabaseList entries
	Tables    map[string][]json.RawMessage `json:"tables"`    // database name → TableList entries
}

// Glue speaks the Glue JSON protocol for GetDatabases and GetTables over a
// Catalog, in pages of PageSize (or the request's MaxResults when smaller).
type Glue struct {
	URL      string
	PageSize int

	mu    sync.Mutex
	cat   Catalog
	calls []Call
	pages map[string]int // NextToken → offset, for tokens the fake issued
}

// New starts a fake over the catalog in the JSON file at path, closed when t ends.
func New(t testing.TB, path string) *Glue {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f := &Glue{PageSize: 100, pages: map[string]int{}}
	if err := json.Unmarshal(data, &f.cat); err != nil {
		t.Fatalf("gluetest: %s: %v", path, err)
	}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	f.URL = srv.URL
	return f
}

// Client returns a real SDK client pointed at the fake, with static credentials.
func (f *Glue) Client() *awsglue.Client {
	return awsglue.New(awsglue.Options{
		Region: "us-east-1", BaseEndpoint: aws.String(f.URL),
		Credentials: credentials.NewStaticCredentialsProvider("AKIDTEST", "secret", ""),
	})
}

// Setenv points the SDK's default config loading at the fake for t.
func (f *Glue) Setenv(t testing.TB) { t.Setenv("AWS_ENDPOINT_URL_GLUE", f.URL) }

// Calls returns every call received, in order.
func (f *Glue) Calls() []Call {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Call(nil), f.calls...)
}

type pageRequest struct {
	DatabaseName string
	NextToken    string
	MaxResults   int
}

// ServeHTTP implements http.Handler.
func (f *Glue) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	op, body, ok := Read(w, r, "AWSGlue.", "glue")
	if !ok {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, Call{Target: "AWSGlue." + op, Body: body})
	var in pageRequest
	_ = json.Unmarshal(body, &in)
	switch op {
	case "GetDatabases":
		f.page(w, in, f.cat.Databases, "DatabaseList")
	case "GetTables":
		tables, ok := f.cat.Tables[in.DatabaseName]
		if !ok {
			WriteError(w, http.StatusBadRequest, "EntityNotFoundException", "Database "+in.DatabaseName+" not found.")
			return
		}
		f.page(w, in, tables, "TableList")
	default:
		WriteError(w, http.StatusBadRequest, "UnknownOperationException", "gluetest does not serve "+op)
	}
}

// page writes one page of items under key, with a NextToken when more remain.
func (f *Glue) page(w http.ResponseWriter, in pageRequest, items []json.RawMessage, key string) {
	from := 0
	if in.NextToken != "" {
		off, ok := f.pages[in.NextToken]
		if !ok {
			WriteError(w, http.StatusBadRequest, "InvalidInputException", "invalid NextToken")
			return
		}
		from = off
	}
	size := f.PageSize
	if in.MaxResults > 0 && in.MaxResults < size {
		size = in.MaxResults
	}
	to := min(from+size, len(items))
	out := map[string]any{key: items[from:to]}
	if to < len(items) {
		token := key + "-" + strconv.Itoa(len(f.pages)+1)
		f.pages[token] = to
		out["NextToken"] = token
	}
	WriteJSON(w, out)
}
