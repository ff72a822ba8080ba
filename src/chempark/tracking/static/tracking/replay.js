// Track replay: the chosen vehicle's fixes over the time range, drawn as a line on the shared map,
// a marker moved by the slider or by play/pause at a chosen speed (times the real time), and the
// violations of the range as markers.
(function () {
  "use strict";
  const el = document.getElementById("replay-map");
  const data = JSON.parse(document.getElementById("replay-track").textContent);
  const points = data.points;
  const slider = document.getElementById("replay-slider");
  const info = document.getElementById("replay-info");
  const play = document.getElementById("replay-play");
  const speed = document.getElementById("replay-speed");
  const colour = (token) => ChemparkMap.colour(token);
  const handle = ChemparkMap.create(el, { onLoad: draw });
  let marker = null;
  let timer = null;

  function draw(h) {
    if (!points.length) {
      info.textContent = info.dataset.empty;
      play.disabled = true;
      return;
    }
    const line = L.polyline(points.map((p) => [p.lat, p.lon]), { color: colour("--track-line"), weight: 3 }).addTo(h.map);
    for (const v of data.violations) {
      L.circleMarker([v.lat, v.lon], { radius: 7, color: colour("--violation"), fillOpacity: 0.7 })
        .bindTooltip(ChemparkMap.esc(v.kind)).addTo(h.map);
    }
    marker = L.circleMarker([points[0].lat, points[0].lon], { radius: 8, color: colour("--vehicle-outline"),
      fillColor: colour("--vehicle-moving"), fillOpacity: 1, weight: 3 }).addTo(h.map);
    h.map.fitBounds(line.getBounds().pad(0.2));
    slider.max = String(points.length - 1);
    show(0);
  }

  function show(index) {
    const p = points[index];
    marker.setLatLng([p.lat, p.lon]);
    slider.value = String(index);
    el.dataset.index = String(index);
    const when = new Date(p.t).toLocaleString("zh-CN", { hour12: false });
    info.textContent = `${when} · ${p.v.toFixed(0)} km/h · ${p.h}°`;
  }

  function stop() {
    if (timer) clearTimeout(timer);
    timer = null;
    play.textContent = play.dataset.play;
  }

  function step() {
    const i = Number(slider.value);
    if (i >= points.length - 1) { stop(); return; }
    show(i + 1);
    const wait = (points[i + 1].t - points[i].t) / Number(speed.value);
    timer = setTimeout(step, Math.min(Math.max(wait, 30), 2000));
  }

  play.addEventListener("click", () => {
    if (timer) { stop(); return; }
    if (Number(slider.value) >= points.length - 1) show(0);
    play.textContent = play.dataset.pause;
    step();
  });
  slider.addEventListener("input", () => { stop(); show(Number(slider.value)); });
  window.chemparkReplay = handle;
})();
