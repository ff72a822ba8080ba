// Emergency command maps, all drawn with ChemparkMap.create:
//   [data-pick]          the call form: a click sets the incident's lon/lat fields
//   [data-incident-map]  an incident: its zone, scene, nearest units and their routes, dispatched units,
//                        shelters, evacuation routes and the upwind assembly point (json_script named
//                        by the attribute; colours are app.css tokens)
//   [data-roads-map]     the road network page
// the reported-release form: the hole's fields show for a hole only, and choosing a registry tank fills
// in the storage temperature, pressure and liquid level its points measure;
// and the incident's warning form: choosing another response swaps the headline and the instruction
// for that response's standard texts, each unless the dispatcher has written one of their own.
(function () {
  "use strict";
  const colour = (token) => ChemparkMap.colour(token);
  const ROLE = {
    scene: { radius: 11, fillColor: "--map-incident", color: "--map-outline", weight: 3, fillOpacity: 1 },
    unit: { radius: 7, fillColor: "--map-res-team", color: "--map-outline", weight: 1, fillOpacity: 0.95 },
    dispatched: { radius: 9, fillColor: "--map-res-equipment", color: "--map-outline", weight: 2, fillOpacity: 1 },
    shelter: { radius: 8, fillColor: "--map-res-shelter", color: "--map-outline", weight: 2, fillOpacity: 0.95 },
    assembly: { radius: 9, fillColor: "--map-assembly", color: "--map-outline", weight: 2, fillOpacity: 1 },
    route: { color: "--map-route", weight: 3, opacity: 0.7, dashArray: "6 4" },
    evacuation: { color: "--map-evacuation", weight: 4, opacity: 0.85 },
  };
  const resolved = (style) => {
    const out = {};
    for (const [k, v] of Object.entries(style)) out[k] = colour(v);
    return out;
  };

  function incidentMap(el) {
    const data = JSON.parse(document.getElementById(el.dataset.incidentMap).textContent);
    ChemparkMap.create(el, {
      control: true,
      pad: 0.3,
      onLoad: (handle) => {
        const layer = L.geoJSON(data, {
          style: (f) => {
            const p = f.properties;
            if (p.role === "zone") return { color: colour("--zone-" + Math.min(p.index, 3)), weight: 2, fillOpacity: 0.18 };
            return resolved(ROLE[p.role] || ROLE.route);
          },
          pointToLayer: (f, ll) => L.circleMarker(ll, resolved(ROLE[f.properties.role] || ROLE.unit)),
          onEachFeature: (f, l) => {
            const p = f.properties;
            l.bindTooltip(ChemparkMap.esc(p.line ? `${p.name} · ${p.line}` : p.name), { sticky: true });
          },
        }).addTo(handle.map);
        // fit to what a dispatcher acts on: everything but the outermost (AEGL-1) zone, which may reach 10 km
        const bounds = L.latLngBounds([]);
        layer.eachLayer((l) => {
          const p = l.feature.properties;
          if (p.role === "zone" && p.index >= 2) return;
          bounds.extend(l.getBounds ? l.getBounds() : l.getLatLng());
        });
        if (bounds.isValid()) handle.map.fitBounds(bounds.pad(0.1));
      },
    });
  }

  function pickMap(el) {
    const prefix = el.dataset.pick;
    const lon = document.getElementById(prefix + "-lon");
    const lat = document.getElementById(prefix + "-lat");
    const handle = ChemparkMap.create(el, { popups: false });
    let marker = null;
    handle.map.on("click", (ev) => {
      lon.value = ev.latlng.lng.toFixed(6);
      lat.value = ev.latlng.lat.toFixed(6);
      if (marker) marker.setLatLng(ev.latlng); else marker = L.circleMarker(ev.latlng, resolved(ROLE.scene)).addTo(handle.map);
    });
  }

  document.querySelectorAll("[data-incident-map]").forEach(incidentMap);
  document.querySelectorAll("[data-pick]").forEach(pickMap);
  // The roads page: two clicks ask for the fastest open route between them and draw it.
  function roadsMap(el) {
    const out = document.getElementById(el.dataset.roadsMap);
    const handle = ChemparkMap.create(el, { control: true, popups: false });
    const drawn = L.layerGroup().addTo(handle.map);
    let start = null;
    handle.map.on("click", (ev) => {
      if (!start) {
        drawn.clearLayers();
        start = ev.latlng;
        L.circleMarker(start, resolved(ROLE.scene)).addTo(drawn);
        out.textContent = out.dataset.pickEnd;
        return;
      }
      const end = ev.latlng;
      const query = `from_lon=${start.lng}&from_lat=${start.lat}&to_lon=${end.lng}&to_lat=${end.lat}`;
      start = null;
      L.circleMarker(end, resolved(ROLE.assembly)).addTo(drawn);
      fetch(`/api/v1/route?${query}`, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then((r) => r.json().then((body) => [r.ok, body]))
        .then(([ok, body]) => {
          if (!ok) { out.textContent = body.message; return; }
          L.polyline(body.line.map(([lon, lat]) => [lat, lon]), resolved(ROLE.evacuation)).addTo(drawn);
          out.textContent = out.dataset.template
            .replace("%(min)s", body.eta_min.toFixed(1)).replace("%(km)s", (body.length_m / 1000).toFixed(2));
        });
    });
  }

  document.querySelectorAll("[data-roads-map]").forEach(roadsMap);

  const warningForm = document.getElementById("warning-form");
  if (warningForm) {
    const texts = JSON.parse(document.getElementById("warning-defaults").textContent);
    warningForm.elements.response_type.addEventListener("change", (ev) => {
      for (const name of ["headline", "instruction"]) {
        const field = warningForm.elements[name];
        const standard = Object.values(texts).map((t) => t[name]);
        if (field.value.trim() === "" || standard.includes(field.value.trim())) {
          field.value = (texts[ev.target.value] || {})[name] || "";
        }
      }
    });
  }
  const releaseForm = document.querySelector("[data-release-form]");
  if (releaseForm) {
    const kind = releaseForm.querySelector("[data-release-kind]");
    const show = () => releaseForm.querySelectorAll("[data-for-release]").forEach((el) => {
      el.hidden = el.dataset.forRelease !== kind.value;
    });
    kind.addEventListener("change", show);
    show();
    const tank = releaseForm.querySelector("[data-release-tank]");
    tank.addEventListener("change", () => {
      const option = tank.selectedOptions[0];
      releaseForm.querySelector("[data-release-temperature]").value = option.dataset.temperatureC || "";
      releaseForm.querySelector("[data-release-pressure]").value = option.dataset.pressureMpa || "";
      releaseForm.querySelector("[data-release-head]").value = option.dataset.liquidHeadM || "0";
    });
  }
})();
