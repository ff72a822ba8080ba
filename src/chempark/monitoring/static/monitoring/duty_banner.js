// The duty officer's live banner and sound: escalated alarms and new critical ones. Its texts come
// from the banner's data-* attributes (translated by the page).
(function () {
  "use strict";
  const banner = document.getElementById("duty-banner");
  const labels = banner.dataset;
  function beep() {
    try {
      const ctx = new (window.AudioContext || window.webkitAudioContext)();
      [0, 0.35].forEach((at) => {
        const osc = ctx.createOscillator(), gain = ctx.createGain();
        osc.frequency.value = 880; osc.connect(gain); gain.connect(ctx.destination);
        gain.gain.value = 0.2; osc.start(ctx.currentTime + at); osc.stop(ctx.currentTime + at + 0.2);
      });
    } catch (e) { /* no audio device */ }
  }
  function show(text, data) {
    banner.querySelector(".duty-text").textContent = text + "：" + data.source + " · " + data.type_label +
      " · " + data.severity_label + " · " + data.raised_at;
    banner.querySelector(".duty-link").href = data.url;
    banner.dataset.alarm = data.id;
    banner.hidden = false;
    beep();
  }
  banner.querySelector(".duty-close").addEventListener("click", () => { banner.hidden = true; });
  window.chemparkLive.on("escalated", (data) => {
    show(data.reminder ? labels.reminder.replace("%s", data.reminder) : labels.escalated, data);
  });
  window.chemparkLive.on("alarm", (data) => {
    if (data.status === "active_unack" && data.severity === "critical") show(labels.raised, data);
    if (window.chemparkReloadLayer) window.chemparkReloadLayer("monitoring_points");
  });
})();
