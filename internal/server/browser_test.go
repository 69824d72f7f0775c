//go:build !noui

package server

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	cdpruntime "github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/google/go-cmp/cmp"

	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/llm/llmtest"
	"github.com/askdb/askdb/internal/store"
)

// chromium finds headless Chromium (make browser-deps installs it).
// Without it the browser tests skip with a message saying how to install
// it, except under CI=true where they fail.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	msg := "headless Chromium not found, so the browser tests skip: install it with `sudo apt-get install chromium` or `make browser-deps`"
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

// screenshotDir is artifacts/screenshots at the repository root.
func screenshotDir(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	for ; ; dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		if filepath.Dir(dir) == dir {
			t.Fatal("no go.mod above the test")
		}
	}
	out := filepath.Join(dir, "artifacts", "screenshots")
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	return out
}

func newBrowser(t *testing.T, width, height int) context.Context {
	t.Helper()
	// Chromium's helper processes may still write their profile for a moment
	// after the browser exits, which makes t.TempDir's strict cleanup fail:
	// the profile gets its own folder, removed with retries.
	profile, err := os.MkdirTemp("", "askdb-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		for range 20 {
			if os.RemoveAll(profile) == nil {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
		t.Logf("could not remove the browser profile %s", profile)
	})
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromium(t)),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(width, height),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx, chromedp.WithLogf(t.Logf))
	ctx, cancelTimeout := context.WithTimeout(ctx, 3*time.Minute)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	// Chromium windows have a minimum width; emulate the viewport so that
	// phone widths are real.
	if err := chromedp.Run(ctx, chromedp.EmulateViewport(int64(width), int64(height))); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

// shoot saves a screenshot of the whole page.
func shoot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	saveShot(t, ctx, name, func(png *[]byte) chromedp.Action { return chromedp.FullScreenshot(png, 100) })
}

// shootView saves what the window shows, as a user sees it after a scroll.
func shootView(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	saveShot(t, ctx, name, func(png *[]byte) chromedp.Action { return chromedp.CaptureScreenshot(png) })
}

func saveShot(t *testing.T, ctx context.Context, name string, capture func(*[]byte) chromedp.Action) {
	t.Helper()
	var png []byte
	if err := chromedp.Run(ctx, capture(&png)); err != nil {
		t.Errorf("screenshot %s: %v", name, err)
		return
	}
	if err := os.WriteFile(filepath.Join(screenshotDir(t), name+".png"), png, 0o644); err != nil {
		t.Error(err)
	}
}

func run(t *testing.T, ctx context.Context, what string, actions ...chromedp.Action) {
	t.Helper()
	if err := chromedp.Run(ctx, actions...); err != nil {
		shoot(t, ctx, "failed-"+strings.ReplaceAll(t.Name(), "/", "-"))
		t.Fatalf("%s: %v", what, err)
	}
}

func askInUI(question string) chromedp.Action {
	return chromedp.Tasks{
		chromedp.WaitVisible(`#question`, chromedp.ByID),
		chromedp.SetValue(`#question`, question, chromedp.ByID),
		chromedp.Click(`#send`, chromedp.ByID),
	}
}

// waitChart waits for a drawn chart of kind. The chart library is checked
// in (TestVendoredChartLibrary), so a missing chart is a failure.
func waitChart(kind string) chromedp.Action {
	return chromedp.WaitVisible(`.chart[data-chart="`+kind+`"][data-rendered="true"] .chart-canvas > div`, chromedp.ByQuery)
}

// uiPageSize mirrors PAGE_SIZE in ui/table.js.
const uiPageSize = 50

const monthlySQL = "SELECT strftime('%Y-%m', order_date) AS month, COUNT(*) AS orders, SUM(total) AS revenue FROM orders GROUP BY month ORDER BY month"

