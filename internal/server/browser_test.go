//go:build !noui

package server

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"

	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/llm/llmtest"
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
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	// Chromium windows have a minimum width; emulate the viewport so that
	// phone widths are real.
	if err := chromedp.Run(ctx, chromedp.EmulateViewport(int64(width), int64(height))); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

func shoot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	var png []byte
	if err := chromedp.Run(ctx, chromedp.FullScreenshot(&png, 100)); err != nil {
		t.Errorf("screenshot %s: %v", name, err)
		return
	}
	path := filepath.Join(screenshotDir(t), name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
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
