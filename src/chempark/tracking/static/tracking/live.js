// Live vehicles: where the page has a one-map (onemap.js exposes chemparkReloadLayer), the vehicle
// and violation layers are reloaded every few seconds, so vehicles move on the map.
(function () {
  "use strict";
  const every = Number(document.currentScript.dataset.everyMs) || 5000;
  setInterval(() => {
    if (!window.chemparkReloadLayer || document.hidden) return;
    window.chemparkReloadLayer("vehicles");
    window.chemparkReloadLayer("vehicle_violations");
  }, every);
})();
