// The one-map (一张图): every layer the server registers, drawn from the GeoJSON API with no
// internet needed. A tile basemap (e.g. 天地图) is added only when CHEMPARK_MAP_TILE_URL is set.
// Layers, styles and popups come from the server; this script knows no module.
(function () {
  "use strict";
  const el = document.getElementById("map");
  const config = JSON.parse(document.getElementById("map-layers").textContent);
  const map = L.map(el, { zoomControl: true, attributionControl: !!el.dataset.tileUrl });
  window.chemparkMap = map;
  if (el.dataset.tileUrl) {
    L.tileLayer(el.dataset.tileUrl, { attribution: el.dataset.tileAttribution, maxZoom: 18 }).addTo(map);
  }
  const searchIndex = [];
  const control = L.control.layers(null, null, { collapsed: false }).addTo(map);
  const overlays = {};
  window.chemparkLayers = overlays;

  function styleFor(layerStyle, feature) {
    const p = feature.properties || {};
    return Object.assign({}, layerStyle, p.color ? { color: p.color } : {}, p.fillColor ? { fillColor: p.fillColor } : {});
  }

  function build(cfg, data) {
    return L.geoJSON(data, {
      style: (feature) => styleFor(cfg.style, feature),
      pointToLayer: (feature, ll) => (cfg.style.point === "circle"
        ? L.circleMarker(ll, styleFor(cfg.style, feature)) : L.marker(ll)),
      onEachFeature: (feature, layer) => {
        const p = feature.properties || {};
        if (p.popup) layer.bindPopup(p.popup);
        if (p.name) layer.bindTooltip(String(p.name).replace(/[<>&]/g, ""), { sticky: true });
        if (p.name && cfg.name !== "park") searchIndex.push({ name: String(p.name), layer: layer });
      },
    });
  }

  // Reload one layer in place (used by live updates from other modules).
  window.chemparkReloadLayer = function (name) {
    const cfg = config.find((c) => c.name === name);
    if (!cfg) return Promise.resolve();
    return fetch(el.dataset.layersUrl + name, { credentials: "same-origin", headers: { "X-Background": "1" } }).then((r) => r.json()).then((data) => {
      const old = overlays[name];
      const fresh = build(cfg, data);
      if (old && map.hasLayer(old)) { map.removeLayer(old); fresh.addTo(map); }
      if (old) control.removeLayer(old);
      control.addOverlay(fresh, `${cfg.label} (${data.features.length})`);
      overlays[name] = fresh;
    });
  };

  Promise.all(config.map((cfg) =>
    fetch(el.dataset.layersUrl + cfg.name, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then((r) => { if (!r.ok) throw new Error(cfg.name + " " + r.status); return r.json(); })
      .then((data) => [cfg, data])
  )).then((results) => {
    let bounds = null;
    for (const [cfg, data] of results) {
      const layer = build(cfg, data);
      if (cfg.visible) layer.addTo(map);
      overlays[cfg.name] = layer;
      control.addOverlay(layer, `${cfg.label} (${data.features.length})`);
      const b = data.features.length ? layer.getBounds() : null;
      if (b && b.isValid()) bounds = cfg.name === "park" ? b.pad(0.15) : (bounds || b);
    }
    if (bounds) map.fitBounds(bounds); else map.setView([39.2, 118.2], 13);
    document.getElementById("map-search-list").innerHTML =
      searchIndex.map((x) => `<option value="${x.name.replace(/"/g, "&quot;")}">`).join("");
    el.dataset.loaded = "true";
  }).catch((err) => {
    el.dataset.loaded = "error";
    map.setView([39.2, 118.2], 12);
    L.popup().setLatLng([39.2, 118.2]).setContent(String(err).replace(/[<>&]/g, "")).openOn(map);
  });

  document.getElementById("map-search").addEventListener("change", (ev) => {
    const q = ev.target.value;
    const hit = searchIndex.find((x) => x.name === q) || searchIndex.find((x) => x.name.includes(q));
    if (!hit) return;
    const ll = hit.layer.getLatLng ? hit.layer.getLatLng() : hit.layer.getBounds().getCenter();
    map.setView(ll, Math.max(map.getZoom(), 16));
    hit.layer.openPopup(ll);
  });
})();
