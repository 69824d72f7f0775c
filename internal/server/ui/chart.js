// chart.js draws the chart the server chose (answer.chart) with the
// vendored ECharts build. When the library is missing charts are skipped
// and the table stands alone. Every caption, axis and series name goes
// through label(), so no chart shows a raw column name.
import { h, formatCell } from "./dom.js";

let loading = null;
let warned = false;

function loadECharts() {
  if (window.echarts) return Promise.resolve(window.echarts);
  if (!loading) {
    loading = new Promise((resolve) => {
      const s = document.createElement("script");
      s.src = "vendor/echarts.min.js";
      s.onload = () => resolve(window.echarts || null);
      s.onerror = () => {
        if (!warned) console.warn("askdb: chart library not found (restore internal/server/ui/vendor or run scripts/ui.sh); showing tables only");
        warned = true;
        resolve(null);
      };
      document.head.append(s);
    });
  }
  return loading;
}

// words turns a column name into words: "average_salary" and
// "averageSalary" become "average salary" (as display.Label does in Go).
export function words(name) {
  return String(name)
    .replace(/[_-]+/g, " ")
    .replace(/(\p{Ll})(\p{Lu})/gu, (_, a, b) => a + " " + b.toLowerCase())
    .replace(/\s+/g, " ")
    .trim();
}

// label is words() with a capital first letter, for captions and axes.
export function label(name) {
  const w = words(name);
  return w.charAt(0).toUpperCase() + w.slice(1);
}

function list(names) {
  const w = names.map(words);
  return w.length < 2 ? w.join("") : w.slice(0, -1).join(", ") + " and " + w[w.length - 1];
}

// caption says what a chart shows in words, for every kind.
export function caption(spec) {
  const ys = spec.y || [];
  const capital = (s) => s.charAt(0).toUpperCase() + s.slice(1);
  switch (spec.kind) {
    case "number": return label(ys[0] || "");
    case "bar": case "line": return capital(list(ys)) + " by " + words(spec.x);
    case "scatter": return capital(words(ys[0])) + " against " + words(spec.x);
  }
  return spec.reason || "";
}

// Charts are redrawn on resize, since label layout depends on the width.
const charts = new Map();
window.addEventListener("resize", () => charts.forEach((draw, c) => { c.resize(); draw(); }));

export function chartFor(answer) {
  const spec = answer.chart;
  if (!spec || spec.kind === "none" || !answer.rows || answer.rows.length === 0) return null;
  if (spec.kind === "number") {
    const v = answer.rows[0][0];
    return h("figure", { class: "big-number", "data-chart": "number" },
      h("div", { class: "figure-value" }, typeof v === "number" ? v.toLocaleString("en-US") : formatCell(v)),
      h("figcaption", {}, caption(spec)));
  }
  const text = caption(spec);
  const box = h("figure", { class: "chart", "data-chart": spec.kind, "aria-label": `${spec.kind} chart: ${text}` });
  const canvas = h("div", { class: "chart-canvas" });
  box.append(canvas, h("figcaption", { class: "chart-caption" }, text));
  loadECharts().then((echarts) => {
    if (!echarts) { box.remove(); return; }
    requestAnimationFrame(() => {
      // SVG keeps labels as text (crisp, selectable); very many points
      // draw faster on a canvas.
      const renderer = answer.rows.length > 2000 ? "canvas" : "svg";
      const c = echarts.init(canvas, null, { renderer });
      let current;
      const draw = () => {
        // The stylesheet's height (before any set for horizontal bars).
        const set = canvas.style.height;
        canvas.style.height = "";
        const natural = canvas.clientHeight || 320;
        canvas.style.height = set;
        current = option(answer, spec, canvas.clientWidth || 600, natural);
        box.dataset.orient = current.orient;
        const height = current.height ? current.height + "px" : "";
        if (canvas.style.height !== height) {
          canvas.style.height = height;
          c.resize();
        }
        c.setOption(current.echarts, { notMerge: true });
      };
      draw();
      if (spec.kind === "bar") labelTooltips(c, () => current.categories);
      charts.set(c, draw);
      box.dataset.renderer = renderer;
      box.dataset.rendered = "true";
    });
  });
  return box;
}

// labelTooltips shows a bar's tooltip when its (maybe truncated) category
// label is hovered, so the full name is always one hover away.
function labelTooltips(c, categories) {
  const show = (p) => {
    if (p.componentType !== "xAxis" && p.componentType !== "yAxis") return;
    const i = categories().indexOf(p.value);
    if (i >= 0) c.dispatchAction({ type: "showTip", seriesIndex: 0, dataIndex: i });
  };
  c.on("mouseover", show);
  c.on("mouseout", () => c.dispatchAction({ type: "hideTip" }));
}

function column(answer, name) {
  const i = answer.columns.findIndex((c) => c.name === name);
  return answer.rows.map((r) => r[i]);
}

// compact writes axis values short: 150000 as 150K, so scales fit a phone.
const compactFormat = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 });
function compact(v) {
  return Math.abs(v) >= 10000 ? compactFormat.format(v) : v.toLocaleString("en-US");
}

