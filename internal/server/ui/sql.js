// sql.js highlights SQL by tokenising it into spans (no HTML strings).
import { h } from "./dom.js";

const keywords = new Set(("select from where group by order having limit offset join left right inner outer full cross on as and or not in is null " +
  "like between case when then else end distinct union all intersect except with asc desc count sum avg min max cast over partition " +
  "true false exists filter using natural lateral interval date timestamp coalesce nulls first last").split(" "));

const tokenRE = /(--[^\n]*|\/\*[\s\S]*?\*\/)|('(?:[^']|'')*')|("(?:[^"]|"")*"|`[^`]*`)|(\b\d+(?:\.\d+)?\b)|([A-Za-z_][A-Za-z0-9_]*)|(\s+)|([^\sA-Za-z0-9_'"`]+)/g;

export function highlight(sql) {
  const code = h("code", { class: "sql" });
  for (const m of sql.matchAll(tokenRE)) {
    const [text, comment, str, ident, num, word] = m;
    let cls = "";
    if (comment) cls = "tok-comment";
    else if (str) cls = "tok-string";
    else if (ident) cls = "tok-ident";
    else if (num) cls = "tok-number";
    else if (word && keywords.has(word.toLowerCase())) cls = "tok-keyword";
    code.append(cls ? h("span", { class: cls }, text) : document.createTextNode(text));
  }
  return code;
}
