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
    // Without a source picked, a server with several sources and no
    // routing asks for one: that is a choice to make, not a fault.
    if (err.code === "source_required") {
      this.el.append(notice("Choose a source.", err.message, ["Pick one in the Source menu at the top, then ask again."]));
      return;
    }
    this.el.append(errorBox(err.message || String(err), err.answerID));
  }

  show(a) {
    this.answer = a;
    this.el.setAttribute("aria-busy", "false");
    this.el.dataset.outcome = a.outcome;
    this.el.dataset.answerId = a.id;
    this.progress.classList.add("finished");
    if (a.outcome === "failed") {
      this.el.append(errorBox(a.message || "No answer."));
    } else if (a.outcome === "clarification" && a.clarification && (a.clarification.choices || []).length) {
      // The choices below are the notice: they say what to try.
    } else if (a.outcome !== "answered" && a.outcome !== "info") {
      this.el.append(outcomeNotice(a));
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
        // A routing choice names its source: ask there, not where the
        // picker points.
        const src = typeof ch === "string" ? undefined : ch.source;
        return h("button", { type: "button", class: "choice", onclick: () => this.onAsk(text, src) }, typeof ch === "string" ? ch : ch.label || text);
      })));
  }

  // sqlBlock shows the SQL under two separate claims: whether it is safe
  // (one read-only query that EXPLAIN accepted) and how it was chosen.
  // Neither says the SQL is correct, since nobody checked that.
  sqlBlock(a) {
    const how = chosenBy(a);
    const head = h("div", { class: "sql-head" }, safetyBadge(a));
    if (how) head.append(h("span", { class: "badge how", "data-kind": how.kind, title: "How askdb chose this SQL" }, "chosen by " + how.label));
    return h("section", { class: "sql-block", "aria-label": "SQL" }, head, h("pre", {}, highlight(a.sql)));
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
    if (a.outcome === "answered" && chosenBy(a)?.kind === "cache") {
      // A reused answer: the user may refuse it and have the model write
      // the SQL afresh (the new answer replaces the cached one).
      bar.append(h("button", { type: "button", class: "ghost ask-model", title: "Ignore the cached answer and ask the model again",
        onclick: () => this.onAsk(a.question, a.source, { noCache: true }) }, "Ask the model again"));
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
    // Feedback rates an answer's rows; a notice has none to rate.
    if (a.outcome === "answered") bar.append(vote("up", "Good answer", "▲ Good answer"), vote("down", "Bad answer", "▼ Wrong answer"));
    bar.append(status);
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

// safetyBadge is the first claim: the SQL is one read-only query, and the
// database's EXPLAIN accepted it (or why not).
function safetyBadge(a) {
  let text, cls;
  if (a.verdict && !a.verdict.accepted) { text = "refused: " + (a.verdict.message || a.verdict.rule); cls = "bad"; }
  else if (a.verified) { text = "read-only query · EXPLAIN passed"; cls = "ok"; }
  else if (a.verdict && a.verdict.accepted) { text = "read-only query · not checked with EXPLAIN"; cls = "warn"; }
  else { text = "not run"; cls = "warn"; }
  return h("span", { class: "badge safe " + cls, title: "What askdb checked before running it (not whether it answers the question)" }, text);
}

const chosenLabels = { bank: "verified question", metric: "metric definition", offline: "offline rules", model: "model", cache: "cached answer", user: "your SQL" };

// chosenBy is the second claim: how the SQL was chosen. It is the
// server's chosen_by when present, or derived from the older fields.
export function chosenBy(a) {
  const c = a.chosen_by;
  if (c && c.label) return { kind: c.kind || "", label: c.label };
  let kind = a.engine || "";
  if (a.bank) kind = "bank";
  else if (!kind && a.model_calls > 0) kind = "model";
  if (!kind || !chosenLabels[kind]) return null;
  let label = chosenLabels[kind];
  if (kind === "offline") {
    const conf = (c && typeof c.confidence === "number") ? c.confidence : offlineConfidence(a);
    if (conf !== null) label += ", confidence " + conf.toFixed(2);
  } else if (kind === "model") {
    const m = (a.steps || []).find((s) => s.name === "generate" && s.model);
    if (m) label += ": " + m.model; // as the server writes it
  }
  return { kind, label };
}

function offlineConfidence(a) {
  const s = (a.steps || []).find((s) => s.detail && s.detail.engine === "offline" && typeof s.detail.confidence === "number");
  return s ? s.detail.confidence : null;
}

// errorBox reports a fault (model or database down): the one red notice.
function errorBox(message, answerID) {
  const box = h("div", { class: "notice error", role: "alert" }, h("strong", {}, "Something went wrong. "), message);
  if (answerID) box.append(" ", h("span", { class: "muted" }, "(answer " + answerID + ")"));
  return box;
}

// notice is a calm box: what happened, and what to try.
function notice(title, text, tries, extra) {
  const box = h("div", { class: "notice calm", role: "status" }, h("strong", {}, title + " "), text || "");
  if (tries && tries.length) box.append(h("ul", { class: "tries", "aria-label": "What to try" }, tries.map((t) => h("li", {}, t))));
  if (extra) box.append(extra);
  return box;
}

// outcomeNotice explains a refusal, an abstention or a question back to
// the user in plain words. A message's later lines (setup instructions
// with shell commands, meant for whoever runs askdb) are folded away.
function outcomeNotice(a) {
  const [first, ...rest] = String(a.message || "").split("\n");
  const more = rest.join("\n").trim();
  const forAdmin = more ? h("details", { class: "admin" }, h("summary", {}, "For whoever runs askdb"), h("pre", { class: "admin-text" }, more)) : null;
  let title, tries;
  switch (a.outcome) {
    case "refused":
      title = "Not run.";
      tries = ["Ask about the data you want to see, for example “How many customers are there per country?”"];
      break;
    case "clarification":
      title = "Which one did you mean?";
      tries = [];
      break;
    default: // no_sql: the engine abstained rather than guess
      title = "No answer for this one.";
      tries = ["Name what to count, add up or list, and how to group it: “Total order value per month”.",
        "Use the words your data uses, such as the names of tables and columns."];
      if (/model/i.test(more)) tries.push("Questions like this need a language model: ask whoever runs askdb to configure one.");
  }
  const el = notice(title, first.trim() || (a.outcome === "refused" ? "askdb would not run this." : ""), tries, forAdmin);
  el.classList.add(a.outcome === "refused" ? "refused" : "abstained");
  return el;
}
