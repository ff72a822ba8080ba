// The command-centre screen (大屏): draws /api/v1/command/screen into the tiles, the map, the
// warning levels, the risk ranking, the 24-hour trend and the alarm list; fetches it again a second
// after any live event (alarm, escalation, point, warning) and every minute for the slower figures.
// Its requests count as use (no X-Background): a wall screen left open stays signed in while shown.
(function () {
  "use strict";
  const url = document.body.dataset.screenUrl;
  const labels = JSON.parse(document.getElementById("screen-labels").textContent);
  const esc = window.ChemparkMap.esc;
  const colour = window.chempark.colour;
  const $ = (sel) => document.querySelector(sel);
  const handle = window.ChemparkMap.create(document.getElementById("screen-map"), { pad: 0.05 });
  const alarmLayer = L.layerGroup().addTo(handle.map);
  const trend = window.echarts.init(document.getElementById("screen-trend"));
  let pending = null;

  function tiles(data) {
    $("[data-testid=screen-tiles]").innerHTML = data.tiles.map((tile) =>
      `<div class="screen-tile" data-tile="${esc(tile.name)}"><h2>${esc(tile.title)}</h2>` +
      tile.figures.map((f) =>
        `<div class="figure ${f.tone ? "tone-" + esc(f.tone) : ""}"><span class="label">${esc(f.label)}</span>` +
        `<span class="value">${esc(f.value)}<small>${esc(f.unit)}</small></span></div>`).join("") +
      "</div>").join("");
  }

  function levels(data) {
    $("[data-testid=screen-levels]").innerHTML = data.warning_levels.map((l) =>
      `<li class="level-${esc(l.level)}"><i class="swatch"></i>${esc(l.label)}<b>${esc(l.count)}</b></li>`).join("");
  }

  function ranking(data) {
    $("[data-testid=screen-ranking]").innerHTML = data.ranking.map((r) =>
      `<li><span class="name">${esc(r.name)}</span><span class="bar"><i data-width="${esc(r.index)}"></i></span>` +
      `<b>${esc(r.index.toFixed(1))}</b><small>${esc(labels.inherent)} ${esc(r.families.inherent)} · ` +
      `${esc(labels.monitoring)} ${esc(r.families.monitoring)} · ${esc(labels.management)} ${esc(r.families.management)}</small></li>`).join("");
    // Widths through the CSSOM: a style attribute would need 'unsafe-inline'.
    document.querySelectorAll(".screen-ranking .bar i").forEach((bar) => { bar.style.width = bar.dataset.width + "%"; });
  }

  function alarms(data) {
    const list = $("[data-testid=screen-alarms]");
    list.innerHTML = data.alarms.length ? data.alarms.slice(0, 12).map((a) =>
      `<li class="severity-${esc(a.severity)}${a.unacked ? " unacked" : ""}"><time>${esc(a.raised_at)}</time>` +
      `<span class="badge">${esc(a.severity_label)}</span>${esc(a.enterprise)} · ${esc(a.point)} · ${esc(a.type)}</li>`).join("")
      : `<li class="quiet">${esc(labels.no_alarms)}</li>`;
    // only whole entries: the box's last one was drawn cut through the middle
    while (list.children.length > 1 && list.scrollHeight > list.clientHeight + 1) list.lastElementChild.remove();
    alarmLayer.clearLayers();
    data.alarms.filter((a) => a.lon !== null && a.lat !== null).forEach((a) => {
      L.circleMarker([a.lat, a.lon], {
        radius: a.unacked ? 11 : 8, color: colour("--screen-ink"), weight: 2,
        fillColor: colour("--severity-" + a.severity), fillOpacity: 0.9,
        className: a.unacked ? "screen-pulse" : "",
      }).bindTooltip(esc(`${a.enterprise} · ${a.point} · ${a.severity_label}`)).addTo(alarmLayer);
    });
  }

  function chart(data) {
    trend.setOption({
      grid: { left: 40, right: 16, top: 24, bottom: 28 },
      tooltip: { trigger: "axis", renderMode: "richText" },
      xAxis: { type: "category", data: data.trend.map((t) => t.hour), axisLabel: { color: colour("--screen-muted") } },
      // the counts' unit over the axis: bare 0–10 did not say what was counted
      yAxis: { type: "value", minInterval: 1, name: labels.alarms_unit, nameTextStyle: { color: colour("--screen-muted") },
               axisLabel: { color: colour("--screen-muted") },
               splitLine: { lineStyle: { color: colour("--screen-line") } } },
      series: [{ name: labels.alarms, type: "bar", data: data.trend.map((t) => t.count),
                 itemStyle: { color: colour("--screen-accent") } }],
    });
  }

  function render(data) {
    tiles(data); levels(data); ranking(data); alarms(data); chart(data);
    $("[data-testid=screen-updated]").textContent = `${labels.updated} ${data.generated_at}`;
    document.body.dataset.loaded = "true";
  }

  function refresh() {
    pending = null;
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then((r) => { if (!r.ok) throw new Error(String(r.status)); return r.json(); })
      .then(render, () => { $("[data-testid=screen-updated]").textContent = labels.error; });
  }

  function soon() { if (!pending) pending = setTimeout(refresh, 1000); }

  function showLive() {
    const state = document.documentElement.dataset.live === "open" ? "open" : "reconnecting";
    const el = $("[data-testid=screen-live]");
    el.dataset.state = state;
    el.textContent = labels[state];
  }

  ["alarm", "escalated", "point", "warning"].forEach((kind) => window.chemparkLive.on(kind, soon));
  new MutationObserver(showLive).observe(document.documentElement, { attributes: true, attributeFilter: ["data-live"] });
  window.addEventListener("resize", () => trend.resize());
  setInterval(refresh, 60000);
  refresh();
})();