// TestBrowserAskFlow drives the real UI in headless Chromium: a question
// with live steps, its table and bar chart, the trace, feedback, the CSV
// download, a refused write and a time series.
func TestBrowserAskFlow(t *testing.T) {
	slow := sqlReply(countrySQL)
	slow.Delay = 700 * time.Millisecond
	e := newEnv(t, []llmtest.Reply{slow, sqlReply(monthlySQL)})
	ctx := newBrowser(t, 1280, 900)
	downloads := t.TempDir()
	run(t, ctx, "open the UI",
		chromedp.ActionFunc(func(ctx context.Context) error {
			return browser.SetDownloadBehavior(browser.SetDownloadBehaviorBehaviorAllow).WithDownloadPath(downloads).Do(ctx)
		}),
		chromedp.Navigate(e.ts.URL+"/"),
		chromedp.WaitReady(`#source option`, chromedp.ByQuery),
	)
	shoot(t, ctx, "01-empty")

	// Steps arrive while the model is still writing SQL.
	run(t, ctx, "ask and watch the steps", askInUI("How many customers are there per country?"),
		chromedp.WaitVisible(`.step[data-step="retrieve"][data-status="done"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`.step[data-step="generate"][data-status="running"]`, chromedp.ByQuery),
	)
	shoot(t, ctx, "02-progress")
	var rows, bars int
	var summary, badge string
	run(t, ctx, "see the answer",
		chromedp.WaitVisible(`.card[data-outcome="answered"] table.rows tbody tr`, chromedp.ByQuery),
		waitChart("bar"),
		chromedp.Evaluate(`document.querySelectorAll('.card table.rows tbody tr').length`, &rows),
		chromedp.Evaluate(`document.querySelectorAll('.chart[data-chart="bar"]').length`, &bars),
		chromedp.Text(`.card .summary`, &summary, chromedp.ByQuery),
		chromedp.Text(`.card .badge.safe`, &badge, chromedp.ByQuery),
	)
	if rows != 11 || bars != 1 || summary == "" || badge != "read-only query · EXPLAIN passed" {
		t.Errorf("answer shows %d rows, %d bar charts, summary %q, badge %q", rows, bars, summary, badge)
	}
	shoot(t, ctx, "03-answer")

	var stepRows int
	run(t, ctx, "open View steps",
		chromedp.Click(`.card .trace summary`, chromedp.ByQuery),
		chromedp.WaitVisible(`.card .trace table.steps`, chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelectorAll('.card .trace table.steps tbody tr').length`, &stepRows),
	)
	if stepRows < len(coreSteps) {
		t.Errorf("View steps shows %d steps, want at least %d", stepRows, len(coreSteps))
	}
	shoot(t, ctx, "04-steps")

	var sorted string
	run(t, ctx, "sort by customers, descending",
		chromedp.Click(`.card table.rows thead th:nth-child(2) .sort`, chromedp.ByQuery),
		chromedp.Click(`.card table.rows thead th:nth-child(2) .sort`, chromedp.ByQuery),
		chromedp.Text(`.card table.rows tbody tr:first-child td:first-child`, &sorted, chromedp.ByQuery),
	)
	if sorted != "Germany" {
		t.Errorf("top country after sorting by customers descending = %q, want Germany", sorted)
	}

	id := ""
	run(t, ctx, "give feedback and download the CSV",
		chromedp.AttributeValue(`.card`, "data-answer-id", &id, nil, chromedp.ByQuery),
		chromedp.Click(`.card .vote-up`, chromedp.ByQuery),
		chromedp.WaitVisible(`.card .vote-up[aria-pressed="true"]`, chromedp.ByQuery),
		chromedp.Click(`.card .csv`, chromedp.ByQuery),
	)
	if fbs, err := e.store.FeedbackFor(t.Context(), id); err != nil || len(fbs) != 1 || fbs[0].Vote != "up" {
		t.Errorf("feedback for %q = %+v, %v", id, fbs, err)
	}
	csvPath := filepath.Join(downloads, "askdb-"+id+".csv")
	var csvBody []byte
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if b, err := os.ReadFile(csvPath); err == nil && len(b) > 0 {
			csvBody = b
			break
		}
	}
	if !strings.HasPrefix(string(csvBody), "country,customers\n") || strings.Count(string(csvBody), "\n") != 12 {
		t.Errorf("downloaded CSV %q", csvBody)
	}

	var refusal string
	run(t, ctx, "see a refused write explained", askInUI("delete all customers"),
		chromedp.WaitVisible(`.card[data-outcome="refused"] .notice.refused`, chromedp.ByQuery),
		chromedp.Text(`.card[data-outcome="refused"] .notice.refused`, &refusal, chromedp.ByQuery),
	)
	if !strings.Contains(strings.ToLower(refusal), "delete") {
		t.Errorf("refusal says %q", refusal)
	}
	shoot(t, ctx, "05-refused")

	run(t, ctx, "a time series gets a line chart", askInUI("Monthly order totals"),
		waitChart("line"),
	)
	shoot(t, ctx, "06-line-chart")
}

