package server

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/dbtest"
	"github.com/askdb/askdb/internal/llm/llmtest"
)

// withPets adds a second source, a pet clinic, so questions that name no
// source are routed between it and the sample.
func withPets(t *testing.T) envOption {
	path := dbtest.SQLiteFile(t,
		"CREATE TABLE pets (pet_id INTEGER PRIMARY KEY, pet_type TEXT, weight REAL, owner TEXT)",
		"INSERT INTO pets VALUES (1, 'dog', 12.5, 'Ana'), (2, 'cat', 4.1, 'Bo'), (3, 'dog', 20, 'Cy')")
	return func(_ *Options, c *config.Config) {
		c.Sources["pets"] = config.Source{Kind: "sqlite", Path: path, Description: "the pet clinic's patients"}
	}
}

type routedJSON struct {
	Source string `json:"source"`
	Route  *struct {
		Kind       string `json:"kind"`
		Reason     string `json:"reason"`
		Candidates []struct {
			Source string   `json:"source"`
			Tables []string `json:"tables"`
		} `json:"candidates"`
	} `json:"route"`
	Outcome string `json:"outcome"`
	Steps   []struct {
		Name     string `json:"name"`
		Decision string `json:"decision"`
	} `json:"steps"`
}

func TestAskRoutesWithoutSource(t *testing.T) {
	e := newEnv(t, []llmtest.Reply{
		sqlReply("SELECT pet_type, avg(weight) AS w FROM pets GROUP BY pet_type"),
		sqlReply("SELECT count(*) AS n FROM employees"),
	}, withPets(t))
	tests := []struct{ question, want, table string }{
		{"average weight of pets by pet type", "pets", "pets"},
		{"how many employees work in each department", "sample", "employees"},
	}
	for _, tt := range tests {
		resp, body := e.do("POST", "/api/ask", `{"question": "`+tt.question+`"}`)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%q: status %d: %s", tt.question, resp.StatusCode, body)
		}
		a := decodeAs[routedJSON](t, body)
		if a.Source != tt.want || a.Outcome != "answered" || a.Route == nil || a.Route.Kind != "clear" {
			t.Fatalf("%q: source %q outcome %s route %+v, want %q", tt.question, a.Source, a.Outcome, a.Route, tt.want)
		}
		if !strings.Contains(a.Route.Reason, tt.table) {
			t.Errorf("%q: the reason should name table %q: %q", tt.question, tt.table, a.Route.Reason)
		}
	}
}

func TestAskStreamRoutesWithoutSource(t *testing.T) {
	e := newEnv(t, []llmtest.Reply{sqlReply("SELECT count(*) AS n FROM pets WHERE pet_type = 'dog'")}, withPets(t))
	_, events, _ := postStream(t, e, "/api/ask", `{"question": "how many dogs are pets here"}`)
	var routedStep bool
	var final *routedJSON
	for _, ev := range events {
		switch ev.name {
		case "step":
			var s struct{ Name, Status, Decision string }
			if json.Unmarshal([]byte(ev.data), &s) == nil && s.Name == "source" && s.Status == "done" && strings.Contains(s.Decision, `routed to "pets"`) {
				routedStep = true
			}
		case "answer":
			a := decodeAs[routedJSON](t, []byte(ev.data))
			final = &a
		}
	}
	if !routedStep {
		t.Errorf("no streamed step said where the question was routed: %+v", events)
	}
	if final == nil || final.Source != "pets" || final.Route == nil {
		t.Fatalf("final answer %+v", final)
	}
}

func TestAskCloseCallClarifies(t *testing.T) {
	// The tie-break model is unsure: the API returns the choices.
	e := newEnv(t, []llmtest.Reply{llmtest.Text("UNSURE", 5, 1)}, withPets(t), func(_ *Options, c *config.Config) {
		c.Sources["pets2"] = c.Sources["pets"]
	})
	resp, body := e.do("POST", "/api/ask", `{"question": "average weight of pets by pet type"}`)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d: %s", resp.StatusCode, body)
	}
	var a struct {
		Outcome       string
		Clarification struct {
			Question string
			Choices  []struct{ Label, Question, Source string }
		}
	}
	if err := json.Unmarshal(body, &a); err != nil || a.Outcome != "clarification" || len(a.Clarification.Choices) != 2 {
		t.Fatalf("want a clarification with two choices: %s", body)
	}
	for _, c := range a.Clarification.Choices {
		if c.Source != "pets" && c.Source != "pets2" {
			t.Errorf("choice %+v", c)
		}
	}
	// A named source still wins outright, and an unknown one is still a 4xx.
	if resp, body := e.do("POST", "/api/ask", `{"question": "x", "source": "nope"}`); resp.StatusCode/100 != 4 {
		t.Errorf("unknown source: status %d: %s", resp.StatusCode, body)
	}
}
