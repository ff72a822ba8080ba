// A budget project's planned against actual cumulative spending over the year (万元). The data come
// with the page (json_script "spending-chart-data"), the series names from the box's data-* attributes.
(function () {
  "use strict";
  const box = document.getElementById("spending-chart");
  if (!box) return;
  const data = JSON.parse(document.getElementById("spending-chart-data").textContent);
  const colour = window.chempark.colour;
  const chart = echarts.init(box);
  chart.setOption({
    animation: false,
    tooltip: { trigger: "axis", renderMode: "richText" },
    legend: { top: 0, data: [box.dataset.planned, box.dataset.actual] },
    grid: { left: 60, right: 20, top: 56, bottom: 30 },
    xAxis: { type: "category", data: data.months },
    yAxis: { type: "value", name: box.dataset.unit, max: data.budget },
    series: [
      { name: box.dataset.planned, type: "line", data: data.planned, lineStyle: { type: "dashed" },
        itemStyle: { color: colour("--budget-planned") } },
      { name: box.dataset.actual, type: "line", data: data.actual, areaStyle: { opacity: 0.15 },
        itemStyle: { color: colour("--budget-actual") } },
    ],
  });
  window.addEventListener("resize", () => chart.resize());
})();