// TestBrowserLargeResult renders 10,000 rows of 200 columns at phone
// width: the table pages, and the page stays usable.
func TestBrowserLargeResult(t *testing.T) {
	var cols []string
	for i := range 200 {
		cols = append(cols, fmt.Sprintf("i * %d AS c%03d", i+1, i))
	}
	big := "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000) SELECT " + strings.Join(cols, ", ") + " FROM n"
	e := newEnv(t, []llmtest.Reply{sqlReply(big), sqlReply("SELECT COUNT(*) AS customers FROM customers")}, func(_ *Options, c *config.Config) {
		s := c.Sources["sample"]
		s.MaxRows = 10000
		s.MaxBytes = 200 << 20
		c.Sources["sample"] = s
	})
	e.srv.opts.MaxBodyBytes = DefaultMaxBodyBytes
	ctx := newBrowser(t, 390, 844)
	var bodyRows, headCols int
	var info string
	run(t, ctx, "ask for a huge result",
		chromedp.Navigate(e.ts.URL+"/"),
		askInUI("list every customer"),
		chromedp.WaitVisible(`.card[data-outcome="answered"] .page-info`, chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelectorAll('.card table.rows tbody tr').length`, &bodyRows),
		chromedp.Evaluate(`document.querySelectorAll('.card table.rows thead th').length`, &headCols),
		chromedp.Text(`.card .page-info`, &info, chromedp.ByQuery),
		chromedp.Click(`.card .page-next`, chromedp.ByQuery),
	)
	if bodyRows != uiPageSize || headCols != 200 || !strings.Contains(info, "of 10000") {
		t.Errorf("%d rows in the DOM (want %d), %d columns, pager %q", bodyRows, uiPageSize, headCols, info)
	}
	shoot(t, ctx, "07-phone-large-result")
	var figure string
	run(t, ctx, "one number is a big figure", askInUI("how many customers?"),
		chromedp.WaitVisible(`.card:last-child .big-number .figure-value`, chromedp.ByQuery),
		chromedp.Text(`.card:last-child .big-number .figure-value`, &figure, chromedp.ByQuery),
	)
	if _, err := strconv.Atoi(strings.ReplaceAll(figure, ",", "")); err != nil {
		t.Errorf("big figure %q", figure)
	}
	shoot(t, ctx, "08-phone-number")
}

// TestBrowserClarification asks for a metric defined in two domains: the
// answer offers the domains as buttons, and clicking one answers it from
// the metrics dictionary.
func TestBrowserClarification(t *testing.T) {
	e := newEnv(t, nil, func(_ *Options, c *config.Config) {
		s := c.Sources["sample"]
		s.Knowledge = []string{filepath.Join("..", "knowledge", "testdata", "sample.yaml")}
		c.Sources["sample"] = s
	})
	ctx := newBrowser(t, 1280, 900)
	var choices int
	var figure string
	run(t, ctx, "a clarification offers choices",
		chromedp.Navigate(e.ts.URL+"/"),
		askInUI("What is our retention?"),
		chromedp.WaitVisible(`.card[data-outcome="clarification"] .choices button.choice`, chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelectorAll('.card[data-outcome="clarification"] button.choice').length`, &choices),
		chromedp.Click(`.card[data-outcome="clarification"] button.choice:last-child`, chromedp.ByQuery),
		chromedp.WaitVisible(`.card[data-outcome="answered"] .big-number .figure-value`, chromedp.ByQuery),
		chromedp.Text(`.card[data-outcome="answered"] .big-number .figure-value`, &figure, chromedp.ByQuery),
	)
	if choices != 2 || figure == "" {
		t.Errorf("%d choices, then figure %q", choices, figure)
	}
	if e.model.Count() != 0 {
		t.Errorf("the model was called %d times", e.model.Count())
	}
	shoot(t, ctx, "09-clarification")
}

