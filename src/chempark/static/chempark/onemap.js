// The one-map (一张图): the park's own layers drawn from the GeoJSON API, no internet needed.
// A tile basemap (e.g. 天地图) is added only when CHEMPARK_MAP_TILE_URL is configured.
(function () {
  "use strict";
  const el = document.getElementById("map");
  const t = JSON.parse(el.dataset.i18n);
  const map = L.map(el, { preferCanvas: false, zoomControl: true, attributionControl: !!el.dataset.tileUrl });
  window.chemparkMap = map;
  if (el.dataset.tileUrl) {
    L.tileLayer(el.dataset.tileUrl, { attribution: el.dataset.tileAttribution, maxZoom: 18 }).addTo(map);
  }
  const esc = (s) => String(s == null ? "" : s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
  const link = (p) => (p.url ? `<br><a href="${esc(p.url)}">${esc(t.detail)} ›</a>` : "");
  const areaColours = { production: "#ffa8a8", storage: "#ffd8a8", office: "#a5d8ff", public_road: "#ced4da", parking: "#d0bfff", other: "#e9ecef" };
  const searchIndex = [];

  const layers = {
    park: { style: { color: "#0b4f8a", weight: 3, fill: true, fillColor: "#dbe9f6", fillOpacity: 0.35, dashArray: "8 6" },
            popup: (p) => `<b>${esc(p.name)}</b>` },
    areas: { style: (f) => ({ color: "#868e96", weight: 1, fillColor: areaColours[f.properties.kind] || "#e9ecef", fillOpacity: 0.6 }),
             popup: (p) => `<b>${esc(p.name)}</b><br>${esc(p.kind_label)}${link(p)}` },
    targets: { style: { color: "#ae3ec9", weight: 2, fillColor: "#e599f7", fillOpacity: 0.5 },
               point: (ll) => L.circleMarker(ll, { radius: 7, color: "#862e9c", weight: 2, fillColor: "#ae3ec9", fillOpacity: 0.9 }),
               popup: (p) => `<b>${esc(p.name)}</b><br>${esc(p.kind_label)} · ${esc(t.population)} ${esc(p.population)}${link(p)}` },
    enterprises: { point: (ll, p) => L.circleMarker(ll, { radius: 8, color: "#fff", weight: 2, fillOpacity: 1,
                     fillColor: p.kind === "production" ? "#d9480f" : "#1c7ed6" }),
                   popup: (p) => `<b>${esc(p.name)}</b><br>${esc(p.kind_label)} · ${esc(p.status_label)}<br>${esc(p.uscc)}${link(p)}` },
    units: { point: (ll) => L.circleMarker(ll, { radius: 4, color: "#2b8a3e", weight: 1, fillColor: "#40c057", fillOpacity: 0.9 }),
             popup: (p) => `<b>${esc(p.name)}</b> (${esc(p.code)})<br>${esc(p.kind_label)} · ${esc(p.enterprise)}${link(p)}` },
  };
  const order = ["park", "areas", "targets", "units", "enterprises"];
  const overlays = {};
  const control = L.control.layers(null, null, { collapsed: false }).addTo(map);

  function build(name, data) {
    const cfg = layers[name];
    return L.geoJSON(data, {
      style: cfg.style,
      pointToLayer: (feature, ll) => (cfg.point ? cfg.point(ll, feature.properties) : L.marker(ll)),
      onEachFeature: (feature, layer) => {
        layer.bindPopup(cfg.popup(feature.properties));
        layer.bindTooltip(esc(feature.properties.name), { sticky: true });
        if (name !== "park") searchIndex.push({ name: feature.properties.name, layer: layer });
      },
    });
  }

  Promise.all(order.map((name) =>
    fetch(el.dataset.layersUrl + name, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then((r) => { if (!r.ok) throw new Error(name + " " + r.status); return r.json(); })
      .then((data) => [name, data])
  )).then((results) => {
    let bounds = null;
    for (const [name, data] of results) {
      const layer = build(name, data).addTo(map);
      overlays[name] = layer;
      control.addOverlay(layer, `${t[name]} (${data.features.length})`);
      if (data.features.length && (name === "park" || !bounds)) {
        const b = layer.getBounds();
        if (b.isValid()) bounds = name === "park" ? b : (bounds ? bounds.extend(b) : b);
      }
    }
    if (overlays.park && overlays.park.getBounds().isValid()) bounds = overlays.park.getBounds().pad(0.15);
    if (bounds) map.fitBounds(bounds); else map.setView([39.2, 118.2], 13);
    const list = document.getElementById("map-search-list");
    list.innerHTML = searchIndex.map((x) => `<option value="${esc(x.name)}">`).join("");
    el.dataset.loaded = "true";
  }).catch((err) => {
    el.dataset.loaded = "error";
    L.popup().setLatLng([39.2, 118.2]).setContent(esc(String(err))).openOn(map.setView([39.2, 118.2], 12));
  });

  document.getElementById("map-search").addEventListener("change", (ev) => {
    const hit = searchIndex.find((x) => x.name === ev.target.value) ||
      searchIndex.find((x) => x.name.includes(ev.target.value));
    if (!hit) return;
    const ll = hit.layer.getLatLng ? hit.layer.getLatLng() : hit.layer.getBounds().getCenter();
    map.setView(ll, Math.max(map.getZoom(), 16));
    hit.layer.openPopup(ll);
  });
})();
