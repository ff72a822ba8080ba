// A public warning's area on the map of its page when it can no longer be changed (the forms draw it
// with the shared geometry field of chempark/map.js).
(function () {
  "use strict";
  const el = document.getElementById("warning-map");
  const given = document.getElementById("warning-area");
  if (!el || !given) return;
  const handle = ChemparkMap.create(el, { pad: 0.2, popups: false });
  const area = JSON.parse(given.textContent);
  if (!area) return;
  const colour = ChemparkMap.colour("--zone-0");
  const shape = L.geoJSON(area, { style: () => ({ color: colour, fillColor: colour, weight: 2, fillOpacity: 0.25 }) }).addTo(handle.map);
  const bounds = shape.getBounds();
  if (bounds.isValid()) handle.loaded.then(() => handle.map.fitBounds(bounds.pad(0.5)));
})();
