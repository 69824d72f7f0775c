package server

import (
	"encoding/json"
	"net/http"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/askdb/askdb/internal/pipeline"
)

type openAPIDocument struct {
	OpenAPI string `json:"openapi"`
	Paths   map[string]map[string]struct {
		RequestBody *struct {
			Content map[string]struct {
				Schema struct {
					Ref string `json:"$ref"`
				} `json:"schema"`
			} `json:"content"`
		} `json:"requestBody"`
		Responses map[string]json.RawMessage `json:"responses"`
	} `json:"paths"`
	Components struct {
		Schemas map[string]struct {
			AdditionalProperties *bool                      `json:"additionalProperties"`
			Properties           map[string]json.RawMessage `json:"properties"`
			Required             []string                   `json:"required"`
		} `json:"schemas"`
	} `json:"components"`
}

// requestBodies maps each documented request schema to the Go type the
// handler decodes into.
var requestBodies = map[string]any{
	"AskRequest":      askRequest{},
	"SQLRequest":      sqlRequest{},
	"FeedbackRequest": feedbackRequest{},
}

func loadOpenAPI(t *testing.T, e *env) openAPIDocument {
	t.Helper()
	resp, body := e.do("GET", "/api/openapi.json", "")
	if resp.StatusCode != 200 {
		t.Fatalf("openapi.json: %d", resp.StatusCode)
	}
	var doc openAPIDocument
	dec := json.NewDecoder(strings.NewReader(string(body)))
	if err := dec.Decode(&doc); err != nil || !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Fatalf("openapi.json: version %q, %v", doc.OpenAPI, err)
	}
	return doc
}

// wantDocumented fails t unless the OpenAPI document lists status among
// the responses of method path.
func wantDocumented(t *testing.T, e *env, method, path string, status int) {
	t.Helper()
	doc := loadOpenAPI(t, e)
	if _, ok := doc.Paths[path][strings.ToLower(method)].Responses[strconv.Itoa(status)]; !ok {
		t.Errorf("openapi.json: %s %s does not document %d", method, path, status)
	}
}

// concrete fills path parameters; {id}.csv is served by the {id} route.
func concrete(path string) string {
	return strings.NewReplacer("{name}", "sample", "{id}", "x1").Replace(path)
}

// TestOpenAPIMatchesRoutes checks the hand-written document against the
// route table and against the live mux: every documented operation is
// served, every served route is documented, and other methods get 405.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	e := newEnv(t, nil)
	doc := loadOpenAPI(t, e)

	documented := map[string]bool{}
	for path, ops := range doc.Paths {
		for method := range ops {
			documented[strings.ToUpper(method)+" "+path] = true
		}
	}
	var served []string
	for _, rt := range e.srv.routeTable() {
		served = append(served, rt.method+" "+rt.path)
	}
	var missing []string
	for _, r := range served {
		if !documented[r] {
			missing = append(missing, r)
		}
	}
	if len(missing) > 0 {
		t.Errorf("served but not documented: %v", missing)
	}

	for op := range documented {
		method, path, _ := strings.Cut(op, " ")
		t.Run(op, func(t *testing.T) {
			req, _ := http.NewRequest(method, e.ts.URL+concrete(path), nil)
			h, pattern := e.srv.mux.Handler(req)
			if h == nil || pattern == "/api/" || pattern == "/" {
				t.Fatalf("documented %s is not served (mux pattern %q)", op, pattern)
			}
			body := ""
			if method == "POST" {
				body = "{}"
			}
			resp, _ := e.do(method, concrete(path), body)
			if resp.StatusCode == 404 || resp.StatusCode == 405 {
				if ct := resp.Header.Get("Content-Type"); resp.StatusCode == 405 || !strings.HasPrefix(ct, "application/json") {
					t.Errorf("%s answered %d (%s)", op, resp.StatusCode, ct)
				}
			}
			for _, other := range []string{"GET", "POST", "PUT", "DELETE"} {
				if documented[other+" "+path] {
					continue
				}
				if path == "/api/answers/{id}.csv" && documented[other+" /api/answers/{id}"] {
					continue
				}
				if resp, _ := e.do(other, concrete(path), ""); resp.StatusCode != 405 {
					t.Errorf("%s %s = %d, want 405", other, path, resp.StatusCode)
				}
			}
		})
	}
}

