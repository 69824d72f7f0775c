// table.js renders result rows as a sortable, paginated table. Only one
// page of rows is in the DOM, so 10,000 rows or 200 columns stay fast.
import { h, formatCell } from "./dom.js";

export const PAGE_SIZE = 50;

function compare(a, b) {
  if (a === b) return 0;
  if (a === null || a === undefined) return 1;
  if (b === null || b === undefined) return -1;
  if (typeof a === "number" && typeof b === "number") return a - b;
  return String(a).localeCompare(String(b), undefined, { numeric: true });
}

export function resultTable(answer) {
  const cols = answer.columns || [];
  const rows = answer.rows || [];
  const state = { page: 0, sortCol: -1, dir: 1, order: rows.map((_, i) => i) };
  const wrap = h("div", { class: "result" });
  const scroller = h("div", { class: "table-scroll", tabindex: "0", role: "region", "aria-label": "Result rows" });
  const table = h("table", { class: "rows" });
  const thead = h("thead");
  const tbody = h("tbody");
  const pager = h("nav", { class: "pager", "aria-label": "Result pages" });
  table.append(thead, tbody);
  scroller.append(table);

  const headRow = h("tr");
  cols.forEach((c, i) => {
    const btn = h("button", { type: "button", class: "sort", title: c.type ? c.name + " (" + c.type + ")" : c.name,
      onclick: () => sortBy(i) }, c.name);
    const th = h("th", { scope: "col", "aria-sort": "none", class: isNumeric(c) ? "num" : "" }, btn);
    headRow.append(th);
  });
  thead.append(headRow);

  function isNumeric(c) {
    return ["integer", "decimal", "float"].includes(c.type);
  }

  function sortBy(i) {
    state.dir = state.sortCol === i ? -state.dir : 1;
    state.sortCol = i;
    state.order.sort((x, y) => state.dir * compare(rows[x][i], rows[y][i]) || x - y);
    [...headRow.children].forEach((th, j) => th.setAttribute("aria-sort", j === i ? (state.dir > 0 ? "ascending" : "descending") : "none"));
    state.page = 0;
    render();
  }

  function render() {
    const pages = Math.max(1, Math.ceil(rows.length / PAGE_SIZE));
    const start = state.page * PAGE_SIZE;
    const frag = document.createDocumentFragment();
    for (const ri of state.order.slice(start, start + PAGE_SIZE)) {
      const tr = h("tr");
      const row = rows[ri];
      for (let ci = 0; ci < cols.length; ci++) {
        const v = row[ci];
        tr.append(h("td", { class: (isNumeric(cols[ci]) ? "num" : "") + (v === null ? " null" : "") }, v === null ? "NULL" : formatCell(v)));
      }
      frag.append(tr);
    }
    tbody.replaceChildren(frag);
    pager.replaceChildren();
    if (pages > 1) {
      pager.append(
        h("button", { type: "button", class: "ghost page-prev", disabled: state.page === 0, onclick: () => { state.page--; render(); } }, "‹ Previous"),
        h("span", { class: "page-info" }, `Page ${state.page + 1} of ${pages} · rows ${start + 1}–${Math.min(start + PAGE_SIZE, rows.length)} of ${rows.length}`),
        h("button", { type: "button", class: "ghost page-next", disabled: state.page >= pages - 1, onclick: () => { state.page++; render(); } }, "Next ›"),
      );
    }
  }
  render();

  const meta = h("p", { class: "result-meta" }, `${answer.row_count} row${answer.row_count === 1 ? "" : "s"} · ${cols.length} column${cols.length === 1 ? "" : "s"}`);
  if (answer.truncated) {
    meta.append(h("span", { class: "truncated", role: "note" }, ` · truncated: only the first ${answer.row_count} rows were read`));
  }
  wrap.append(meta, scroller, pager);
  return wrap;
}
