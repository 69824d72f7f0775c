// app.js wires the page: the question box, the session's history, the
// source picker, and one Card per question.
import { ask, getJSON, APIError } from "./api.js";
import { Card } from "./answer.js";
import { h } from "./dom.js";

const $ = (id) => document.getElementById(id);
const form = $("ask"), box = $("question"), send = $("send"), thread = $("thread");
const sourceSel = $("source"), historyList = $("history"), empty = $("empty");

const newConversation = () => "c-" + Math.random().toString(36).slice(2, 10);
let conversation = sessionStorage.getItem("askdb.conversation") || newConversation();
sessionStorage.setItem("askdb.conversation", conversation);
let busy = false;

// loadSources fills the picker. With several sources, "Automatic" comes
// first and is chosen: it sends no source, so the server picks one.
async function loadSources() {
  try {
    const { sources } = await getJSON("api/sources");
    const named = sources.map((s) => h("option", { value: s.name, selected: sources.length === 1 || undefined, title: s.description || s.kind }, s.name));
    if (sources.length > 1) named.unshift(h("option", { value: "", selected: true, title: "askdb picks the source for each question" }, "Automatic"));
    sourceSel.replaceChildren(...named);
  } catch (e) {
    sourceSel.replaceChildren(h("option", { value: "" }, "(default)"));
  }
}

const smooth = () => (matchMedia("(prefers-reduced-motion: reduce)").matches ? "auto" : "smooth");

// reveal scrolls the card so its heading sits at the top with what follows
// below it; a card at the end of a short page is shown as far as it goes.
function reveal(card) {
  card.el.scrollIntoView({ block: "start", behavior: smooth() });
}

function remember(question) {
  const li = h("li", {}, h("button", { type: "button", class: "history-item", title: "Ask again", onclick: () => submit(question) }, question));
  historyList.prepend(li);
}

// submit asks question, on source when given (a routing choice names
// its source), else on the picker's source ("Automatic" sends none).
// opts.noCache refuses a cached answer.
async function submit(question, source, opts = {}) {
  question = question.trim();
  if (!question || busy) return;
  busy = true;
  send.disabled = true;
  empty.hidden = true;
  const card = new Card(question, { onAsk: (q, src, o) => submit(q, src, o) });
  thread.append(card.el);
  card.el.scrollIntoView({ block: "nearest", behavior: smooth() });
  remember(question);
  try {
    const answer = await ask({ question, source: source || sourceSel.value || undefined, conversation_id: conversation, no_cache: opts.noCache || undefined }, (s) => card.step(s));
    card.show(answer);
  } catch (e) {
    card.fail(e instanceof APIError ? e : new APIError(0, "network", e.message));
  } finally {
    reveal(card);
    busy = false;
    send.disabled = false;
    box.focus({ preventScroll: true }); // a scroll here would stop reveal's
  }
}

form.addEventListener("submit", (ev) => {
  ev.preventDefault();
  const q = box.value;
  box.value = "";
  submit(q);
});
box.addEventListener("keydown", (ev) => {
  if (ev.key === "Enter" && !ev.shiftKey && !ev.isComposing) {
    ev.preventDefault();
    form.requestSubmit();
  }
});
document.querySelectorAll(".example").forEach((b) => b.addEventListener("click", () => submit(b.textContent)));
$("new-conversation").addEventListener("click", () => {
  conversation = newConversation();
  sessionStorage.setItem("askdb.conversation", conversation);
  thread.replaceChildren();
  historyList.replaceChildren();
  empty.hidden = false;
  box.focus();
});

loadSources();
box.focus();
