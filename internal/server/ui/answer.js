// answer.js renders one question's card: live progress while the stream
// runs, then the summary, chart, table, SQL with its guard badge, the
// trace, and the actions (copy, CSV, feedback).
import { h, formatDuration } from "./dom.js";
import { highlight } from "./sql.js";
import { resultTable } from "./table.js";
import { chartFor } from "./chart.js";
import { postJSON, download } from "./api.js";

export const stepLabels = {
  input: "Reading the question",
  source: "Choosing a source",
  route: "Understanding the question",
  bank: "Looking for a verified answer",
  retrieve: "Finding tables",
  generate: "Writing SQL",
  guard: "Checking the SQL is read-only",
  verify: "Verifying with EXPLAIN",
  execute: "Running the query",
  summary: "Summarising",
};

const statusMark = { running: "…", done: "✓", failed: "✗" };

export class Card {
  constructor(question, { onAsk }) {
    this.onAsk = onAsk;
    this.el = h("article", { class: "card", "aria-busy": "true" });
    this.progress = h("ol", { class: "progress", "aria-label": "Progress" });
    this.steps = new Map();
    this.el.append(h("h2", { class: "question" }, question), this.progress);
  }

  // step shows a step event: a running line, replaced when it finishes.
  step(s) {
    const key = s.name + "#" + (s.attempt || 0);
    let li = this.steps.get(key);
    if (!li) {
      li = h("li", { class: "step" });
      this.steps.set(key, li);
      this.progress.append(li);
    }
    li.dataset.step = s.name;
    li.dataset.status = s.status;
    const label = (stepLabels[s.name] || s.name) + (s.attempt > 1 ? ` (attempt ${s.attempt})` : "");
    const parts = [h("span", { class: "mark", "aria-hidden": "true" }, statusMark[s.status] || "•"), h("span", { class: "label" }, label)];
    if (s.status !== "running") {
      parts.push(h("span", { class: "dur" }, formatDuration(s.duration_ns)));
      if (s.decision) parts.push(h("span", { class: "decision" }, s.decision));
    }
    li.replaceChildren(...parts);
  }

  fail(err) {
    this.el.setAttribute("aria-busy", "false");
    this.progress.classList.add("finished");
    const box = h("div", { class: "notice error", role: "alert" }, h("strong", {}, "Something went wrong. "), err.message || String(err));
    if (err.answerID) box.append(" ", h("span", { class: "muted" }, "(answer " + err.answerID + ")"));
    this.el.append(box);
  }

  show(a) {
    this.answer = a;
    this.el.setAttribute("aria-busy", "false");
    this.el.dataset.outcome = a.outcome;
    this.el.dataset.answerId = a.id;
    this.progress.classList.add("finished");
    if (a.outcome === "refused") {
      this.el.append(h("div", { class: "notice refused", role: "alert" }, h("strong", {}, "Refused. "), a.message || "askdb would not run this."));
    } else if (a.outcome === "failed" || a.outcome === "no_sql") {
      this.el.append(h("div", { class: "notice error", role: "alert" }, a.message || "No answer."));
    } else if (a.summary) {
      this.el.append(h("p", { class: "summary" }, a.summary));
    }
    if (a.clarification && Array.isArray(a.clarification.choices) && a.clarification.choices.length) {
      this.el.append(this.clarification(a.clarification));
    }
    const chart = chartFor(a);
    if (chart) this.el.append(chart);
    if (a.outcome === "answered") this.el.append(resultTable(a));
    if (a.sql) this.el.append(this.sqlBlock(a));
    this.el.append(this.actions(a), this.trace(a));
  }

  clarification(c) {
    return h("div", { class: "clarify" },
      h("p", {}, c.question || "Did you mean:"),
      h("div", { class: "choices" }, c.choices.map((ch) => {
        const text = typeof ch === "string" ? ch : ch.question || ch.label;
        return h("button", { type: "button", class: "choice", onclick: () => this.onAsk(text) }, typeof ch === "string" ? ch : ch.label || text);
      })));
  }

  sqlBlock(a) {
    let badge, cls;
    if (a.verified) { badge = "validated: read-only, EXPLAIN passed"; cls = "ok"; }
    else if (a.verdict && a.verdict.accepted) { badge = "read-only, not verified"; cls = "warn"; }
    else if (a.verdict && !a.verdict.accepted) { badge = "refused: " + (a.verdict.message || a.verdict.rule); cls = "bad"; }
    else { badge = "not run"; cls = "warn"; }
    return h("section", { class: "sql-block", "aria-label": "SQL" },
      h("div", { class: "sql-head" }, h("span", { class: "badge " + cls }, badge)),
      h("pre", {}, highlight(a.sql)));
  }

  actions(a) {
    const status = h("span", { class: "action-status", role: "status" });
    const bar = h("div", { class: "actions" });
    if (a.sql) {
      bar.append(h("button", { type: "button", class: "ghost copy-sql", onclick: async () => {
        try { await navigator.clipboard.writeText(a.sql); status.textContent = "SQL copied."; }
        catch { status.textContent = "Copy failed: select the SQL and copy it."; }
      } }, "Copy SQL"));
    }
    if (a.outcome === "answered") {
      bar.append(h("button", { type: "button", class: "ghost csv", onclick: async () => {
        try { await download(`api/answers/${a.id}.csv`, `askdb-${a.id}.csv`); status.textContent = "CSV downloaded."; }
        catch (e) { status.textContent = "Download failed: " + e.message; }
      } }, "Download CSV"));
    }
    const vote = (v, label, text) => h("button", { type: "button", class: "ghost vote vote-" + v, "aria-pressed": "false", "aria-label": label,
      onclick: async (ev) => {
        const btn = ev.currentTarget; // null once the handler awaits
        try {
          await postJSON(`api/answers/${a.id}/feedback`, { vote: v });
          bar.querySelectorAll(".vote").forEach((b) => b.setAttribute("aria-pressed", String(b === btn)));
          status.textContent = "Thanks for the feedback.";
        } catch (e) { status.textContent = "Feedback failed: " + e.message; }
      } }, text);
    bar.append(vote("up", "Good answer", "▲ Good answer"), vote("down", "Bad answer", "▼ Wrong answer"), status);
    return bar;
  }

  trace(a) {
    const rows = (a.steps || []).map((s) => {
      const tables = s.name === "retrieve" && s.detail && Array.isArray(s.detail.tables) ? ". Tables: " + s.detail.tables.join(", ") + "." : "";
      return h("tr", { class: s.error ? "failed" : "" },
        h("td", {}, (stepLabels[s.name] || s.name) + (s.attempt > 1 ? ` #${s.attempt}` : "")),
        h("td", { class: "num" }, formatDuration(s.duration_ns)),
        h("td", {}, (s.decision || "") + tables + (s.error ? " Error: " + s.error : "")),
        h("td", {}, s.model ? `${s.model} (${s.tokens.input}+${s.tokens.output} tokens)` : ""));
    });
    const total = `${formatDuration(a.duration_ns)} total · ${a.model_calls} model call${a.model_calls === 1 ? "" : "s"} · ${a.tokens.input + a.tokens.output} tokens`;
    return h("details", { class: "trace" },
      h("summary", {}, "View steps"),
      h("div", { class: "table-scroll" }, h("table", { class: "steps" },
        h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Step"), h("th", { scope: "col" }, "Time"), h("th", { scope: "col" }, "What happened"), h("th", { scope: "col" }, "Model"))),
        h("tbody", {}, rows))),
      h("p", { class: "muted" }, total));
  }
}
