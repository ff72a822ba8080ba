// The one-map (一张图): every layer the server registers, drawn by the shared map (map.js), plus what
// is the one-map's own: the search box and the hooks live updates and tests use.
(function () {
  "use strict";
  const el = document.getElementById("map");
  const handle = ChemparkMap.create(el, {
    control: true,
    onLoad: () => {
      document.getElementById("map-search-list").replaceChildren(...named().map((x) => new Option("", x.name)));
    },
  });
  window.chemparkMap = handle.map;
  window.chemparkLayers = handle.layers;
  window.chemparkReloadLayer = handle.reload;

  // Every named feature except the park itself, from the layers as they are now (live reloads included).
  function named() {
    const found = [];
    for (const [name, group] of Object.entries(handle.layers)) {
      if (name === "park") continue;
      group.eachLayer((layer) => {
        const p = layer.feature && layer.feature.properties;
        if (p && p.name) found.push({ name: String(p.name), layer: layer });
      });
    }
    return found;
  }

  document.getElementById("map-search").addEventListener("change", (ev) => {
    const q = ev.target.value;
    const all = named();
    const hit = all.find((x) => x.name === q) || all.find((x) => x.name.includes(q));
    if (!hit) return;
    const ll = hit.layer.getLatLng ? hit.layer.getLatLng() : hit.layer.getBounds().getCenter();
    handle.map.setView(ll, Math.max(handle.map.getZoom(), 16));
    hit.layer.openPopup(ll);
  });
})();
