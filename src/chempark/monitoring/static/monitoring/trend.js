// A monitoring point's trend: minute mean with max and min, the alarm limits as dashed lines and the
// bands beyond them shaded (HH/LL red, H/L orange), refreshed every 30 s. The first data come with the
// page (json_script "trend-data"), the series names from the chart's data-* attributes.
(function () {
  "use strict";
  const box = document.getElementById("trend");
  const names = [box.dataset.mean, box.dataset.max, box.dataset.min];
  const chart = echarts.init(box);
  const colour = window.chempark.colour;
  function band(from, to, token) {
    return [{ yAxis: from, itemStyle: { color: colour(token), opacity: 0.15 } }, { yAxis: to }];
  }
  function draw(d) {
    const L = d.limits, areas = [], lines = [];
    if (L.hh !== null) areas.push(band(L.hh, L.range_max, "--red"));
    if (L.h !== null) areas.push(band(L.h, L.hh !== null ? L.hh : L.range_max, "--orange"));
    if (L.l !== null) areas.push(band(L.ll !== null ? L.ll : L.range_min, L.l, "--orange"));
    if (L.ll !== null) areas.push(band(L.range_min, L.ll, "--red"));
    ["ll", "l", "h", "hh"].forEach((k) => { if (L[k] !== null) lines.push({ yAxis: L[k], name: k.toUpperCase() }); });
    const values = d.series.map((p) => p.max).concat(d.series.map((p) => p.min));
    ["l", "h"].forEach((k) => { if (L[k] !== null) values.push(L[k]); });
    const lo = Math.min.apply(null, values.length ? values : [L.range_min]);
    const hi = Math.max.apply(null, values.length ? values : [L.range_max]);
    const pad = (hi - lo) * 0.1 || 1;
    const line = (name, key, extra) => Object.assign({
      name: name, type: "line", showSymbol: false, data: d.series.map((p) => [p.minute_ms, p[key]]),
    }, extra);
    chart.setOption({
      animation: false,
      // richText: the tooltip is drawn on the canvas; the HTML tooltip would carry inline styles
      tooltip: { trigger: "axis", renderMode: "richText" }, legend: { data: names },
      xAxis: { type: "time" },
      yAxis: { type: "value", name: d.unit_of_measure, min: Math.max(L.range_min, Math.floor(lo - pad)),
               max: Math.min(L.range_max, Math.ceil(hi + pad)) },
      series: [
        line(names[0], "mean", { markArea: { silent: true, data: areas },
                                 markLine: { symbol: "none", data: lines, lineStyle: { type: "dashed" } } }),
        line(names[1], "max", { lineStyle: { opacity: 0.4 } }),
        line(names[2], "min", { lineStyle: { opacity: 0.4 } }),
      ],
    });
    box.dataset.loaded = "true";
  }
  draw(JSON.parse(document.getElementById("trend-data").textContent));
  setInterval(() => { fetch(box.dataset.url, { headers: { "X-Background": "1" } }).then((r) => r.json()).then(draw); }, 30000);
})();
