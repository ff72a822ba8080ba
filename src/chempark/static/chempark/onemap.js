// The one-map (一张图): every layer the server registers, drawn by the shared map (map.js), plus what
// is the one-map's own: the search box and the hooks live updates and tests use.
(function () {
  "use strict";
  const el = document.getElementById("map");
  const handle = ChemparkMap.create(el, {
    control: true,
    onLoad: (h) => {
      document.getElementById("map-search-list").replaceChildren(...named().map((x) => new Option("", x.name)));
      focus(h.map);
    },
  });
  window.chemparkMap = handle.map;
  window.chemparkLayers = handle.layers;
  window.chemparkReloadLayer = handle.reload;

  // Every named feature except the park itself, from the layers as they are now (live reloads included).
  function named() {
    const found = [];
    for (const [name, group] of Object.entries(handle.layers)) {
      if (name === "park") continue;
      group.eachLayer((layer) => {
        const p = layer.feature && layer.feature.properties;
        if (p && p.name) found.push({ name: String(p.name), layer: layer });
      });
    }
    return found;
  }

  // ?focus=lon,lat (from an alarm, for one): centre there, closer in, and mark the place.
  function focus(map) {
    const raw = new URLSearchParams(window.location.search).get("focus");
    const [lon, lat] = (raw || "").split(",").map(Number);
    if (!raw || !Number.isFinite(lon) || !Number.isFinite(lat) || Math.abs(lon) > 180 || Math.abs(lat) > 90) return;
    L.circleMarker([lat, lon], { radius: 14, color: ChemparkMap.colour("--severity-critical"), weight: 3, fill: false, className: "focus-marker" })
      .addTo(map);
    map.setView([lat, lon], 17, { animate: false });
    el.dataset.focus = lon + "," + lat;
  }

  document.getElementById("map-search").addEventListener("change", (ev) => {
    const q = ev.target.value;
    const all = named();
    const hit = all.find((x) => x.name === q) || all.find((x) => x.name.includes(q));
    if (!hit) return;
    const ll = hit.layer.getLatLng ? hit.layer.getLatLng() : hit.layer.getBounds().getCenter();
    handle.map.setView(ll, Math.max(handle.map.getZoom(), 16));
    hit.layer.openPopup(ll);
  });
})();
