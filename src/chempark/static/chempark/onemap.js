// The one-map (一张图): every layer the server registers, drawn by the shared map (map.js), plus what
// is the one-map's own: the search box (asking the server: enterprises, units, tanks, targets,
// points, cameras the user may see) and the hooks live updates and tests use.
(function () {
  "use strict";
  const el = document.getElementById("map");
  const handle = ChemparkMap.create(el, {
    control: true,
    onLoad: (h) => { focus(h.map); },
  });
  window.chemparkMap = handle.map;
  window.chemparkLayers = handle.layers;
  window.chemparkReloadLayer = handle.reload;

  // ?focus=lon,lat (from an alarm, for one): centre there, closer in, and mark the place.
  function focus(map) {
    const raw = new URLSearchParams(window.location.search).get("focus");
    const [lon, lat] = (raw || "").split(",").map(Number);
    if (!raw || !Number.isFinite(lon) || !Number.isFinite(lat) || Math.abs(lon) > 180 || Math.abs(lat) > 90) return;
    L.circleMarker([lat, lon], { radius: 14, color: ChemparkMap.colour("--severity-critical"), weight: 3, fill: false, className: "focus-marker" })
      .addTo(map);
    map.setView([lat, lon], 17, { animate: false });
    el.dataset.focus = lon + "," + lat;
  }

  // ?focus=... marks a place; a search hit marks its own the same way, replacing the last one.
  let mark = null;
  function show(hit) {
    const ll = [hit.lat, hit.lon];
    if (mark) mark.remove();
    mark = L.circleMarker(ll, { radius: 14, color: ChemparkMap.colour("--brand"), weight: 3, fill: false, className: "search-marker" })
      .addTo(handle.map);
    const lines = [`<b>${ChemparkMap.esc(hit.name)}</b>`, ChemparkMap.esc(`${hit.kind_label} · ${hit.detail}`)];
    if (hit.url) lines.push(`<a href="${ChemparkMap.esc(hit.url)}">${ChemparkMap.esc(results.dataset.open || "›")}</a>`);
    mark.bindPopup(lines.join("<br>"));
    handle.map.setView(ll, Math.max(handle.map.getZoom(), 17), { animate: false });
    mark.openPopup();
    el.dataset.found = hit.kind + ":" + hit.id;
  }

  const box = document.getElementById("map-search");
  const results = document.getElementById("map-search-results");
  const url = box.closest("[data-search-url]").dataset.searchUrl;
  let timer = null;
  let asked = "";
  // Enter takes the first hit at once (the name typed in full, usually).
  function ask(pickFirst) {
    const q = box.value.trim();
    asked = q;
    if (!q) { results.hidden = true; return; }
    ChemparkMap.getJSON(url + "?q=" + encodeURIComponent(q)).then((hits) => {
      if (q !== asked) return; // a newer question is on its way
      const items = hits.map((hit) => {
        const li = document.createElement("li");
        li.setAttribute("role", "option");
        li.tabIndex = 0;
        li.dataset.testid = "map-search-hit";
        li.textContent = `${hit.name}`;
        const small = document.createElement("small");
        small.textContent = ` ${hit.kind_label} · ${hit.detail}`;
        li.append(small);
        const choose = () => { results.hidden = true; box.value = hit.name; show(hit); };
        li.addEventListener("click", choose);
        li.addEventListener("keydown", (ev) => { if (ev.key === "Enter") choose(); });
        return li;
      });
      if (!items.length) {
        const li = document.createElement("li");
        li.className = "muted";
        li.textContent = results.dataset.none;
        items.push(li);
      }
      results.replaceChildren(...items);
      results.hidden = false;
      if (pickFirst && hits.length) items[0].click();
    });
  }
  box.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(() => ask(false), 250); });
  box.addEventListener("keydown", (ev) => {
    if (ev.key === "Enter") { clearTimeout(timer); ask(true); }
    if (ev.key === "ArrowDown" && !results.hidden && results.firstElementChild) results.firstElementChild.focus();
    if (ev.key === "Escape") results.hidden = true;
  });
})();
