// The camera view page's preview (shared map.js): the park and every camera's current cone under the
// cone being edited, redrawn as the form changes; a click on the map moves the camera there. The cone
// is the same flat-earth sector as the server's (video/geometry.py cone_polygon).
(function () {
  "use strict";
  const el = document.getElementById("view-map");
  const form = document.getElementById(el.dataset.form);
  const field = (name) => form.elements.namedItem(name);
  const num = (name) => Number.parseFloat(field(name).value);

  function ring(lon, lat, heading, fov, range) {
    const all = !Number.isFinite(heading) || fov >= 360;
    const half = (all ? 360 : fov) / 2;
    const h = all ? 0 : heading;
    const perLat = 111320;
    const perLon = perLat * Math.cos((lat * Math.PI) / 180);
    const arc = [];
    const steps = 32;
    for (let i = 0; i <= steps; i++) {
      const d = ((h - half + (2 * half * i) / steps) * Math.PI) / 180;
      arc.push([lat + (range * Math.cos(d)) / perLat, lon + (range * Math.sin(d)) / perLon]);
    }
    return all ? arc : [[lat, lon], ...arc, [lat, lon]];
  }

  ChemparkMap.create(el, {
    pad: 0.05,
    onLoad: (handle) => {
      const colour = ChemparkMap.colour("--map-camera-tower");
      const cone = L.polygon([], { color: colour, weight: 2, dashArray: "6 4", fillOpacity: 0.2, className: "edited-cone" }).addTo(handle.map);
      const marker = L.circleMarker([0, 0], { radius: 7, color: colour, weight: 3, fillOpacity: 0.8 })
        .bindTooltip(ChemparkMap.esc(el.dataset.cameraLabel), { permanent: true, direction: "top", offset: [0, -8] })
        .addTo(handle.map);
      const cameras = handle.layers.cameras;
      if (cameras && !handle.map.hasLayer(cameras)) cameras.addTo(handle.map);

      function draw() {
        const lon = num("lon"), lat = num("lat"), fov = num("fov_deg"), range = num("range_m");
        const ok = Number.isFinite(lon) && Number.isFinite(lat) && Math.abs(lat) < 90 && Number.isFinite(fov) && Number.isFinite(range) && range > 0 && range <= 20000;
        el.dataset.preview = ok ? "drawn" : "invalid";
        if (!ok) { cone.setLatLngs([]); return; }
        const heading = field("heading_deg").value.trim() === "" ? Number.NaN : num("heading_deg");
        cone.setLatLngs(ring(lon, lat, heading, Math.min(Math.max(fov, 1), 360), range));
        marker.setLatLng([lat, lon]);
      }
      form.addEventListener("input", draw);
      form.addEventListener("change", draw);
      handle.map.on("click", (ev) => {
        field("lon").value = ev.latlng.lng.toFixed(6);
        field("lat").value = ev.latlng.lat.toFixed(6);
        draw();
      });
      draw();
      if (cone.getLatLngs()[0] && cone.getLatLngs()[0].length) handle.map.fitBounds(cone.getBounds().pad(0.3), { animate: false });
    },
  });
})();