const (
	// projectBudgetSQL gives 40 bars with titles of up to 49 characters.
	projectBudgetSQL = "SELECT title, budget AS total_budget FROM projects ORDER BY title"
	// staffSQL is one long line, wider than a phone's card.
	staffSQL = "SELECT e.first_name AS employee_first_name, e.last_name AS employee_last_name, d.name AS department_name, e.job_title, " +
		"e.salary AS yearly_gross_salary_in_euros FROM employees AS e JOIN departments AS d ON d.department_id = e.department_id " +
		"WHERE e.active = 1 AND e.salary > 50000 ORDER BY e.salary DESC"
	bankQuestion = "How many customers do we have in each country?"
)

// TestBrowserAnswerLayout checks, at desktop and phone width, what the
// first hour's newcomer run found wrong: after each question the page
// shows the answer (not only its heading), a bar chart labels every bar,
// long SQL wraps instead of overflowing and copies exactly, the badge keeps
// "safe" apart from "how it was chosen", and an abstention is a calm notice
// without feedback buttons.
func TestBrowserAnswerLayout(t *testing.T) {
	for _, vp := range []struct {
		name          string
		width, height int
	}{{"desktop", 1280, 800}, {"phone", 390, 844}} {
		t.Run(vp.name, func(t *testing.T) {
			// The model declines the joke twice (once more after the repair prompt).
			decline := llmtest.Text("I can only answer questions about the data in this database.", 10, 5)
			e := newEnv(t, []llmtest.Reply{sqlReply(countrySQL), sqlReply(projectBudgetSQL), sqlReply(staffSQL), decline, decline})
			entry := store.BankEntry{Source: "sample", Question: bankQuestion, SQL: countrySQL, Origin: store.OriginFeedback}
			if err := e.store.AddBankEntry(t.Context(), entry); err != nil {
				t.Fatal(err)
			}
			ctx := newBrowser(t, vp.width, vp.height)
			run(t, ctx, "grant the clipboard", chromedp.ActionFunc(func(ctx context.Context) error {
				return browser.GrantPermissions([]browser.PermissionType{browser.PermissionTypeClipboardReadWrite, browser.PermissionTypeClipboardSanitizedWrite}).
					WithOrigin(e.ts.URL).Do(ctx)
			}), chromedp.Navigate(e.ts.URL+"/"))

			askAndWait(t, ctx, 1, "How many customers are there per country?", "answered")
			checkBarLabels(t, ctx, 1, 11)
			askAndWait(t, ctx, 2, "What is the budget of each project?", "answered")
			checkAnswerInView(t, ctx, 2)
			checkBarLabels(t, ctx, 2, 40)
			shootView(t, ctx, "10-"+vp.name+"-bar-labels")

			askAndWait(t, ctx, 3, "List the active staff earning over 50000 with their departments", "answered")
			checkAnswerInView(t, ctx, 3)
			checkSQLWraps(t, ctx, e, 3)
			checkBadge(t, ctx, 3, "model", "chosen by model: m")
			run(t, ctx, "scroll to the SQL", chromedp.ScrollIntoView(".card:nth-child(3) .sql-block", chromedp.ByQuery))
			shootView(t, ctx, "11-"+vp.name+"-long-sql")

			calls := e.model.Count()
			askAndWait(t, ctx, 4, bankQuestion, "answered")
			if n := e.model.Count() - calls; n != 0 {
				t.Errorf("the verified question called the model %d times", n)
			}
			checkAnswerInView(t, ctx, 4)
			checkBadge(t, ctx, 4, "bank", "chosen by verified question "+strconv.Quote(bankQuestion))

			askAndWait(t, ctx, 5, "tell me a joke about penguins", "no_sql")
			checkAnswerInView(t, ctx, 5)
			var calm, alarms, votes int
			run(t, ctx, "an abstention is a calm notice",
				chromedp.Evaluate(`document.querySelectorAll('.card:nth-child(5) .notice.calm .tries li').length`, &calm),
				chromedp.Evaluate(`document.querySelectorAll('.card:nth-child(5) .notice.error, .card:nth-child(5) [role="alert"]').length`, &alarms),
				chromedp.Evaluate(`document.querySelectorAll('.card:nth-child(5) .vote').length`, &votes),
			)
			if calm == 0 || alarms != 0 || votes != 0 {
				t.Errorf("abstention: %d things to try, %d alarms, %d feedback buttons; want some, none, none", calm, alarms, votes)
			}
			shootView(t, ctx, "12-"+vp.name+"-abstention")

		})
	}
}

