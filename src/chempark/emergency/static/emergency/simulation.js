// 事故模拟: choose the accident (toxic release, pool fire, jet fire, fireball, vapour-cloud explosion),
// a tank from the registry or a point on the map, and the weather (the park's station pre-fills it);
// the server computes the zones (POST /api/v1/simulations/accident or /fire) and the people inside.
(function () {
  "use strict";
  const json = (id) => JSON.parse(document.getElementById(id).textContent);
  const text = json("sim-text");
  const texts = json("sim-warning-texts");
  const tanks = json("sim-tanks");
  const initial = json("sim-initial");
  const figure = (v) => (typeof v === "number" ? String(Number(v.toPrecision(3))) : String(v));
  // A coded text with its %(name)s figures filled in; the fallback when a figure is missing.
  function fill(template, params, fallback) {
    if (!template) return fallback;
    let missing = false;
    const filled = template.replace(/%\((\w+)\)s/g, (m, key) => {
      if (!params || !(key in params)) { missing = true; return m; }
      return figure(params[key]);
    });
    return missing ? fallback : filled;
  }
  const unit = (u) => texts.units[u] || u;
  const area = (m2) => (m2 >= 1e5 ? `${figure(m2 / 1e6)} km²` : `${round(m2)} m²`);
  const round = (v) => (Math.abs(v) >= 100 ? Math.round(v).toLocaleString("zh-CN") : figure(v));

  const form = document.getElementById("sim-form");
  const el = document.getElementById("sim-map");
  const map = ChemparkMap.create(el, { pad: 0.3, popups: true }).map;
  const zoneLayer = L.layerGroup().addTo(map);
  let marker = null;
  const esc = ChemparkMap.esc;
  const zoneColour = (index) => ChemparkMap.colour("--zone-" + Math.min(index, 3));
  const $ = (id) => document.getElementById(id);

  function placeSource(lat, lon) {
    $("sim-lat").value = lat.toFixed(6);
    $("sim-lon").value = lon.toFixed(6);
    if (marker) marker.setLatLng([lat, lon]); else marker = L.marker([lat, lon]).addTo(map).bindTooltip(text.source);
  }
  map.on("click", (ev) => { $("sim-tank").value = ""; syncTank(); placeSource(ev.latlng.lat, ev.latlng.lng); });
  ["sim-lat", "sim-lon"].forEach((id) => $(id).addEventListener("change", () => {
    const lat = parseFloat($("sim-lat").value), lon = parseFloat($("sim-lon").value);
    if (isFinite(lat) && isFinite(lon)) placeSource(lat, lon);
  }));

  const scenario = $("sim-scenario");
  const kind = $("sim-kind");
  const chemical = $("sim-chemical");
  const isToxic = () => scenario.value === "toxic";
  function syncThresholds() {
    $("sim-thresholds").hidden = !isToxic() || chemical.selectedOptions[0]?.dataset.levels === "1";
  }
  function syncScenario() {
    form.querySelectorAll("[data-for]").forEach((node) => { node.hidden = node.dataset.for !== scenario.value; });
    form.querySelectorAll("[data-for-kind]").forEach((node) => { node.hidden = node.dataset.forKind !== kind.value; });
    syncThresholds();
  }
  kind.addEventListener("change", () => {
    $("sim-amount-label").textContent = { continuous: text.rate, instantaneous: text.mass, tank_hole: text.hole }[kind.value];
    syncScenario();
  });
  scenario.addEventListener("change", syncScenario);
  chemical.addEventListener("change", syncThresholds);

  // The tank picker fills the chemical, the position and the measured storage conditions.
  const tankOf = () => tanks.find((t) => String(t.id) === $("sim-tank").value);
  function measured(condition, input, note) {
    $(input).value = condition ? condition.value : "";
    $(note).textContent = condition ? `（${text.measured} ${condition.point} ${condition.at}）` : `（${text.missing}）`;
  }
  function syncTank() {
    const tank = tankOf();
    const facts = $("sim-tank-facts");
    facts.hidden = !tank;
    if (!tank) { $("sim-temperature-note").textContent = ""; $("sim-pressure-note").textContent = ""; return; }
    if ([...chemical.options].some((o) => o.value === tank.cas)) chemical.value = tank.cas;
    placeSource(tank.lat, tank.lon);
    facts.textContent = [tank.kind, tank.chemical, `${round(tank.inventory_t)} t`,
      tank.bund_m2 ? `${round(tank.bund_m2)} m²` : ""].filter(Boolean).join(" · ");
    measured(tank.temperature, "sim-temperature", "sim-temperature-note");
    measured(tank.pressure, "sim-pressure", "sim-pressure-note");
    syncThresholds();
  }
  $("sim-tank").addEventListener("change", syncTank);

  // Pre-filled from an alarm (?alarm=) or a link (the one-map's estimated leak source):
  // ?lon=&lat=&cas=&kind=&rate_kg_s=&height_m=&wind_speed_m_s=&wind_from_deg=&stability=&scenario=&tank=
  (function prefill() {
    const q = new URLSearchParams(window.location.search);
    const set = (name, key) => { if (q.has(key) && form.elements[name]) form.elements[name].value = q.get(key); };
    const pick = (select, value) => { if ([...select.options].some((o) => o.value === value)) select.value = value; };
    if (q.has("scenario")) pick(scenario, q.get("scenario"));
    const tank = initial.tank_id ?? q.get("tank");
    if (tank) { pick($("sim-tank"), String(tank)); syncTank(); }
    if (q.has("cas")) pick(chemical, q.get("cas"));
    if (q.has("kind")) pick(kind, q.get("kind"));
    kind.dispatchEvent(new Event("change"));
    if (q.has("rate_kg_s") && kind.value === "continuous") set("amount", "rate_kg_s");
    set("height_m", "height_m"); set("wind_speed_m_s", "wind_speed_m_s"); set("wind_from_deg", "wind_from_deg");
    set("stability", "stability");
    syncScenario();
    const lat = parseFloat(q.get("lat") ?? initial.lat ?? ""), lon = parseFloat(q.get("lon") ?? initial.lon ?? "");
    if (isFinite(lat) && isFinite(lon)) placeSource(lat, lon);
  })();

  function payload() {
    const v = (name) => form.elements[name].value;
    const num = (name) => (v(name) === "" ? null : Number(v(name)));
    const tank = tankOf();
    const body = {
      weather: { wind_speed_m_s: num("wind_speed_m_s"), wind_from_deg: num("wind_from_deg"), stability: v("stability") },
      origin: initial.alarm_id ? "alarm" : "page", chemical_cas: v("chemical_cas"),
    };
    if (initial.alarm_id) body.alarm_id = initial.alarm_id;
    // a tank gives the position (a click on the map clears the tank)
    if (tank) body.tank_id = tank.id; else body.source = { lon: num("lon"), lat: num("lat") };
    if (isToxic()) {
      const amount = num("amount");
      const release = { kind: kind.value, height_m: num("height_m") ?? 1 };
      if (kind.value === "continuous") release.rate_kg_s = amount;
      else if (kind.value === "instantaneous") release.mass_kg = amount;
      else {
        release.hole_diameter_mm = amount;
        if (num("temperature_c") !== null) release.storage_temperature_k = num("temperature_c") + 273.15;
        // gauge, as the DCS reads it, over the park's air pressure (thinner at altitude)
        const air = Number(form.dataset.ambientPressurePa) || 101325;
        if (num("pressure_mpa") !== null) release.storage_pressure_pa = num("pressure_mpa") * 1e6 + air;
      }
      Object.assign(body, { release, duration_min: num("duration_min") });
      if (!$("sim-thresholds").hidden) {
        body.thresholds = [["t1", "red"], ["t2", "orange"], ["t3", "yellow"]]
          .filter(([n]) => v(n) !== "").map(([n, label]) => ({ label, ppm: num(n) }));
      }
      return body;
    }
    const s = { kind: scenario.value };
    const put = (key, value) => { if (value !== null && value !== undefined) s[key] = value; };
    if (s.kind === "pool_fire") {
      put("pool_diameter_m", num("pool_diameter_m"));
      put("spill_mass_kg", num("spill_t") === null ? null : num("spill_t") * 1000);
      put("bund_area_m2", num("bund_m2"));
    } else if (s.kind === "jet_fire") {
      put("rate_kg_s", num("jet_rate_kg_s")); put("orientation", v("orientation")); put("height_m", num("jet_height_m"));
    } else if (s.kind === "fireball") {
      put("mass_kg", num("fireball_t") === null ? null : num("fireball_t") * 1000);
    } else if (s.kind === "vce_tnt") {
      put("mass_kg", num("cloud_kg")); put("yield_factor", num("yield_factor"));
    } else {
      put("congested_volume_m3", num("congested_volume_m3")); put("strength", num("strength"));
    }
    body.scenario = s;
    return body;
  }

  function threshold(z) {
    if (z.unit) return `${figure(z.value)} ${unit(z.unit)}`;
    const ppm = z.threshold_ppm !== undefined ? `${figure(z.threshold_ppm)} ppm / ` : "";
    return `${ppm}${figure(z.threshold_mg_m3 ?? z.threshold_g_m3 * 1000)} mg/m³`;
  }
  // "AEGL-3 (60 min, 20 ppm)" → "AEGL-3（60 min）": the level and its duration; the value is in its own column
  const levelName = (z) => z.label.replace(/ \((\d+(?:\.\d+)?) min, [^)]*\)/, "（$1 min）");

  function show(run) {
    const r = run.results;
    const runScenario = r.scenario || "toxic";
    zoneLayer.clearLayers();
    const features = r.geojson.features.filter((f) => f.geometry);
    const drawn = features.slice().reverse().map((f) => L.geoJSON(f, {
      // the class tells a zone from the map's other shapes of the same colour (an enterprise at 红色预警)
      style: { color: zoneColour(f.properties.index), weight: 2, fillColor: zoneColour(f.properties.index), fillOpacity: 0.3, className: "sim-zone" },
    }).bindTooltip(esc(threshold(r.zones[features.indexOf(f)] || {}))).addTo(zoneLayer));
    if (drawn.length) map.fitBounds(drawn[0].getBounds().extend([run.source_lat, run.source_lon]).pad(0.15), { animate: false });
    document.querySelector("[data-testid=zone-table] tbody").innerHTML = r.zones.map((z, i) => {
      const p = z.people || {};
      const effect = z.unit ? (texts.effects[z.level] || "") : levelName(z);
      return `<tr><td class="zone-${Math.min(z.index ?? i, 3)}">${esc(text.zones[Math.min(i, 3)])}</td><td>${esc(threshold(z))}</td>` +
        `<td>${esc(effect)}</td><td>${round(z.reach_m ?? z.downwind_extent_m)}</td><td>${(z.area_m2 / 1e6).toFixed(3)}</td>` +
        `<td>${p.target ?? ""}</td><td>${p.enterprise ?? ""}</td><td>${p.population ?? ""}</td><td><b>${p.total ?? ""}</b></td></tr>`;
    }).join("");
    const total = r.zones.length ? ((r.zones[r.zones.length - 1].people || {}).total ?? run.affected_people) : 0;
    let summary = text.scenarios[runScenario] + "：";
    if (r.source_term) {
      const st = r.source_term;
      const q = st.continuous ? `${figure(st.rate_kg_s)} kg/s` : `${round(st.mass_kg)} kg`;
      summary += text.summary.replace("%(s)s", r.stability).replace("%(u)s", figure(r.transport_wind_speed_m_s)).replace("%(q)s", q);
    }
    summary += text.people_summary.replace("%(p)s", total).replace("%(n)s",
      r.affected_targets.filter((t) => (t.group || "target") === "target").length);
    $("sim-summary").textContent = summary;
    const d = r.dispersion;
    $("sim-model").textContent = d ? fill(texts.dispersion[d.code], d.params, d.message) : "";
    $("sim-facts").innerHTML = (r.facts || []).map((f) =>
      `<li>${esc(texts.facts[f.code] || f.code)}：${esc(round(f.value))} ${esc(unit(f.unit))}</li>`).join("");
    const warnings = r.warning_details || run.warnings.map((message) => ({ code: "", message }));
    const notes = r.source_term
      ? (r.source_term.note_details || r.source_term.notes.map((message) => ({ code: "", message }))) : [];
    $("sim-warnings").innerHTML = [...warnings, ...notes].map((w) =>
      `<li data-code="${esc(w.code)}" title="${esc(w.message)}">${esc(fill(texts.warnings[w.code], w.params, w.message))}</li>`).join("");
    const rows = r.affected_targets.map((t) => `<tr data-zone="${t.zone_index}" data-group="${esc(t.group || "target")}">` +
      `<td class="zone-${Math.min(t.zone_index, 3)}">${esc(t.name)}</td><td>${esc(text.kinds[t.kind] || "")}</td>` +
      `<td>${esc(text.zones[Math.min(t.zone_index, 3)])}</td><td>${round(t.distance_m)}</td><td>${t.population}</td><td>${t.people_affected}</td></tr>`);
    document.querySelector("[data-testid=affected-targets] tbody").innerHTML =
      rows.join("") || `<tr><td colspan="6" class="muted">${esc(text.none)}</td></tr>`;
    $("sim-result").hidden = false;
    el.dataset.simulated = String(run.id);
  }

  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const error = $("sim-error");
    const button = $("sim-run");
    error.hidden = true;
    button.disabled = true;
    button.textContent = text.running;
    fetch(isToxic() ? form.dataset.api : form.dataset.fireApi, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json",
                 "X-CSRFToken": form.elements.csrfmiddlewaretoken.value },
      body: JSON.stringify(payload()),
    }).then((r) => r.json().then((data) => ({ ok: r.ok, data })))
      .then(({ ok, data }) => {
        if (!ok) { error.textContent = data.message || text.error; error.hidden = false; return; }
        show(data);
      })
      .catch(() => { error.textContent = text.error; error.hidden = false; })
      .finally(() => { button.disabled = false; button.textContent = text.run; });
  });
})();