// TestOpenAPIRequestSchemas checks each request schema against the Go
// type the handler decodes, and that unknown fields are refused as the
// schema's additionalProperties: false promises.
func TestOpenAPIRequestSchemas(t *testing.T) {
	e := newEnv(t, nil)
	doc := loadOpenAPI(t, e)
	for path, ops := range doc.Paths {
		for method, op := range ops {
			if op.RequestBody == nil {
				continue
			}
			ref := op.RequestBody.Content["application/json"].Schema.Ref
			name := strings.TrimPrefix(ref, "#/components/schemas/")
			schema, ok := doc.Components.Schemas[name]
			goType, typed := requestBodies[name]
			if !ok || !typed {
				t.Errorf("%s %s: request schema %q unknown (documented %v, typed %v)", method, path, ref, ok, typed)
				continue
			}
			if schema.AdditionalProperties == nil || *schema.AdditionalProperties {
				t.Errorf("%s: additionalProperties must be false", name)
			}
			var docFields []string
			for f := range schema.Properties {
				docFields = append(docFields, f)
			}
			sort.Strings(docFields)
			if diff := cmp.Diff(jsonFields(goType), docFields); diff != "" {
				t.Errorf("%s fields (-go +doc):\n%s", name, diff)
			}
			for _, req := range schema.Required {
				if !slices.Contains(docFields, req) {
					t.Errorf("%s requires undeclared %q", name, req)
				}
			}
			resp, body := e.do(strings.ToUpper(method), concrete(path), `{"not_a_field":true}`)
			if resp.StatusCode != 400 || decodeAs[errorJSON](t, body).Error.Code != "unknown_field" {
				t.Errorf("%s %s with an unknown field: %d %s", method, path, resp.StatusCode, body)
			}
		}
	}
}

func jsonFields(v any) []string {
	var out []string
	rt := reflect.TypeOf(v)
	for i := range rt.NumField() {
		name, _, _ := strings.Cut(rt.Field(i).Tag.Get("json"), ",")
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}

// TestOpenAPIAnswerSchema checks the documented Answer against the Go
// type every answer is encoded from, and that real answers of each kind
// (answered, refused, with and without a chart) carry the required fields
// and only documented ones.
func TestOpenAPIAnswerSchema(t *testing.T) {
	e := newEnv(t, nil)
	doc := loadOpenAPI(t, e)
	schema := doc.Components.Schemas["Answer"]
	var docFields []string
	for f := range schema.Properties {
		docFields = append(docFields, f)
	}
	sort.Strings(docFields)
	if diff := cmp.Diff(jsonFields(pipeline.Answer{}), docFields); diff != "" {
		t.Errorf("Answer fields (-go +doc):\n%s", diff)
	}
	for _, body := range []string{`{"sql":"SELECT count(*) FROM employees"}`, `{"sql":"DELETE FROM customers"}`} {
		resp, out := e.do("POST", "/api/sql", body)
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d %s", body, resp.StatusCode, out)
		}
		var got map[string]json.RawMessage
		if err := json.Unmarshal(out, &got); err != nil {
			t.Fatal(err)
		}
		for _, req := range schema.Required {
			if _, ok := got[req]; !ok {
				t.Errorf("%s: answer lacks required %q", body, req)
			}
		}
		for f := range got {
			if _, ok := schema.Properties[f]; !ok {
				t.Errorf("%s: answer has undocumented field %q", body, f)
			}
		}
	}
}