// askAndWait asks in the UI and waits for card n to reach outcome.
func askAndWait(t *testing.T, ctx context.Context, n int, question, outcome string) {
	t.Helper()
	sel := fmt.Sprintf(`.card:nth-child(%d)`, n)
	var got, text string
	run(t, ctx, "ask "+strconv.Quote(question), askInUI(question),
		chromedp.WaitVisible(sel+`[aria-busy="false"]`, chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelector('`+sel+`').dataset.outcome || ''`, &got),
		chromedp.Text(sel, &text, chromedp.ByQuery))
	if got != outcome {
		t.Fatalf("card %d: outcome %q, want %q: %s", n, got, outcome, text)
	}
}

// inViewJS measures card n: the answer is in view when the card's heading
// and its summary (or notice) are between the top of the window and the
// sticky question box, and at least 200 px of what follows (chart, table)
// or all of it shows too.
const inViewJS = `(() => {
  const card = document.querySelector('.card:nth-child(%d)');
  const bottom = document.getElementById('ask').getBoundingClientRect().top;
  const box = (el) => el ? el.getBoundingClientRect() : null;
  const q = box(card.querySelector('.question'));
  const s = box(card.querySelector('.summary, .notice'));
  const next = box(card.querySelector('.big-number, .chart, .result'));
  const shown = next ? Math.min(next.bottom, bottom) - next.top : Infinity;
  return {ok: q.top >= 0 && !!s && s.bottom <= bottom && shown >= Math.min(200, next ? next.height : 0),
    state: 'heading ' + Math.round(q.top) + ', summary ' + (s ? Math.round(s.top) + '-' + Math.round(s.bottom) : 'none') +
      ', next ' + (next ? Math.round(next.top) + '-' + Math.round(next.bottom) : 'none') + ', question box at ' + Math.round(bottom)};
})()`

type inView struct {
	OK    bool   `json:"ok"`
	State string `json:"state"`
}

func checkAnswerInView(t *testing.T, ctx context.Context, n int) {
	t.Helper()
	js := fmt.Sprintf(inViewJS, n)
	// The page scrolls smoothly: measure once it has stopped moving.
	var v inView
	last := -1.0
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(150 * time.Millisecond) {
		var y float64
		run(t, ctx, "measure the answer", chromedp.Evaluate(`window.scrollY`, &y), chromedp.Evaluate(js, &v))
		if (y == last && v.OK) || time.Now().After(deadline) {
			break
		}
		last = y
	}
	if !v.OK {
		shoot(t, ctx, "failed-"+strings.ReplaceAll(t.Name(), "/", "-"))
		t.Errorf("card %d's answer is not in view: %s", n, v.State)
	}
}

// barLabelsJS lists card n's table categories that no chart label shows,
// whole or truncated with an ellipsis.
const barLabelsJS = `(() => {
  const card = document.querySelector('.card:nth-child(%d)');
  const texts = [...card.querySelectorAll('.chart svg text')].map((t) => t.textContent);
  const cats = [...card.querySelectorAll('table.rows tbody tr td:first-child')].map((td) => td.textContent);
  const shown = (c) => texts.some((t) => t === c || (t.endsWith('…') && t.length >= 4 && c.startsWith(t.slice(0, -1))));
  return {categories: cats.length, missing: cats.filter((c) => !shown(c)), orient: card.querySelector('.chart').dataset.orient,
    caption: card.querySelector('.chart-caption').textContent, axes: texts.filter((t) => /^[A-Z][a-z]+( [a-z]+)*$/.test(t) && !cats.includes(t))};
})()`

func checkBarLabels(t *testing.T, ctx context.Context, n, want int) {
	t.Helper()
	var got struct {
		Categories int      `json:"categories"`
		Missing    []string `json:"missing"`
		Orient     string   `json:"orient"`
		Caption    string   `json:"caption"`
		Axes       []string `json:"axes"`
	}
	run(t, ctx, "read the bar labels", waitChart("bar"), chromedp.Evaluate(fmt.Sprintf(barLabelsJS, n), &got))
	if got.Categories != want || len(got.Missing) > 0 {
		t.Errorf("card %d (%s bars): %d categories, want %d; no label for %q", n, got.Orient, got.Categories, want, got.Missing)
	}
	if strings.Contains(got.Caption, "_") || got.Caption == "" || got.Caption[:1] != strings.ToUpper(got.Caption[:1]) {
		t.Errorf("card %d's caption %q is not in words", n, got.Caption)
	}
	for _, name := range got.Axes {
		if strings.Contains(name, "_") {
			t.Errorf("card %d: axis name %q", n, name)
		}
	}
}

// checkSQLWraps checks that card n's SQL fits its box and the page (no
// horizontal scrolling), reads as the answer's SQL, and copies exactly.
func checkSQLWraps(t *testing.T, ctx context.Context, e *env, n int) {
	t.Helper()
	sel := fmt.Sprintf(".card:nth-child(%d)", n)
	var id, shown, copied string
	var preOverflow, pageOverflow int
	run(t, ctx, "measure the SQL",
		chromedp.AttributeValue(sel, "data-answer-id", &id, nil, chromedp.ByQuery),
		chromedp.Evaluate(`(() => { const p = document.querySelector('`+sel+` .sql-block pre'); return p.scrollWidth - p.clientWidth; })()`, &preOverflow),
		chromedp.Evaluate(`document.documentElement.scrollWidth - document.documentElement.clientWidth`, &pageOverflow),
		chromedp.Text(sel+" .sql-block pre", &shown, chromedp.ByQuery),
		chromedp.Click(sel+" .copy-sql", chromedp.ByQuery),
		chromedp.WaitVisible(sel+` .action-status`, chromedp.ByQuery),
		chromedp.Evaluate(`navigator.clipboard.readText()`, &copied, func(p *cdpruntime.EvaluateParams) *cdpruntime.EvaluateParams { return p.WithAwaitPromise(true) }),
	)
	if preOverflow > 0 || pageOverflow > 0 {
		t.Errorf("the SQL overflows by %d px, the page by %d px", preOverflow, pageOverflow)
	}
	_, body := e.do("GET", "/api/answers/"+id, "")
	sql := decodeAs[answerJSON](t, body).SQL
	if !strings.Contains(sql, staffSQL) {
		t.Fatalf("answer %s ran %q", id, sql)
	}
	if strings.Join(strings.Fields(shown), " ") != strings.Join(strings.Fields(sql), " ") {
		t.Errorf("the SQL shown differs from the SQL run beyond whitespace:\n%s\n%s", shown, sql)
	}
	if !strings.Contains(shown, "\nFROM employees") {
		t.Errorf("a long one-line query is shown without a line break before FROM:\n%s", shown)
	}
	if copied != sql {
		t.Errorf("Copy SQL gave %q, want the exact SQL %q", copied, sql)
	}
}

// checkBadge checks card n's two claims: the safety badge says what was
// checked and nothing about correctness; the second says how the SQL was
// chosen.
func checkBadge(t *testing.T, ctx context.Context, n int, kind, how string) {
	t.Helper()
	sel := fmt.Sprintf(".card:nth-child(%d) .sql-block", n)
	var safe, chosen, gotKind string
	var ok bool
	run(t, ctx, "read the badges",
		chromedp.Text(sel+" .badge.safe", &safe, chromedp.ByQuery),
		chromedp.Text(sel+" .badge.how", &chosen, chromedp.ByQuery),
		chromedp.AttributeValue(sel+" .badge.how", "data-kind", &gotKind, &ok, chromedp.ByQuery),
	)
	if safe != "read-only query · EXPLAIN passed" {
		t.Errorf("card %d: safety badge %q", n, safe)
	}
	if chosen != how || gotKind != kind {
		t.Errorf("card %d: how-chosen badge %q (kind %q), want %q (kind %q)", n, chosen, gotKind, how, kind)
	}
}

// TestBrowserChosenBy runs answer.js's chosenBy in the browser on the
// answer shapes the server sends: the chosen_by label when present, and
// otherwise a label derived from bank, engine, the offline step's
// confidence and model_calls.
func TestBrowserChosenBy(t *testing.T) {
	e := newEnv(t, nil)
	ctx := newBrowser(t, 1280, 800)
	var got []any
	run(t, ctx, "call chosenBy",
		chromedp.Navigate(e.ts.URL+"/"),
		chromedp.WaitReady(`#question`, chromedp.ByID),
		chromedp.Evaluate(`import('./answer.js').then((m) => [
  {chosen_by: {kind: 'offline', confidence: 0.93, label: 'offline rules, confidence 0.93'}, engine: 'offline'},
  {chosen_by: {kind: 'cache', label: 'cached answer'}, engine: 'model', model_calls: 0},
  {bank: {entry: {id: 'b1'}}, engine: 'bank'},
  {engine: 'metric', model_calls: 0},
  {engine: 'offline', steps: [{name: 'generate', detail: {engine: 'offline', confidence: 0.875}}]},
  {engine: 'offline', steps: []},
  {engine: 'model', model_calls: 2, steps: [{name: 'generate', model: 'qwen'}]},
  {model_calls: 1, steps: []},
  {model_calls: 0, steps: []},
].map((a) => { const c = m.chosenBy(a); return c ? c.kind + ': ' + c.label : null; }))`, &got,
			func(p *cdpruntime.EvaluateParams) *cdpruntime.EvaluateParams { return p.WithAwaitPromise(true) }),
	)
	want := []any{
		"offline: offline rules, confidence 0.93",
		"cache: cached answer",
		"bank: verified question",
		"metric: metric definition",
		"offline: offline rules, confidence 0.88",
		"offline: offline rules",
		"model: model: qwen",
		"model: model",
		nil,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("chosenBy (-want +got):\n%s", diff)
	}
}

// TestBrowserAutomaticSource configures two sources: the picker offers
// Automatic first and chooses it, which sends no source (the server then
// routes; two equal sources are a close call, so it asks which); a
// routing choice is asked on its source, and a named source is sent as is.
func TestBrowserAutomaticSource(t *testing.T) {
	e := newEnv(t, []llmtest.Reply{sqlReply(countrySQL), sqlReply(countrySQL)}, func(_ *Options, c *config.Config) {
		c.Sources["copy"] = config.Source{Kind: "sqlite", Path: samplePath, Description: "the sample again"}
	})
	var mu sync.Mutex
	var bodies []map[string]any
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/api/ask" {
			b, _ := io.ReadAll(r.Body)
			var m map[string]any
			_ = json.Unmarshal(b, &m)
			mu.Lock()
			bodies = append(bodies, m)
			mu.Unlock()
			r.Body = io.NopCloser(bytes.NewReader(b))
		}
		e.ts.Config.Handler.ServeHTTP(w, r)
	}))
	t.Cleanup(ts.Close)
	ctx := newBrowser(t, 1280, 800)
	var options []string
	var selected string
	run(t, ctx, "open the picker",
		chromedp.Navigate(ts.URL+"/"),
		chromedp.WaitReady(`#source option[value="sample"]`, chromedp.ByQuery),
		chromedp.Evaluate(`[...document.querySelectorAll('#source option')].map((o) => o.textContent)`, &options),
		chromedp.Value(`#source`, &selected, chromedp.ByID),
	)
	if diff := cmp.Diff([]string{"Automatic", "copy", "sample"}, options); diff != "" || selected != "" {
		t.Errorf("picker (-want +got):\n%s\nselected %q, want Automatic (\"\")", diff, selected)
	}
	var alarms int
	run(t, ctx, "ask with Automatic", askInUI("How many customers are there per country?"),
		chromedp.WaitVisible(`.card:nth-child(1)[aria-busy="false"]`, chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelectorAll('.card:nth-child(1) .notice.error').length`, &alarms),
	)
	shoot(t, ctx, "13-automatic-source")
	if alarms != 0 {
		t.Errorf("Automatic on two equal sources shows an error, not a choice of source")
	}
	// The two sources are the same database: routing asks which, and the
	// choice is asked on its own source, whatever the picker says.
	run(t, ctx, "choose a source", chromedp.WaitVisible(`.card:nth-child(1)[data-outcome="clarification"] button.choice`, chromedp.ByQuery),
		chromedp.Click(`.card:nth-child(1) button.choice:first-child`, chromedp.ByQuery),
		chromedp.WaitVisible(`.card:nth-child(2)[data-outcome="answered"]`, chromedp.ByQuery))
	run(t, ctx, "ask the sample", chromedp.SetValue(`#source`, "sample", chromedp.ByID),
		askInUI("How many customers are there per country?"),
		chromedp.WaitVisible(`.card:nth-child(3)[data-outcome="answered"]`, chromedp.ByQuery))
	mu.Lock()
	defer mu.Unlock()
	if len(bodies) != 3 {
		t.Fatalf("%d questions sent, want 3", len(bodies))
	}
	if src, ok := bodies[0]["source"]; ok {
		t.Errorf("Automatic sent source %v; it must send none", src)
	}
	if bodies[1]["source"] != "copy" {
		t.Errorf("the choice \"copy\" sent source %v", bodies[1]["source"])
	}
	if bodies[2]["source"] != "sample" {
		t.Errorf("picking sample sent source %v", bodies[2]["source"])
	}
}

