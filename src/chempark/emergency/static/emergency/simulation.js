// 事故模拟: place the source on the map, choose chemical, release and weather, and draw the threat
// zones the server computes (POST /api/v1/simulations/accident) with the affected protective targets.
(function () {
  "use strict";
  const text = JSON.parse(document.getElementById("sim-text").textContent);
  // Model warnings by their stable code, in the page's language; the English message when a code
  // has no text here (and always as the item's tooltip).
  const warningTexts = JSON.parse(document.getElementById("sim-warning-texts").textContent);
  const figure = (v) => (typeof v === "number" ? String(Number(v.toPrecision(3))) : String(v));
  function warningText(w) {
    const template = warningTexts[w.code];
    if (!template) return w.message;
    const params = w.params || {};
    let missing = false;
    const filled = template.replace(/%\((\w+)\)s/g, (m, key) => {
      if (!(key in params)) { missing = true; return m; }
      return figure(params[key]);
    });
    return missing ? w.message : filled;
  }
  const form = document.getElementById("sim-form");
  const el = document.getElementById("sim-map");
  const map = ChemparkMap.create(el, { pad: 0.3, popups: false }).map;
  const zoneLayer = L.layerGroup().addTo(map);
  let marker = null;
  const esc = ChemparkMap.esc;
  // the zones' colours are the stylesheet's tokens, innermost (red) first
  const zoneColour = (index) => ChemparkMap.colour("--zone-" + Math.min(index, 3));

  function placeSource(lat, lon) {
    document.getElementById("sim-lat").value = lat.toFixed(6);
    document.getElementById("sim-lon").value = lon.toFixed(6);
    if (marker) marker.setLatLng([lat, lon]); else marker = L.marker([lat, lon]).addTo(map).bindTooltip(text.source);
  }
  map.on("click", (ev) => placeSource(ev.latlng.lat, ev.latlng.lng));
  ["sim-lat", "sim-lon"].forEach((id) => document.getElementById(id).addEventListener("change", () => {
    const lat = parseFloat(document.getElementById("sim-lat").value), lon = parseFloat(document.getElementById("sim-lon").value);
    if (isFinite(lat) && isFinite(lon)) placeSource(lat, lon);
  }));

  const kind = document.getElementById("sim-kind");
  kind.addEventListener("change", () => {
    document.getElementById("sim-amount-label").textContent = { continuous: text.rate, instantaneous: text.mass, tank_hole: text.hole }[kind.value];
  });
  const chemical = document.getElementById("sim-chemical");
  const syncThresholds = () => { document.getElementById("sim-thresholds").hidden = chemical.selectedOptions[0]?.dataset.levels === "1"; };
  chemical.addEventListener("change", syncThresholds);
  syncThresholds();

  // Prefilled from a link (the one-map's estimated leak source): ?lon=&lat=&cas=&kind=&rate_kg_s=&height_m=
  // &wind_speed_m_s=&wind_from_deg=&stability=
  (function prefill() {
    const q = new URLSearchParams(window.location.search);
    const set = (name, key) => { if (q.has(key) && form.elements[name]) form.elements[name].value = q.get(key); };
    if (q.has("cas") && [...chemical.options].some((o) => o.value === q.get("cas"))) chemical.value = q.get("cas");
    if (q.has("kind") && [...kind.options].some((o) => o.value === q.get("kind"))) kind.value = q.get("kind");
    kind.dispatchEvent(new Event("change"));
    if (q.has("rate_kg_s") && kind.value === "continuous") set("amount", "rate_kg_s");
    set("height_m", "height_m"); set("wind_speed_m_s", "wind_speed_m_s"); set("wind_from_deg", "wind_from_deg");
    set("stability", "stability");
    syncThresholds();
    const lat = parseFloat(q.get("lat") || ""), lon = parseFloat(q.get("lon") || "");
    if (isFinite(lat) && isFinite(lon)) placeSource(lat, lon);
  })();

  function payload() {
    const v = (name) => form.elements[name].value;
    const num = (name) => (v(name) === "" ? null : Number(v(name)));
    const amount = num("amount");
    const release = { kind: kind.value, height_m: num("height_m") ?? 1 };
    if (kind.value === "continuous") release.rate_kg_s = amount;
    else if (kind.value === "instantaneous") release.mass_kg = amount;
    else release.hole_diameter_mm = amount;
    const body = {
      chemical_cas: v("chemical_cas"), source: { lon: num("lon"), lat: num("lat") }, release,
      weather: { wind_speed_m_s: num("wind_speed_m_s"), wind_from_deg: num("wind_from_deg"), stability: v("stability") },
      duration_min: num("duration_min"), origin: "page",
    };
    if (!document.getElementById("sim-thresholds").hidden) {
      body.thresholds = [["t1", "red"], ["t2", "orange"], ["t3", "yellow"]]
        .filter(([n]) => v(n) !== "").map(([n, label]) => ({ label, ppm: num(n) }));
    }
    return body;
  }

  function show(run) {
    const r = run.results;
    zoneLayer.clearLayers();
    const features = r.geojson.features.filter((f) => f.geometry);
    // outermost first so the red zone stays on top
    const drawn = features.slice().reverse().map((f) => L.geoJSON(f, {
      style: { color: zoneColour(f.properties.index), weight: 2, fillColor: zoneColour(f.properties.index), fillOpacity: 0.35 },
    }).bindTooltip(esc(f.properties.label)).addTo(zoneLayer));
    if (drawn.length) map.fitBounds(drawn[0].getBounds().extend([run.source_lat, run.source_lon]).pad(0.15), { animate: false });
    const zoneRows = r.zones.map((z, i) => `<tr><td class="zone-${Math.min(i, 3)}">${esc(z.label)}</td><td>${z.threshold_g_m3} g/m³</td>` +
      `<td>${z.downwind_extent_m}</td><td>${z.max_half_width_m}</td><td>${(z.area_m2 / 1e6).toFixed(3)}</td></tr>`);
    document.querySelector("[data-testid=zone-table] tbody").innerHTML = zoneRows.join("");
    const st = r.source_term;
    const q = st.continuous ? `${st.rate_kg_s} kg/s` : `${st.mass_kg} kg`;
    document.getElementById("sim-summary").textContent = text.summary.replace("%(s)s", r.stability)
      .replace("%(u)s", r.transport_wind_speed_m_s).replace("%(q)s", q)
      .replace("%(n)s", run.affected_targets).replace("%(p)s", run.affected_people);
    const warnings = r.warning_details || run.warnings.map((message) => ({ code: "", message }));
    document.getElementById("sim-warnings").innerHTML = [
      ...warnings.map((w) => `<li data-code="${esc(w.code)}" title="${esc(w.message)}">${esc(warningText(w))}</li>`),
      ...(st.note_details || st.notes.map((message) => ({ code: "", message })))
        .map((n) => `<li data-code="${esc(n.code)}" title="${esc(n.message)}">${esc(warningText(n))}</li>`),
    ].join("");
    const rows = r.affected_targets.map((t) => `<tr data-zone="${t.zone_index}"><td class="zone-${Math.min(t.zone_index, 3)}">${esc(t.name)}</td>` +
      `<td>${esc(text.kinds[t.kind] || t.kind)}</td><td>${esc(t.zone_label)}</td><td>${t.distance_m}</td><td>${t.population}</td><td>${t.people_affected}</td></tr>`);
    document.querySelector("[data-testid=affected-targets] tbody").innerHTML =
      rows.join("") || `<tr><td colspan="6" class="muted">${esc(text.none)}</td></tr>`;
    document.getElementById("sim-result").hidden = false;
    el.dataset.simulated = String(run.id);
  }

  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const error = document.getElementById("sim-error");
    const button = document.getElementById("sim-run");
    error.hidden = true;
    button.disabled = true;
    button.textContent = text.running;
    fetch(form.dataset.api, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json",
                 "X-CSRFToken": form.elements.csrfmiddlewaretoken.value },
      body: JSON.stringify(payload()),
    }).then((r) => r.json().then((data) => ({ ok: r.ok, data })))
      .then(({ ok, data }) => {
        if (!ok) { error.textContent = data.message || "error"; error.hidden = false; return; }
        show(data);
      })
      .catch((err) => { error.textContent = String(err); error.hidden = false; })
      .finally(() => { button.disabled = false; button.textContent = text.run; });
  });
})();
