package server

import (
	"database/sql"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/identity"
	"github.com/askdb/askdb/internal/identity/oidctest"
	"github.com/askdb/askdb/internal/llm/llmtest"
	"github.com/askdb/askdb/internal/mcpserver"
	"github.com/askdb/askdb/internal/pipeline"
)

// withOIDC signs users in with is and gives groups the access rules.
func withOIDC(is *oidctest.Issuer, rules []config.AccessRule) envOption {
	return func(o *Options, c *config.Config) {
		o.Config.Auth = config.Auth{
			OIDC:   &config.OIDC{Issuer: is.URL, Audience: oidctest.Audience},
			Claims: config.Claims{User: "email", Groups: "groups"},
		}
		c.Access = rules
	}
}

var sampleAccess = []config.AccessRule{
	{Groups: []string{"analysts"}, Sources: []string{"sample"}, Deny: []string{"sample.employees.salary"}},
	{Groups: []string{"sales-local"}, Sources: []string{"sample"}, Deny: []string{"employees.*"},
		Rows: map[string]string{"customers": "country = {{user.country}}"}},
	{Groups: []string{"sales-fr"}, Sources: []string{"sample"}, Deny: []string{"employees.*"},
		Rows: map[string]string{"customers": "country = 'France'", "orders": "status = 'delivered'"}},
}

// referenceRows runs hand-written SQL on the sample database directly.
func referenceRows(t *testing.T, query string) []string {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+samplePath+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(query)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var a, b any
		if err := rows.Scan(&a, &b); err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprintf("%v|%v", a, b))
	}
	return out
}

func answerRows(a answerJSON) []string {
	var out []string
	for _, r := range a.Rows {
		out = append(out, fmt.Sprintf("%v|%v", r[0], r[1]))
	}
	return out
}

