// The alarm page's small map (shared map.js): the park, its areas, enterprises and units, the alarm's point marked and
// centred, so the officer sees at a glance where it is before opening the one-map.
(function () {
  "use strict";
  const el = document.getElementById("alarm-map");
  const at = [Number(el.dataset.lat), Number(el.dataset.lon)];
  ChemparkMap.create(el, {
    pad: 0.05,
    onLoad: (handle) => {
      L.circleMarker(at, { radius: 10, color: ChemparkMap.colour("--severity-critical"), weight: 3, fillOpacity: 0.5, className: "focus-marker" })
        .bindTooltip(ChemparkMap.esc(el.dataset.label), { permanent: true, direction: "top", offset: [0, -10] })
        .addTo(handle.map);
      handle.map.setView(at, 16, { animate: false });
    },
  });
})();
