// The public warning's area: shown on the map, and drawn on it where the page has a form. Each click
// adds a vertex; the polygon is written as GeoJSON (lon, lat) into the form's area field, which the
// server checks (a valid polygon, at least three vertices). Pasting GeoJSON into the field redraws it.
(function () {
  "use strict";
  const el = document.getElementById("warning-map");
  if (!el) return;
  const field = document.querySelector("[data-warning-area]");
  const given = document.getElementById("warning-area");
  const handle = ChemparkMap.create(el, { pad: 0.2, popups: false });
  const map = handle.map;
  const style = () => ({ color: ChemparkMap.colour("--zone-0"), fillColor: ChemparkMap.colour("--zone-0"), weight: 2, fillOpacity: 0.25 });
  let shape = null;
  let vertices = [];

  function drawGeoJSON(geometry) {
    if (shape) map.removeLayer(shape);
    shape = null;
    if (!geometry) return;
    try {
      shape = L.geoJSON(geometry, { style: style }).addTo(map);
      const bounds = shape.getBounds();
      if (bounds.isValid()) handle.loaded.then(() => map.fitBounds(bounds.pad(0.5)));
    } catch (err) {
      shape = null;
    }
  }

  function writeVertices() {
    if (shape) map.removeLayer(shape);
    shape = vertices.length ? L.polygon(vertices, style()).addTo(map) : null;
    if (vertices.length >= 3) {
      const ring = vertices.map((v) => [Number(v[1].toFixed(6)), Number(v[0].toFixed(6))]);
      ring.push(ring[0]);
      field.value = JSON.stringify({ type: "Polygon", coordinates: [ring] });
    } else {
      field.value = "";
    }
  }

  const initial = given ? JSON.parse(given.textContent) : null;
  if (field && field.value.trim()) {
    try { drawGeoJSON(JSON.parse(field.value)); } catch (err) { /* the server will say what is wrong */ }
  } else if (initial) {
    drawGeoJSON(initial);
    if (field) field.value = JSON.stringify(initial);
  }
  if (!field) return;
  map.on("click", (ev) => { vertices.push([ev.latlng.lat, ev.latlng.lng]); writeVertices(); });
  field.addEventListener("change", () => {
    vertices = [];
    try { drawGeoJSON(JSON.parse(field.value)); } catch (err) { drawGeoJSON(null); }
  });
  const clear = document.querySelector("[data-area-clear]");
  if (clear) clear.addEventListener("click", () => { vertices = []; field.value = ""; drawGeoJSON(null); });
})();