const labelFont = "12px sans-serif";
let measurer;
function textWidth(s) {
  measurer = measurer || document.createElement("canvas").getContext("2d");
  measurer.font = labelFont;
  return measurer.measureText(s).width;
}

// slantMax is the longest label (px) drawn at 45° under a bar; longer
// labels would need truncating there, so they get horizontal bars instead.
const slantMax = 120;

// barLayout decides how every category label fits: flat when they all fit
// under their bars, at 45° when each bar has room for a slanted line and
// the labels are short, and otherwise as horizontal bars, one row per
// category, truncated only past 45% of the width (the tooltip has the
// whole name). No label is ever dropped.
export function barLayout(labels, width, height) {
  const plot = Math.max(120, width - 90);
  const slot = plot / Math.max(1, labels.length);
  const widest = Math.max(0, ...labels.map(textWidth));
  if (widest <= slot - 8) return { orient: "vertical", rotate: 0, labelWidth: Math.floor(slot - 4) };
  // Slanted labels must leave most of the height to the bars.
  if (slot >= 18 && widest <= slantMax && widest * Math.SQRT1_2 <= height / 4) return { orient: "vertical", rotate: 45, labelWidth: Math.ceil(widest) + 8 };
  return { orient: "horizontal", labelWidth: Math.min(Math.ceil(widest) + 8, Math.floor(width * 0.45)), height: Math.max(240, labels.length * 22 + 60) };
}

function option(answer, spec, width, height) {
  const base = {
    animation: false,
    grid: { left: 16, right: 24, top: 40, bottom: 28, containLabel: true },
    tooltip: { trigger: spec.kind === "scatter" ? "item" : "axis", renderMode: "richText", confine: true },
    legend: spec.y.length > 1 ? { top: 0 } : undefined,
    color: ["#2563eb", "#16a34a", "#d97706", "#9333ea", "#dc2626"],
  };
  const axisName = (name, loc = "end") => ({ name: label(name), nameLocation: loc, nameTextStyle: { color: "#6b7280", align: loc === "end" ? "left" : "center" } });
  if (spec.kind === "scatter") {
    const xs = column(answer, spec.x), ys = column(answer, spec.y[0]);
    return { orient: "vertical", categories: [], echarts: { ...base,
      xAxis: { type: "value", scale: true, axisLabel: { formatter: compact, hideOverlap: true }, ...axisName(spec.x, "middle"), nameGap: 28 },
      yAxis: { type: "value", scale: true, axisLabel: { formatter: compact }, ...axisName(spec.y[0]) },
      series: [{ type: "scatter", name: label(spec.y[0]), symbolSize: 6, data: xs.map((x, i) => [x, ys[i]]) }] } };
  }
  const cats = column(answer, spec.x).map((v) => (v === null ? "(null)" : String(v)));
  const valueAxis = (name) => ({ type: "value", axisLabel: { formatter: compact, hideOverlap: true }, ...(name ? axisName(name) : {}) });
  const values = spec.y.length === 2 ? spec.y.map(valueAxis) : valueAxis(spec.y.length === 1 ? spec.y[0] : "");
  const series = spec.y.map((name, i) => ({ name: label(name), type: spec.kind, data: column(answer, name), showSymbol: cats.length < 60,
    yAxisIndex: spec.y.length === 2 ? i : 0 }));
  let category = { type: "category", data: cats, ...axisName(spec.x, "middle"), nameGap: 28 };
  let layout = { orient: "vertical" };
  if (spec.kind === "bar") {
    layout = barLayout(cats, width, height);
    const axisLabel = { interval: 0, hideOverlap: false, rotate: layout.rotate || 0, width: layout.labelWidth, overflow: "truncate", ellipsis: "…", fontSize: 12 };
    category = { ...category, axisLabel, triggerEvent: true };
    if (layout.rotate) category.nameGap = Math.ceil(layout.labelWidth * Math.SQRT1_2) + 24;
    series.forEach((s) => { s.barMaxWidth = 48; });
  }
  const opt = { ...base, series };
  if (layout.orient === "horizontal") {
    // Categories down the side, first at the top; the values run across.
    Object.assign(opt, {
      // The caption names the categories; their axis needs no title.
      yAxis: { ...category, inverse: true, name: "" },
      // The scale sits on top, where it is read, not below a tall chart.
      xAxis: (Array.isArray(values) ? values : [values]).map((v, i) => ({ ...v, position: i ? "bottom" : "top", nameLocation: "middle", nameGap: 26,
        nameTextStyle: { color: "#6b7280" } })),
      tooltip: { ...base.tooltip, axisPointer: { type: "shadow" } },
      grid: { ...base.grid, right: 40 }, // room for the last value label
    });
    series.forEach((s) => { s.xAxisIndex = s.yAxisIndex; delete s.yAxisIndex; });
  } else {
    Object.assign(opt, { xAxis: category, yAxis: values });
  }
  return { orient: layout.orient, height: layout.height, categories: cats, echarts: opt };
}