// TestBrowserAskTheModelAgain checks that a cached answer offers "Ask the
// model again", which sends no_cache and gets the model's answer, and that
// the model's own answers do not offer it.
func TestBrowserAskTheModelAgain(t *testing.T) {
	e := newEnv(t, []llmtest.Reply{sqlReply(countrySQL), sqlReply(countrySQL)}, func(_ *Options, cfg *config.Config) {
		on := true
		cfg.Ask.Cache.Enabled = &on
	})
	ctx := newBrowser(t, 1280, 800)
	const q = "How many customers are there per country?"
	var first, second int
	run(t, ctx, "ask twice", chromedp.Navigate(e.ts.URL+"/"),
		askInUI(q), chromedp.WaitVisible(`.card:nth-child(1)[data-outcome="answered"]`, chromedp.ByQuery),
		askInUI(q), chromedp.WaitVisible(`.card:nth-child(2)[data-outcome="answered"]`, chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelectorAll('.card:nth-child(1) button.ask-model').length`, &first),
		chromedp.Evaluate(`document.querySelectorAll('.card:nth-child(2) button.ask-model').length`, &second),
	)
	if first != 0 || second != 1 || e.model.Count() != 1 {
		t.Fatalf("ask-the-model buttons: model answer %d, cached answer %d (want 0, 1); model calls %d, want 1", first, second, e.model.Count())
	}
	var how string
	run(t, ctx, "ask the model again", chromedp.Click(`.card:nth-child(2) button.ask-model`, chromedp.ByQuery),
		chromedp.WaitVisible(`.card:nth-child(3)[data-outcome="answered"]`, chromedp.ByQuery),
		chromedp.Text(`.card:nth-child(3) .badge.how`, &how, chromedp.ByQuery))
	if e.model.Count() != 2 || !strings.Contains(how, "model") {
		t.Errorf("after asking again: %d model calls (want 2), badge %q", e.model.Count(), how)
	}
}
