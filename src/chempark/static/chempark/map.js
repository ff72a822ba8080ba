// The platform's Leaflet map, shared by the one-map, 事故模拟 and the QRA study page.
//
// Offline first: the park's own GeoJSON layers (/api/v1/map/layers/<name>, listed with their styles
// in the json_script named by the map element's data-layer-config); a tile basemap only when
// CHEMPARK_MAP_TIANDITU_KEY or CHEMPARK_MAP_TILE_URL is set (data-tile-url: URL templates, space-separated;
// data-tile-attribution). Styles and popups come from the
// server (popups escaped there); colours are tokens of app.css, resolved here; the view is fitted to
// the park. When everything is drawn the element gets data-loaded="true" ("error" if a layer failed).
//
// Located layers (config "viewport": true — points, units, enterprises) are asked for the map's view
// (?bbox=west,south,east,north&zoom=z) once the map is fitted, and again after each move while they
// are switched on; zoomed out the server answers with clusters (properties.cluster = how many), drawn
// as numbered discs that zoom in when clicked.
//
// ChemparkMap.create(element, options) → {map, layers, reload(name), loaded}; options, all optional:
//   control   a layers control listing each layer with its number of features
//   pad       margin around the park when fitting (fraction of its size; 0.15)
//   popups    false: no popups (a popup's click would not reach the map, where a page picks a point)
//   layers    {name: {style(feature) → path options, tooltip(feature) → text}}: a page's own look of a layer
//   onFeature(cfg, feature, layer)  for each feature drawn
//   onLoad(handle)  after the layers are drawn and the view fitted, before data-loaded is set
(function () {
  "use strict";
  const FALLBACK_CENTRE = [39.2, 118.2];
  const colour = (value) => window.chempark.colour(value);
  // Leaflet's own words are English ("Marker", "Layers", "Close popup", its attribution's title);
  // every map of the platform is made here, so they are said in Chinese once, here.
  L.Marker.mergeOptions({ alt: "地图标记" });
  L.Control.Attribution.mergeOptions({ prefix: '<a href="https://leafletjs.com" title="开源交互式地图库">Leaflet</a>' });
  function chinesePopupClose(event) {
    const button = event.popup.getElement() && event.popup.getElement().querySelector(".leaflet-popup-close-button");
    if (button) { button.setAttribute("aria-label", "关闭"); button.title = "关闭"; }
  }
  const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json", "X-Background": "1" } }).then((r) => {
      if (!r.ok) throw new Error(url + " " + r.status);
      return r.json();
    });
  }

  function viewQuery(map) {
    const b = map.getBounds();
    const clamp = (v, lim) => Math.max(-lim, Math.min(lim, v));
    const box = [clamp(b.getWest(), 180), clamp(b.getSouth(), 90), clamp(b.getEast(), 180), clamp(b.getNorth(), 90)];
    return "?bbox=" + box.map((v) => v.toFixed(6)).join(",") + "&zoom=" + Math.round(map.getZoom());
  }

  // A cluster of the server: a disc with its count, coloured like its most urgent member.
  function clusterMarker(map, feature, ll) {
    const p = feature.properties;
    const size = Math.round(26 + 6 * Math.log10(Math.max(1, p.cluster)));
    const marker = L.marker(ll, {
      icon: L.divIcon({ className: "map-cluster", html: esc(p.cluster), iconSize: [size, size] }),
      keyboard: false,
    });
    marker.on("add", () => {
      const element = marker.getElement();
      if (element) element.style.background = colour(p.fillColor || "--map-unit-fill");
    });
    marker.on("click", () => map.setView(ll, Math.min(map.getZoom() + 2, 18)));
    return marker;
  }

  // Path options with every colour token replaced by its value.
  function resolve(style) {
    const out = {};
    for (const [key, value] of Object.entries(style)) out[key] = colour(value);
    return out;
  }

  function create(el, options) {
    const opts = options || {};
    const own = opts.layers || {};
    const tileUrl = el.dataset.tileUrl;
    const map = L.map(el, { attributionControl: !!tileUrl, zoomControl: false });
    // Leaflet's own buttons are titled in English ("Zoom in"); the platform's users read Chinese.
    L.control.zoom({ zoomInTitle: "放大", zoomOutTitle: "缩小" }).addTo(map);
    // several URLs (space-separated) are drawn bottom up: 天地图's vector map, then its annotation
    if (tileUrl) for (const url of tileUrl.split(" ").filter(Boolean)) L.tileLayer(url, { attribution: el.dataset.tileAttribution, maxZoom: 18 }).addTo(map);
    const config = JSON.parse(document.getElementById(el.dataset.layerConfig).textContent);
    // On a phone the layer list folds behind its button: open, it would cover half the map.
    const phone = window.matchMedia("(max-width: 760px)").matches;
    const control = opts.control ? L.control.layers(null, null, { collapsed: phone }).addTo(map) : null;
    if (control) {
      const toggle = control.getContainer().querySelector(".leaflet-control-layers-toggle");
      if (toggle) { toggle.title = "图层"; toggle.setAttribute("aria-label", "图层"); }
    }
    map.on("popupopen", chinesePopupClose);
    const layers = {};

    function build(cfg, data) {
      const page = own[cfg.name] || {};
      const styleOf = (feature) => {
        const p = feature.properties || {};
        return resolve(Object.assign({}, cfg.style, p.color ? { color: p.color } : {},
          p.fillColor ? { fillColor: p.fillColor } : {}, page.style ? page.style(feature) : {}));
      };
      return L.geoJSON(data, {
        style: styleOf,
        pointToLayer: (feature, ll) => {
          if (feature.properties && feature.properties.cluster) return clusterMarker(map, feature, ll);
          return cfg.style.point === "circle" ? L.circleMarker(ll, styleOf(feature)) : L.marker(ll);
        },
        onEachFeature: (feature, layer) => {
          const p = feature.properties || {};
          if (p.popup && opts.popups !== false && !p.cluster) layer.bindPopup(p.popup);
          const tip = page.tooltip ? page.tooltip(feature) : p.name;
          if (tip) layer.bindTooltip(esc(tip), { sticky: true });
          if (opts.onFeature) opts.onFeature(cfg, feature, layer);
        },
      });
    }

    function put(cfg, data, show) {
      const old = layers[cfg.name];
      const fresh = build(cfg, data);
      if (old) {
        if (map.hasLayer(old)) map.removeLayer(old);
        if (control) control.removeLayer(old);
      }
      if (show) fresh.addTo(map);
      if (control) control.addOverlay(fresh, `${cfg.label} (${data.total ?? data.features.length})`);
      layers[cfg.name] = fresh;
      return fresh;
    }

    // Fetch one layer again and redraw it in place (live updates), keeping it on or off as it was.
    function urlOf(cfg) {
      return el.dataset.layersUrl + cfg.name + (cfg.viewport ? viewQuery(map) : "");
    }
    function reload(name) {
      const cfg = config.find((c) => c.name === name);
      if (!cfg) return Promise.resolve();
      return getJSON(urlOf(cfg)).then((data) => { put(cfg, data, map.hasLayer(layers[name])); });
    }

    // Located layers follow the view: after a move, those switched on are asked again; one switched
    // on after moves is asked when it is.
    let moved = null;
    const stale = new Set();
    function followView() {
      map.on("moveend", () => {
        clearTimeout(moved);
        moved = setTimeout(() => {
          for (const cfg of config.filter((c) => c.viewport)) {
            if (map.hasLayer(layers[cfg.name])) reload(cfg.name); else stale.add(cfg.name);
          }
        }, 150);
      });
      map.on("overlayadd", (ev) => {
        const cfg = config.find((c) => layers[c.name] === ev.layer);
        if (cfg && stale.delete(cfg.name)) reload(cfg.name);
      });
    }

    const handle = { map: map, layers: layers, reload: reload };
    const fetchAll = (list) => Promise.all(list.map((cfg) => getJSON(urlOf(cfg)).then((data) => [cfg, data])));
    handle.loaded = fetchAll(config.filter((c) => !c.viewport))
      .then((results) => {
        let bounds = null;
        for (const [cfg, data] of results) {
          const layer = put(cfg, data, cfg.visible);
          const b = data.features.length ? layer.getBounds() : null;
          if (b && b.isValid()) bounds = cfg.name === "park" ? b.pad(opts.pad ?? 0.15) : (bounds || b);
        }
        if (bounds) map.fitBounds(bounds); else map.setView(FALLBACK_CENTRE, 13);
        return fetchAll(config.filter((c) => c.viewport));
      })
      .then((results) => {
        for (const [cfg, data] of results) put(cfg, data, cfg.visible);
        followView();
        return opts.onLoad ? opts.onLoad(handle) : undefined;
      })
      .then(() => { el.dataset.loaded = "true"; }, (err) => {
        el.dataset.loaded = "error";
        map.setView(FALLBACK_CENTRE, 12);
        L.popup().setLatLng(FALLBACK_CENTRE).setContent(esc(err)).openOn(map);
      });
    return handle;
  }

  window.ChemparkMap = { create: create, getJSON: getJSON, esc: esc, colour: colour };
})();
