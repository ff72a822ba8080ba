// The F-N curve of a QRA study on log-log axes (ECharts), with its criterion lines: the study's own
// fn_criterion, else the packaged lines (consequence/data/fn_criterion_lines.csv), dashed when
// unconfirmed. Data from the json_script "qra-fn-data"; colours from app.css tokens.
(function () {
  "use strict";
  const el = document.getElementById("qra-fn-chart");
  const data = document.getElementById("qra-fn-data");
  if (!el || !data || !window.echarts) return;
  const chart = JSON.parse(data.textContent);
  const colour = (token) => window.chempark.colour(token);
  // the F-N curve is a step function: F holds until the next N
  const steps = [];
  chart.points.forEach(([n, f], i) => {
    steps.push([n, f]);
    const next = chart.points[i + 1];
    if (next) steps.push([next[0], f]);
  });
  const series = [{
    name: el.dataset.labelCurve, type: "line", data: steps, showSymbol: false,
    lineStyle: { width: 2, color: colour("--brand") }, itemStyle: { color: colour("--brand") },
  }];
  for (const line of chart.lines) {
    const token = line.line === "intolerable" ? "--check-bad" : "--check-ok";
    series.push({
      name: line.name + (line.line === "intolerable" ? "" : " ·"), type: "line", data: line.points,
      showSymbol: false,
      lineStyle: { width: 1.5, color: colour(token), type: line.confidence === "confirmed" ? "solid" : "dashed" },
      itemStyle: { color: colour(token) },
    });
  }
  const plot = window.echarts.init(el);
  plot.setOption({
    animation: false,
    grid: { left: 70, right: 20, top: 40, bottom: 50 },
    legend: { top: 0 },
    tooltip: { trigger: "axis", valueFormatter: (v) => Number(v).toExponential(2) },
    xAxis: { type: "log", name: el.dataset.labelN, nameLocation: "middle", nameGap: 28, min: 1 },
    yAxis: { type: "log", name: el.dataset.labelF, axisLabel: { formatter: (v) => Number(v).toExponential(0) } },
    series: series,
  });
  window.addEventListener("resize", () => plot.resize());
  el.dataset.loaded = "true";
})();
