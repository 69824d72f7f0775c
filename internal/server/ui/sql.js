// sql.js highlights SQL by tokenising it into spans (no HTML strings). A
// long one-line query is shown with a line break before each clause; the
// text to copy is always the answer's exact SQL, never this rendering.
import { h } from "./dom.js";

const keywords = new Set(("select from where group by order having limit offset join left right inner outer full cross on as and or not in is null " +
  "like between case when then else end distinct union all intersect except with asc desc count sum avg min max cast over partition " +
  "true false exists filter using natural lateral interval date timestamp coalesce nulls first last window").split(" "));

// clauses start a new line; joinWords may come before JOIN on the same line.
const clauses = new Set("from where group order having limit union intersect except window join left right inner full cross natural".split(" "));
const joinWords = new Set("left right inner full cross natural outer".split(" "));

const tokenRE = /(--[^\n]*|\/\*[\s\S]*?\*\/)|('(?:[^']|'')*')|("(?:[^"]|"")*"|`[^`]*`)|(\b\d+(?:\.\d+)?\b)|([A-Za-z_][A-Za-z0-9_]*)|(\s+)|([^\sA-Za-z0-9_'"`]+)/g;

// Queries whose lines are all shorter than this keep their layout.
export const FORMAT_MIN_LENGTH = 80;

function tokens(sql) {
  return [...sql.matchAll(tokenRE)].map((m) => {
    const [text, comment, str, ident, num, word, space] = m;
    let kind = "punct";
    if (comment) kind = "comment";
    else if (str) kind = "string";
    else if (ident) kind = "ident";
    else if (num) kind = "number";
    else if (word) kind = keywords.has(word.toLowerCase()) ? "keyword" : "word";
    else if (space) kind = "space";
    return { text, kind, word: word ? word.toLowerCase() : "" };
  });
}

// layout replaces the space before each clause of a query (not of a
// function call or window) with a line break, indented by query depth.
// Only whitespace changes, so the rendering reads as the same SQL.
export function layout(sql) {
  if (sql.split("\n").every((line) => line.length < FORMAT_MIN_LENGTH)) return sql;
  const toks = tokens(sql);
  const next = (i) => { for (let j = i + 1; j < toks.length; j++) if (toks[j].kind !== "space") return toks[j]; return null; };
  const stack = []; // true for a parenthesised query, false for anything else
  let prev = null;
  let out = "";
  toks.forEach((t, i) => {
    if (t.kind === "punct") {
      for (const ch of t.text) {
        if (ch === "(") { const n = next(i); stack.push(!!n && (n.word === "select" || n.word === "with")); }
        else if (ch === ")") stack.pop();
      }
    }
    const inQuery = stack.length === 0 || stack[stack.length - 1];
    const isClause = t.word && clauses.has(t.word) && inQuery &&
      !(t.word === "join" && prev && joinWords.has(prev.word)) &&
      !((t.word === "left" || t.word === "right") && next(i) && next(i).text.startsWith("("));
    if (isClause && /\s$/.test(out)) {
      out = out.replace(/\s+$/, "") + "\n" + "  ".repeat(stack.filter(Boolean).length);
    }
    out += t.text;
    if (t.kind !== "space") prev = t;
  });
  return out;
}

export function highlight(sql) {
  const code = h("code", { class: "sql" });
  for (const t of tokens(layout(sql))) {
    const cls = { comment: "tok-comment", string: "tok-string", ident: "tok-ident", number: "tok-number", keyword: "tok-keyword" }[t.kind];
    code.append(cls ? h("span", { class: cls }, t.text) : document.createTextNode(t.text));
  }
  return code;
}
