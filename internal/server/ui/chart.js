// chart.js draws the chart the server chose (answer.chart) with the
// vendored ECharts build. When the library is missing (scripts/ui.sh has
// not run) charts are skipped and the table stands alone.
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
        if (!warned) console.warn("askdb: chart library not found (run scripts/ui.sh); showing tables only");
        warned = true;
        resolve(null);
      };
      document.head.append(s);
    });
  }
  return loading;
}

const charts = new Set();
window.addEventListener("resize", () => charts.forEach((c) => c.resize()));

export function chartFor(answer) {
  const spec = answer.chart;
  if (!spec || spec.kind === "none" || !answer.rows || answer.rows.length === 0) return null;
  if (spec.kind === "number") {
    const v = answer.rows[0][0];
    return h("figure", { class: "big-number", "data-chart": "number" },
      h("div", { class: "figure-value" }, typeof v === "number" ? v.toLocaleString("en-US") : formatCell(v)),
      h("figcaption", {}, spec.y[0]));
  }
  const box = h("figure", { class: "chart", "data-chart": spec.kind, "aria-label": `${spec.kind} chart: ${spec.reason}` });
  const canvas = h("div", { class: "chart-canvas" });
  box.append(canvas, h("figcaption", { class: "chart-reason" }, spec.reason));
  loadECharts().then((echarts) => {
    if (!echarts) { box.remove(); return; }
    requestAnimationFrame(() => {
      const c = echarts.init(canvas, null, { renderer: "canvas" });
      c.setOption(option(answer, spec));
      charts.add(c);
      box.dataset.rendered = "true";
    });
  });
  return box;
}

function column(answer, name) {
  const i = answer.columns.findIndex((c) => c.name === name);
  return answer.rows.map((r) => r[i]);
}

function option(answer, spec) {
  const base = {
    animation: false,
    grid: { left: 56, right: 16, top: 32, bottom: 48, containLabel: true },
    tooltip: { trigger: spec.kind === "scatter" ? "item" : "axis", renderMode: "richText" },
    legend: spec.y.length > 1 ? { top: 0 } : undefined,
    color: ["#2563eb", "#16a34a", "#d97706", "#9333ea", "#dc2626"],
  };
  if (spec.kind === "scatter") {
    const xs = column(answer, spec.x), ys = column(answer, spec.y[0]);
    return { ...base, xAxis: { type: "value", name: spec.x, scale: true }, yAxis: { type: "value", name: spec.y[0], scale: true },
      series: [{ type: "scatter", symbolSize: 6, data: xs.map((x, i) => [x, ys[i]]) }] };
  }
  const xs = column(answer, spec.x).map((v) => (v === null ? "(null)" : String(v)));
  return {
    ...base,
    xAxis: { type: "category", data: xs, name: spec.x, axisLabel: { hideOverlap: true } },
    // Two measures of different scales each get their own axis.
    yAxis: spec.y.length === 2 ? [{ type: "value", name: spec.y[0] }, { type: "value", name: spec.y[1] }] : { type: "value" },
    series: spec.y.map((name, i) => ({ name, type: spec.kind, data: column(answer, name), showSymbol: xs.length < 60,
      yAxisIndex: spec.y.length === 2 ? i : 0 })),
  };
}
