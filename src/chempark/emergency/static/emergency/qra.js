// QRA study results: the park, the protective targets and the individual-risk contours.
(function () {
  "use strict";
  const el = document.getElementById("qra-map");
  const map = L.map(el, { attributionControl: !!el.dataset.tileUrl });
  if (el.dataset.tileUrl) L.tileLayer(el.dataset.tileUrl, { attribution: el.dataset.tileAttribution, maxZoom: 18 }).addTo(map);
  const colours = { "1e-05": "#c92a2a", "3e-06": "#e8590c", "1e-06": "#f59f00", "3e-07": "#2b8a3e" };
  const key = (v) => Number(v).toExponential(0).replace("e-", "e-0").replace(/e-0(\d\d)/, "e-$1");
  const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
  const get = (url) => fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } }).then((r) => r.json());
  Promise.all([get("/api/v1/map/layers/park"), get("/api/v1/map/layers/targets"), get(el.dataset.study)]).then(([park, targets, study]) => {
    const boundary = L.geoJSON(park, { style: { color: "#0b4f8a", weight: 2, dashArray: "8 6", fillOpacity: 0.1 } }).addTo(map);
    const checks = {};
    for (const c of study.results.target_checks) checks[c.name] = c;
    L.geoJSON(targets, {
      pointToLayer: (f, ll) => L.circleMarker(ll, { radius: 6 }),
      style: (f) => { const ok = (checks[f.properties.name] || {}).acceptable !== false;
        return { color: ok ? "#2f9e44" : "#e03131", fillColor: ok ? "#51cf66" : "#ff6b6b", fillOpacity: 0.6, weight: 2 }; },
      onEachFeature: (f, layer) => { const c = checks[f.properties.name];
        layer.bindTooltip(esc(f.properties.name) + (c ? ` · ${c.individual_risk_per_year}/a` : "")); },
    }).addTo(map);
    const lines = L.geoJSON(study.results.contours, {
      style: (f) => ({ color: colours[key(f.properties.level_per_year)] || "#495057", weight: 2 }),
      onEachFeature: (f, layer) => layer.bindTooltip(esc(f.properties.label)),
    }).addTo(map);
    const b = lines.getLayers().length ? lines.getBounds().extend(boundary.getBounds()) : boundary.getBounds();
    map.fitBounds(b.pad(0.1));
    el.dataset.loaded = "true";
  }).catch(() => { map.setView([39.2, 118.2], 12); el.dataset.loaded = "error"; });
})();
