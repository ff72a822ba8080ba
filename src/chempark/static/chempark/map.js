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

  // ---- Geometry fields: locations drawn, not typed -------------------------------------------------
  //
  // A form's geometry (templates/_geometry_field.html) is a hidden input with the GeoJSON the server
  // checks, a map with Leaflet-Geoman's drawing toolbar, and the coordinates as text, one
  // "经度, 纬度" line per vertex (six decimals, about 0.1 m), polygons of a MultiPolygon separated by
  // an empty line. Drawing or dragging a vertex rewrites the text; typing redraws the map; both
  // write the hidden input. Text that is no list of coordinates is said so under it and stops the
  // form from being sent. A longitude/latitude pair (templates/_point_map.html) gets the same map
  // with one marker, the two inputs being its coordinates.

  // The toolbar's texts; the library's own Chinese misses some and calls shapes "layers" (图层).
  const GEOMAN_ZH = {
    tooltips: {
      placeMarker: "单击地图放置标记", placeMarkerTouch: "点击地图放置标记", firstVertex: "单击放置第一个顶点",
      continueLine: "单击继续绘制", finishLine: "单击最后一个顶点结束", finishPoly: "单击第一个顶点闭合多边形",
      finishRect: "单击结束", startCircle: "单击放置圆心", finishCircle: "单击结束", placeCircleMarker: "单击放置圆点",
      placeText: "单击放置文字", selectFirstLayerFor: "选择第一个图形（{action}）", selectSecondLayerFor: "选择第二个图形（{action}）",
    },
    actions: { finish: "完成", cancel: "取消", removeLastVertex: "撤销上一个顶点" },
    buttonTitles: {
      drawMarkerButton: "放置标记", drawPolyButton: "绘制多边形", drawLineButton: "绘制路线",
      drawCircleButton: "绘制圆", drawRectButton: "绘制矩形", editButton: "编辑顶点", dragButton: "整体拖动",
      cutButton: "挖除一部分", deleteButton: "删除图形", drawCircleMarkerButton: "绘制圆点",
      snappingButton: "吸附到其他顶点", pinningButton: "固定共用顶点", rotateButton: "旋转",
      drawTextButton: "添加文字", scaleButton: "缩放", autoTracingButton: "自动追踪路线",
      snapGuidesButton: "显示对齐辅助线", unionButton: "合并图形", differenceButton: "相减",
    },
    measurements: {
      totalLength: "长度", segmentLength: "分段长度", area: "面积", radius: "半径", perimeter: "周长",
      height: "高", width: "宽", coordinates: "位置", coordinatesMarker: "标记位置",
    },
  };

  const fixed = (v) => Number(v).toFixed(6);
  const round6 = (v) => Number(Number(v).toFixed(6));
  const samePosition = (a, b) => a[0] === b[0] && a[1] === b[1];

  // The GeoJSON as text, or null when the text cannot say it (a polygon with holes).
  function geometryText(g) {
    if (!g) return "";
    const line = (c) => fixed(c[0]) + ", " + fixed(c[1]);
    const ring = (r) => (r.length > 1 && samePosition(r[0], r[r.length - 1]) ? r.slice(0, -1) : r).map(line).join("\n");
    if (g.type === "Point") return line(g.coordinates);
    if (g.type === "LineString") return g.coordinates.map(line).join("\n");
    if (g.type === "Polygon") return g.coordinates.length === 1 ? ring(g.coordinates[0]) : null;
    if (g.type === "MultiPolygon") return g.coordinates.every((p) => p.length === 1) ? g.coordinates.map((p) => ring(p[0])).join("\n\n") : null;
    return null;
  }

  const NUMBER = "[-+]?(?:\\d+\\.?\\d*|\\.\\d+)";
  const POSITION = new RegExp("^\\s*(" + NUMBER + ")\\s*[,，\\s]\\s*(" + NUMBER + ")\\s*$");

  // The text as {geometry} (null when empty) or {error}; kind: the GeoJSON type wanted for a block of
  // several lines ("LineString" or "Polygon"), multi: whether several polygons are allowed.
  function parseText(text, kind, pointAllowed, multi) {
    const blocks = [];
    let block = [];
    const lines = text.split(/\r?\n/);
    for (let i = 0; i < lines.length; i++) {
      if (!lines[i].trim()) { if (block.length) blocks.push(block); block = []; continue; }
      const m = POSITION.exec(lines[i]);
      if (!m) return { error: "第 " + (i + 1) + " 行不是“经度, 纬度”：" + lines[i].trim() };
      const lon = Number(m[1]), lat = Number(m[2]);
      if (lon < -180 || lon > 180 || lat < -90 || lat > 90) return { error: "第 " + (i + 1) + " 行超出经纬度范围（经度在前，纬度在后）" };
      block.push([round6(lon), round6(lat)]);
    }
    if (block.length) blocks.push(block);
    if (!blocks.length) return { geometry: null };
    if (blocks.length === 1 && blocks[0].length === 1 && pointAllowed) return { geometry: { type: "Point", coordinates: blocks[0][0] } };
    if (!kind) return { error: "此处只能是一个点（一行“经度, 纬度”）" };
    if (kind === "LineString") {
      if (blocks.length > 1) return { error: "路线只能是一段，请删去空行" };
      if (blocks[0].length < 2) return { error: "路线至少需要两个点" };
      return { geometry: { type: "LineString", coordinates: blocks[0] } };
    }
    if (blocks.length > 1 && !multi) return { error: "这里只能是一个多边形，请删去空行" };
    const rings = [];
    for (const b of blocks) {
      const r = b.length > 1 && samePosition(b[0], b[b.length - 1]) ? b.slice(0, -1) : b.slice();
      if (r.length < 3) return { error: "多边形至少需要三个不同的顶点" };
      r.push(r[0]);
      rings.push([r]);
    }
    return { geometry: rings.length === 1 ? { type: "Polygon", coordinates: rings[0] } : { type: "MultiPolygon", coordinates: rings } };
  }

  // Metres per screen pixel at the map's zoom and latitude (Web Mercator), to draw a corridor's width.
  function metresPerPixel(map, lat) {
    return 40075016.686 * Math.cos((lat * Math.PI) / 180) / Math.pow(2, map.getZoom() + 8);
  }

  // A map under a form with the drawing tools for the GeoJSON types given; returns {map, drawn, loaded}.
  function drawingMap(mapEl, types, onChange) {
    const handle = create(mapEl, { popups: false, pad: 0.3 });
    const map = handle.map;
    map.pm.setLang("zh", GEOMAN_ZH, "en");
    map.pm.setGlobalOptions({ allowSelfIntersection: false, snappable: true, markerStyle: { draggable: true } });
    const drawn = L.featureGroup().addTo(map);
    const tools = (wanted) => {
      map.pm.removeControls();
      map.pm.addControls({
        position: "topleft",
        drawMarker: wanted.includes("Point"),
        drawPolyline: wanted.includes("LineString"),
        drawPolygon: wanted.includes("Polygon"),
        drawRectangle: wanted.includes("Polygon"),
        drawCircle: false, drawCircleMarker: false, drawText: false, cutPolygon: false, rotateMode: false,
        editMode: false, dragMode: true, removalMode: true,
      });
    };
    tools(types);
    // Every drawn shape has its vertices ready to drag: no edit mode to find first.
    const watch = (layer) => {
      if (layer.pm) layer.pm.enable({ allowSelfIntersection: false, draggable: true });
      layer.on("pm:edit pm:dragend", () => onChange("map"));
    };
    map.on("pm:create", (ev) => {
      map.removeLayer(ev.layer);
      drawn.addLayer(ev.layer);
      watch(ev.layer);
      onChange("map", ev.layer);
    });
    map.on("pm:remove", (ev) => { drawn.removeLayer(ev.layer); onChange("map"); });
    return {
      map: map, drawn: drawn, loaded: handle.loaded, tools: tools,
      show(geometry, fit) {
        drawn.clearLayers();
        if (!geometry) return;
        L.geoJSON(geometry, { pointToLayer: (f, ll) => L.marker(ll) }).eachLayer((layer) => { drawn.addLayer(layer); watch(layer); });
        const bounds = drawn.getBounds();
        if (fit && bounds.isValid()) handle.loaded.then(() => map.fitBounds(bounds.pad(0.5), { maxZoom: 17 }));
      },
    };
  }

  function geometryField(el) {
    const hidden = el.querySelector("[data-geometry-json]");
    const text = el.querySelector("[data-geometry-coords]");
    const note = el.querySelector("[data-geometry-note]");
    let types = el.dataset.types.split(" ").filter(Boolean);
    const typesFrom = el.dataset.typesFrom ? document.getElementById(el.dataset.typesFrom) : null;
    const widthFrom = el.dataset.widthFrom ? document.getElementById(el.dataset.widthFrom) : null;
    const say = (message, bad) => { note.textContent = message || ""; note.classList.toggle("error", !!bad); el.dataset.invalid = bad ? "true" : "false"; };
    const kindOf = () => (types.includes("Polygon") ? "Polygon" : types.includes("LineString") ? "LineString" : null);
    let corridor = null;

    const drawing = drawingMap(el.querySelector(".geometry-map"), types, (from, created) => {
      // a new shape replaces the old one unless the field takes several polygons
      if (created) {
        const multi = types.includes("MultiPolygon") && created instanceof L.Polygon;
        drawing.drawn.eachLayer((layer) => {
          if (layer !== created && !(multi && layer instanceof L.Polygon)) drawing.drawn.removeLayer(layer);
        });
      }
      const parts = drawing.drawn.getLayers().map((layer) => layer.toGeoJSON(7).geometry);
      write(combine(parts), "map");
    });

    // The shapes on the map as one geometry: one shape as itself, several polygons as a MultiPolygon.
    function combine(parts) {
      const round = (c) => (typeof c[0] === "number" ? [round6(c[0]), round6(c[1])] : c.map(round));
      const geometries = parts.map((g) => ({ type: g.type, coordinates: round(g.coordinates) }));
      if (!geometries.length) return null;
      if (geometries.length === 1) return geometries[0];
      const polygons = [];
      for (const g of geometries) {
        if (g.type === "Polygon") polygons.push(g.coordinates);
        else if (g.type === "MultiPolygon") polygons.push(...g.coordinates);
      }
      return { type: "MultiPolygon", coordinates: polygons };
    }

    // The corridor's width around its centre line, in a pane under the drawing; only once the map
    // has its view (the width in pixels depends on the zoom).
    let viewed = false;
    drawing.map.createPane("corridor").style.zIndex = 350;
    function drawCorridor(geometry) {
      if (corridor) drawing.map.removeLayer(corridor);
      corridor = null;
      const width = widthFrom ? Number(widthFrom.value) : 0;
      if (!viewed || !geometry || geometry.type !== "LineString" || !(width > 0)) return;
      const latlngs = geometry.coordinates.map((c) => [c[1], c[0]]);
      const px = width / metresPerPixel(drawing.map, latlngs[0][0]);
      corridor = L.polyline(latlngs, {
        pane: "corridor", color: colour("--map-area"), weight: Math.max(2, px), opacity: 0.35, interactive: false, pmIgnore: true,
      }).addTo(drawing.map);
    }

    let current = null;
    function write(geometry, from) {
      current = geometry;
      hidden.value = geometry ? JSON.stringify(geometry) : "";
      if (from !== "text") {
        const shown = geometryText(geometry);
        text.value = shown === null ? "" : shown;
        text.readOnly = shown === null;
        say(shown === null ? "含内洞的多边形只能在地图上修改" : "", false);
      }
      if (from !== "map") drawing.show(geometry, from === "load");
      drawCorridor(geometry);
      hidden.dispatchEvent(new Event("change", { bubbles: true }));
    }

    text.addEventListener("input", () => {
      const parsed = parseText(text.value, kindOf(), types.includes("Point"), types.includes("MultiPolygon"));
      if (parsed.error) { say(parsed.error, true); return; }
      say("", false);
      write(parsed.geometry, "text");
    });
    if (typesFrom) {
      const follow = () => {
        const option = typesFrom.selectedOptions[0];
        types = ((option && option.dataset.geometryTypes) || el.dataset.types).split(" ").filter(Boolean);
        drawing.tools(types);
      };
      typesFrom.addEventListener("change", follow);
      follow();
    }
    if (widthFrom) widthFrom.addEventListener("input", () => drawCorridor(current));
    drawing.map.on("zoomend", () => drawCorridor(current));
    const form = el.closest("form");
    if (form) {
      form.addEventListener("submit", (ev) => {
        if (el.dataset.invalid === "true") { ev.preventDefault(); text.focus(); }
      });
    }

    let initial = null;
    if (hidden.value.trim()) {
      try { initial = JSON.parse(hidden.value); } catch (err) { text.value = hidden.value; }
    }
    if (initial) write(initial, "load");
    drawing.loaded.then(() => {
      viewed = true;
      drawCorridor(current);
      el.dataset.ready = "true";
    });
    return drawing;
  }

  function pointField(el) {
    const lon = document.getElementById(el.dataset.lon);
    const lat = document.getElementById(el.dataset.lat);
    const note = el.querySelector("[data-geometry-note]");
    const given = () => {
      const x = Number(lon.value), y = Number(lat.value);
      return lon.value.trim() && lat.value.trim() && x >= -180 && x <= 180 && y >= -90 && y <= 90 ? [x, y] : null;
    };
    const drawing = drawingMap(el.querySelector(".geometry-map"), ["Point"], (from, created) => {
      if (created) drawing.drawn.eachLayer((layer) => { if (layer !== created) drawing.drawn.removeLayer(layer); });
      const marker = drawing.drawn.getLayers()[0];
      if (!marker) return;
      const ll = marker.getLatLng();
      lon.value = fixed(ll.lng);
      lat.value = fixed(ll.lat);
      for (const input of [lon, lat]) input.dispatchEvent(new Event("change", { bubbles: true }));
    });
    const follow = (fit) => {
      const p = given();
      note.textContent = (lon.value.trim() || lat.value.trim()) && !p ? "经纬度须为数字：经度 −180～180，纬度 −90～90" : "";
      note.classList.toggle("error", !!note.textContent);
      drawing.show(p ? { type: "Point", coordinates: p } : null, fit);
    };
    for (const input of [lon, lat]) input.addEventListener("input", () => follow(false));
    follow(true);
    drawing.loaded.then(() => { el.dataset.ready = "true"; });
    return drawing;
  }

  function startFields() {
    for (const el of document.querySelectorAll("[data-geometry-field]")) geometryField(el);
    for (const el of document.querySelectorAll("[data-point-field]")) pointField(el);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", startFields); else startFields();

  window.ChemparkMap = {
    create: create, getJSON: getJSON, esc: esc, colour: colour,
    geometryField: geometryField, pointField: pointField, geometryText: geometryText, parseText: parseText,
  };
})();