// TestIdentityAnswersPerUser signs three users of different groups in
// with a local OIDC issuer, asks the same questions as each, and compares
// every answer with hand-written SQL that applies that user's filters.
func TestIdentityAnswersPerUser(t *testing.T) {
	is := oidctest.New(t)
	e := newEnv(t, []llmtest.Reply{sqlReply(countrySQL)}, withOIDC(is, sampleAccess))
	tokenFor := func(user string, claims map[string]any, groups ...string) []string {
		c := is.Claims(user, groups...)
		for k, v := range claims {
			c[k] = v
		}
		return []string{"Authorization", "Bearer " + is.Token(c)}
	}
	ann := tokenFor("ann@example.com", nil, "analysts")
	dirk := tokenFor("dirk@example.com", map[string]any{"country": "Germany"}, "sales-local")
	fay := tokenFor("fay@example.com", nil, "sales-fr")
	questions := []string{
		"SELECT country, COUNT(*) AS n FROM customers GROUP BY country ORDER BY country",
		"SELECT c.country, COUNT(*) AS n FROM orders o JOIN customers c ON c.customer_id = o.customer_id GROUP BY c.country ORDER BY c.country",
		"SELECT status, COUNT(*) AS n FROM orders WHERE customer_id IN (SELECT customer_id FROM customers) GROUP BY status ORDER BY status",
	}
	want := map[string][]string{
		"ann": {
			questions[0],
			questions[1],
			questions[2],
		},
		"dirk": {
			"SELECT country, COUNT(*) FROM customers WHERE country = 'Germany' GROUP BY country ORDER BY country",
			"SELECT c.country, COUNT(*) FROM orders o JOIN customers c ON c.customer_id = o.customer_id WHERE c.country = 'Germany' GROUP BY c.country ORDER BY c.country",
			"SELECT status, COUNT(*) FROM orders WHERE customer_id IN (SELECT customer_id FROM customers WHERE country = 'Germany') GROUP BY status ORDER BY status",
		},
		"fay": {
			"SELECT country, COUNT(*) FROM customers WHERE country = 'France' GROUP BY country ORDER BY country",
			"SELECT c.country, COUNT(*) FROM orders o JOIN customers c ON c.customer_id = o.customer_id WHERE c.country = 'France' AND o.status = 'delivered' GROUP BY c.country ORDER BY c.country",
			"SELECT status, COUNT(*) FROM orders WHERE status = 'delivered' AND customer_id IN (SELECT customer_id FROM customers WHERE country = 'France') GROUP BY status ORDER BY status",
		},
	}
	who := map[string][]string{"ann": ann, "dirk": dirk, "fay": fay}
	for _, name := range []string{"ann", "dirk", "fay"} {
		for i, q := range questions {
			t.Run(fmt.Sprintf("%s/%d", name, i), func(t *testing.T) {
				resp, body := e.do("POST", "/api/sql", fmt.Sprintf(`{"sql":%q}`, q), who[name]...)
				if resp.StatusCode != 200 {
					t.Fatalf("status %d: %s", resp.StatusCode, body)
				}
				got, ref := answerRows(decodeAs[answerJSON](t, body)), referenceRows(t, want[name][i])
				if len(ref) == 0 || !slices.Equal(got, ref) {
					t.Errorf("rows %v\nwant %v (reference: %s)", got, ref, want[name][i])
				}
			})
		}
	}
	t.Run("ask goes through the same filters", func(t *testing.T) {
		_, body := e.do("POST", "/api/ask", `{"question":"how many customers per country?"}`, dirk...)
		a := decodeAs[answerJSON](t, body)
		if !slices.Equal(answerRows(a), referenceRows(t, want["dirk"][0])) {
			t.Errorf("ask rows %v, want Germany only; SQL %s", a.Rows, a.SQL)
		}
		rec, err := e.store.Answer(t.Context(), a.ID)
		if err != nil || rec.User != "dirk@example.com" || !strings.Contains(rec.SQL, "'Germany'") {
			t.Errorf("audit record user %q SQL %q (%v): want dirk and the filtered SQL", rec.User, rec.SQL, err)
		}
		if !strings.Contains(string(rec.Payload), "row filters applied to customers") {
			t.Errorf("the guard step does not say the row filters applied: %s", rec.Payload)
		}
		if !slices.Equal(rec.Groups, []string{"sales-local"}) || rec.SQLWritten != countrySQL {
			t.Errorf("audit record groups %v, SQL as written %q: want sales-local and the model's SQL", rec.Groups, rec.SQLWritten)
		}
	})
	t.Run("hidden column", func(t *testing.T) {
		resp, body := e.do("POST", "/api/sql", `{"sql":"SELECT SUM(salary) FROM employees"}`, ann...)
		if a := decodeAs[answerJSON](t, body); resp.StatusCode == 200 && a.Outcome == "answered" {
			t.Errorf("salary readable by an analyst: %s", body)
		}
	})
}

// TestIdentityRefusals checks the 401s of bad tokens and the 403 of a
// user outside every group.
func TestIdentityRefusals(t *testing.T) {
	is := oidctest.New(t)
	e := newEnv(t, nil, withOIDC(is, sampleAccess))
	bearer := func(tok string) []string { return []string{"Authorization", "Bearer " + tok} }
	claims := func(mod func(map[string]any)) map[string]any {
		c := is.Claims("ann@example.com", "analysts")
		mod(c)
		return c
	}
	other := oidctest.New(t) // its keys are not the issuer's
	tests := []struct {
		name   string
		auth   []string
		status int
	}{
		{"valid", bearer(is.Token(claims(func(map[string]any) {}))), 200},
		{"expired", bearer(is.Token(claims(func(c map[string]any) { c["exp"] = time.Now().Add(-time.Hour).Unix() }))), 401},
		{"wrong audience", bearer(is.Token(claims(func(c map[string]any) { c["aud"] = "another-app" }))), 401},
		{"wrong signature", bearer(other.Token(claims(func(c map[string]any) {}))), 401},
		{"alg none", bearer(oidctest.Unsigned(claims(func(map[string]any) {}))), 401},
		{"HS256 with the public key", bearer(is.HMACWithPublicKey(claims(func(map[string]any) {}))), 401},
		{"no token", nil, 401},
		{"outside every group", bearer(is.Token(is.Claims("zed@example.com", "visitors"))), 403},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := e.do("POST", "/api/sql", `{"sql":"SELECT COUNT(*) FROM customers"}`, tt.auth...)
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tt.status, body)
			}
			if tt.status == 403 && !strings.Contains(string(body), "in no group") {
				t.Errorf("403 does not say why: %s", body)
			}
		})
	}
	zed := bearer(is.Token(is.Claims("zed@example.com", "visitors")))
	ann := bearer(is.Token(is.Claims("ann@example.com", "analysts")))
	if _, body := e.do("GET", "/api/sources", "", zed...); strings.Contains(string(body), `"sample"`) {
		t.Errorf("sources listed to a user outside every group: %s", body)
	}
	if _, body := e.do("GET", "/api/sources", "", ann...); !strings.Contains(string(body), `"sample"`) {
		t.Errorf("sources not listed to an analyst: %s", body)
	}
	if resp, body := e.do("GET", "/api/sources/sample/schema", "", zed...); resp.StatusCode != 403 {
		t.Errorf("schema of a forbidden source: status %d: %s", resp.StatusCode, body)
	}
	_, body := e.do("GET", "/api/sources/sample/schema", "", ann...)
	if !strings.Contains(string(body), `"hire_date"`) || strings.Contains(string(body), `"salary"`) {
		t.Errorf("an analyst's schema must show employees without salary: %.300s", body)
	}
	// Sample values were read from every row; a restricted caller sees none.
	if strings.Contains(string(body), `"samples"`) {
		t.Errorf("a restricted caller's schema shows sample values: %.300s", body)
	}
}

