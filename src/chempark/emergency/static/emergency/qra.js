// QRA study results on the shared map (map.js): the park and the protective targets, each target
// green or red by its GB 36894 check, and the individual-risk contours, each level its colour token
// (--risk-1e-5 … --risk-3e-7 of app.css).
(function () {
  "use strict";
  const el = document.getElementById("qra-map");
  const colour = ChemparkMap.colour;
  function riskColour(levelPerYear) {
    const value = colour("--risk-" + Number(levelPerYear).toExponential(0));
    return value.startsWith("--") ? colour("--risk-other") : value;
  }
  ChemparkMap.getJSON(el.dataset.study).then((study) => {
    const checks = {};
    for (const c of study.results.target_checks) checks[c.name] = c;
    ChemparkMap.create(el, {
      pad: 0.1,
      layers: {
        targets: {
          style: (f) => {
            const c = checks[f.properties.name] || {};
            const token = c.acceptable === false ? "--check-bad" : c.verdict === "incomplete" ? "--check-incomplete" : "--check-ok";
            return { radius: 6, color: token, fillColor: token, fillOpacity: 0.6, weight: 2 };
          },
          tooltip: (f) => {
            const c = checks[f.properties.name];
            return f.properties.name + (c ? ` · ${c.individual_risk_per_year}/a` : "");
          },
        },
      },
      onLoad: (handle) => {
        const lines = L.geoJSON(study.results.contours, {
          style: (f) => ({ color: riskColour(f.properties.level_per_year), weight: 2 }),
          onEachFeature: (f, layer) => layer.bindTooltip(ChemparkMap.esc(f.properties.label)),
        }).addTo(handle.map);
        const park = handle.layers.park;
        if (lines.getLayers().length) {
          const bounds = lines.getBounds();
          if (park && park.getLayers().length) bounds.extend(park.getBounds());
          handle.map.fitBounds(bounds.pad(0.1));
        }
      },
    });
  }).catch(() => { el.dataset.loaded = "error"; });
})();
