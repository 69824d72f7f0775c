// api.js talks to askdb's JSON API, including the server-sent event
// stream of POST /api/ask.

let apiKey = sessionStorage.getItem("askdb.key") || "";

function headers(extra = {}) {
  const h = { ...extra };
  if (apiKey) h.Authorization = "Bearer " + apiKey;
  return h;
}

async function ensureKey(resp) {
  if (resp.status !== 401) return false;
  const k = window.prompt("This askdb server needs an API key:");
  if (!k) return false;
  apiKey = k.trim();
  sessionStorage.setItem("askdb.key", apiKey);
  return true;
}

export class APIError extends Error {
  constructor(status, code, message, answerID) {
    super(message);
    this.status = status;
    this.code = code;
    this.answerID = answerID;
  }
}

async function failure(resp) {
  let body = {};
  try { body = await resp.json(); } catch { /* not JSON */ }
  const e = body.error || {};
  return new APIError(resp.status, e.code || "http_" + resp.status, e.message || resp.statusText, e.answer_id);
}

export async function getJSON(path) {
  let resp = await fetch(path, { headers: headers() });
  if (await ensureKey(resp)) resp = await fetch(path, { headers: headers() });
  if (!resp.ok) throw await failure(resp);
  return resp.json();
}

export async function postJSON(path, body) {
  const init = () => ({ method: "POST", headers: headers({ "Content-Type": "application/json" }), body: JSON.stringify(body) });
  let resp = await fetch(path, init());
  if (await ensureKey(resp)) resp = await fetch(path, init());
  if (!resp.ok) throw await failure(resp);
  return resp.json();
}

export async function download(path, filename) {
  const resp = await fetch(path, { headers: headers() });
  if (!resp.ok) throw await failure(resp);
  const url = URL.createObjectURL(await resp.blob());
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

// ask posts a question and calls onStep for each step event as it
// arrives; it resolves with the final answer or rejects with an APIError.
export async function ask(body, onStep, signal) {
  const init = () => ({
    method: "POST", signal,
    headers: headers({ "Content-Type": "application/json", Accept: "text/event-stream" }),
    body: JSON.stringify(body),
  });
  let resp = await fetch("api/ask", init());
  if (await ensureKey(resp)) resp = await fetch("api/ask", init());
  if (!resp.ok) throw await failure(resp);
  const reader = resp.body.pipeThrough(new TextDecoderStream()).getReader();
  let buf = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buf += value;
    let cut;
    while ((cut = buf.indexOf("\n\n")) >= 0) {
      const raw = buf.slice(0, cut);
      buf = buf.slice(cut + 2);
      const ev = parseEvent(raw);
      if (!ev) continue;
      if (ev.name === "step") onStep(ev.data);
      else if (ev.name === "answer") return ev.data;
      else if (ev.name === "error") {
        const e = ev.data.error || {};
        throw new APIError(200, e.code, e.message, e.answer_id);
      }
    }
  }
  throw new APIError(0, "stream_closed", "the connection closed before the answer arrived");
}

function parseEvent(raw) {
  let name = "message", data = "";
  for (const line of raw.split("\n")) {
    if (line.startsWith(":")) continue; // heartbeat
    if (line.startsWith("event: ")) name = line.slice(7);
    else if (line.startsWith("data: ")) data += line.slice(6);
  }
  if (!data) return null;
  return { name, data: JSON.parse(data) };
}