// TestGatewayIdentityTrusted checks that an identity the Lambda handler
// put on the context (API Gateway verified the token) is used as is,
// filters included, while the same request from the network needs a token.
func TestGatewayIdentityTrusted(t *testing.T) {
	is := oidctest.New(t)
	e := newEnv(t, nil, withOIDC(is, sampleAccess))
	body := `{"sql":"SELECT country, COUNT(*) AS n FROM customers GROUP BY country ORDER BY country"}`
	req := httptest.NewRequest("POST", "/api/sql", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	dirk := identity.Identity{User: "dirk@example.com", Groups: []string{"sales-local"}, Claims: map[string]string{"country": "Germany"}, Method: identity.MethodGateway}
	rec := httptest.NewRecorder()
	e.srv.Handler().ServeHTTP(rec, req.WithContext(identity.With(req.Context(), dirk)))
	if rec.Code != 200 {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	want := referenceRows(t, "SELECT country, COUNT(*) FROM customers WHERE country = 'Germany' GROUP BY country")
	if got := answerRows(decodeAs[answerJSON](t, rec.Body.Bytes())); !slices.Equal(got, want) {
		t.Errorf("rows %v, want %v", got, want)
	}
	if resp, b := e.do("POST", "/api/sql", body); resp.StatusCode != 401 {
		t.Errorf("from the network without a token: status %d: %s", resp.StatusCode, b)
	}
}

// TestMCPUsesTheSameIdentity calls execute_sql over /mcp with an OIDC
// token: the caller's row filters apply as on /api/sql, and a caller
// outside every group gets an error result, not rows.
func TestMCPUsesTheSameIdentity(t *testing.T) {
	is := oidctest.New(t)
	var mcpHandler http.Handler
	e := newEnv(t, nil, withOIDC(is, sampleAccess), func(o *Options, c *config.Config) {
		o.Mounts = map[string]http.Handler{"/mcp": http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { mcpHandler.ServeHTTP(w, r) })}
	})
	mcpHandler = mcpserver.New(mcpserver.Options{Pipeline: e.srv.opts.Pipeline.(*pipeline.Pipeline), Sources: e.srv.opts.Sources, Stateless: true, User: UserFrom}).Handler()
	call := func(token string) (*mcp.CallToolResult, error) {
		t.Helper()
		client := mcp.NewClient(&mcp.Implementation{Name: "test", Version: "1"}, nil)
		cs, err := client.Connect(t.Context(), &mcp.StreamableClientTransport{Endpoint: e.ts.URL + "/mcp", HTTPClient: &http.Client{Transport: bearer{token}}}, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer cs.Close()
		res, err := cs.CallTool(t.Context(), &mcp.CallToolParams{Name: "execute_sql", Arguments: map[string]any{
			"sql": "SELECT country, COUNT(*) AS n FROM customers GROUP BY country ORDER BY country", "source": "sample"}})
		return res, err
	}
	c := is.Claims("dirk@example.com", "sales-local")
	c["country"] = "Germany"
	res, err := call(is.Token(c))
	if err != nil {
		t.Fatal(err)
	}
	text := fmt.Sprint(res.StructuredContent)
	if res.IsError || !strings.Contains(text, "Germany") || strings.Contains(text, "France") {
		t.Errorf("dirk over MCP: %s", text)
	}
	// A refusal the caller can act on is a tool error result, as the
	// fault taxonomy has it, and it says why.
	res, err = call(is.Token(is.Claims("zed@example.com", "visitors")))
	if err != nil || !res.IsError || !strings.Contains(fmt.Sprint(res.Content[0]), "access denied") {
		t.Errorf("a user outside every group over MCP: %v %+v", err, res)
	}
}

// TestBankSharedButFiltered: an answer one user promotes joins the bank
// as written, and another user's bank hit runs it with their own filters.
func TestBankSharedButFiltered(t *testing.T) {
	is := oidctest.New(t)
	e := newEnv(t, []llmtest.Reply{sqlReply(countrySQL)}, withOIDC(is, sampleAccess))
	c := is.Claims("dirk@example.com", "sales-local")
	c["country"] = "Germany"
	dirk := []string{"Authorization", "Bearer " + is.Token(c)}
	fay := []string{"Authorization", "Bearer " + is.Token(is.Claims("fay@example.com", "sales-fr"))}
	_, body := e.do("POST", "/api/ask", `{"question":"how many customers per country?"}`, dirk...)
	id := decodeAs[answerJSON](t, body).ID
	resp, body := e.do("POST", "/api/answers/"+id+"/feedback", `{"vote":"up"}`, dirk...)
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"promoted"`) {
		t.Fatalf("promotion: status %d: %s", resp.StatusCode, body)
	}
	if strings.Contains(string(body), "Germany") {
		t.Errorf("the bank entry carries dirk's filter: %s", body)
	}
	_, body = e.do("POST", "/api/ask", `{"question":"how many customers per country?"}`, fay...)
	a := decodeAs[answerJSON](t, body)
	want := referenceRows(t, "SELECT country, COUNT(*) FROM customers WHERE country = 'France' GROUP BY country")
	if got := answerRows(a); !slices.Equal(got, want) {
		t.Errorf("fay's bank answer %v, want %v (SQL %s)", got, want, a.SQL)
	}
}

// TestPromptsShowOnlyTheCallersView: a caller whose groups hide columns
// or filter rows gets a prompt without those columns and without sample
// values (read from every row); an unrestricted caller's prompt keeps them.
func TestPromptsShowOnlyTheCallersView(t *testing.T) {
	is := oidctest.New(t)
	rules := append([]config.AccessRule{{Groups: []string{"admins"}, Sources: []string{"sample"}}}, sampleAccess...)
	e := newEnv(t, []llmtest.Reply{sqlReply(countrySQL), sqlReply(countrySQL), sqlReply(countrySQL)}, withOIDC(is, rules))
	prompt := func(groups ...string) string {
		c := is.Claims("u@example.com", groups...)
		c["country"] = "Germany"
		e.do("POST", "/api/ask", `{"question":"how many customers per country?"}`, "Authorization", "Bearer "+is.Token(c))
		return string(e.model.Last().Body)
	}
	if p := prompt("admins"); !strings.Contains(p, "salary") || !strings.Contains(p, "e.g. '") {
		t.Errorf("an admin's prompt lost columns or samples: %.400s", p)
	}
	if p := prompt("analysts"); strings.Contains(p, "salary") || strings.Contains(p, "e.g. '") || !strings.Contains(p, "hire_date") {
		t.Errorf("an analyst's prompt shows salary or samples: %.400s", p)
	}
	if p := prompt("sales-local"); strings.Contains(p, "e.g. '") || strings.Contains(p, "CREATE TABLE employees") {
		t.Errorf("a sales rep's prompt shows samples or employees: %.400s", p)
	}
}
