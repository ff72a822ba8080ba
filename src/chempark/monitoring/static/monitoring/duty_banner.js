// The duty officer's live banner and sound: a new alarm, an alarm that worsens (H → HH) and an
// escalated or reminded one join a list, newest first, each closed on its own; a later notice of the
// same alarm replaces its entry. The sound can be muted for the browser session (sessionStorage);
// critical entries flash whatever the sound. Texts come from the banner's data-* attributes
// (translated by the page).
(function () {
  "use strict";
  const banner = document.getElementById("duty-banner");
  const labels = banner.dataset;
  const list = banner.querySelector(".duty-list");
  const template = banner.querySelector(".duty-item-template");
  const muteButton = banner.querySelector(".duty-mute");
  const MUTED = "chempark.duty.muted";
  const MAX_ITEMS = 20;
  let audio = null;

  function muted() {
    return window.sessionStorage.getItem(MUTED) === "1";
  }
  function showMute() {
    muteButton.textContent = muted() ? labels.unmute : labels.mute;
    muteButton.setAttribute("aria-pressed", muted() ? "true" : "false");
  }
  function beep() {
    if (muted()) return;
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      if (audio.state === "suspended") audio.resume();
      [0, 0.35].forEach((at) => {
        const osc = audio.createOscillator(), gain = audio.createGain();
        osc.frequency.value = 880; osc.connect(gain); gain.connect(audio.destination);
        gain.gain.value = 0.2; osc.start(audio.currentTime + at); osc.stop(audio.currentTime + at + 0.2);
      });
    } catch (e) { /* no audio device */ }
  }
  function refresh() {
    const count = list.children.length;
    banner.querySelector(".duty-count").textContent = count > 1 ? labels.count.replace("%s", count) : "";
    banner.hidden = count === 0;
  }
  function show(text, data) {
    const old = list.querySelector(`li[data-alarm="${CSS.escape(String(data.id))}"]`);
    if (old) old.remove();
    const item = template.content.firstElementChild.cloneNode(true);
    item.dataset.alarm = data.id;
    item.classList.toggle("critical", data.severity === "critical");
    item.querySelector(".duty-text").textContent = text + "：" + [data.enterprise, data.source, data.type_label,
      data.severity_label, data.raised_at].filter(Boolean).join(" · ");
    item.querySelector(".duty-link").href = data.url;
    item.querySelector(".duty-close").addEventListener("click", () => { item.remove(); refresh(); });
    list.prepend(item);
    while (list.children.length > MAX_ITEMS) list.lastElementChild.remove();
    refresh();
    beep();
  }
  muteButton.addEventListener("click", () => {
    if (muted()) window.sessionStorage.removeItem(MUTED); else window.sessionStorage.setItem(MUTED, "1");
    showMute();
  });
  banner.querySelector(".duty-clear").addEventListener("click", () => { list.replaceChildren(); refresh(); });
  showMute();
  window.chemparkLive.on("escalated", (data) => {
    show(data.reminder ? labels.reminder.replace("%s", data.reminder) : labels.escalated, data);
  });
  window.chemparkLive.on("alarm", (data) => {
    if (data.status === "active_unack" && (data.change === "raised" || data.change === "worsened")) {
      show(data.change === "raised" ? labels.raised : labels.worsened, data);
    }
    if (window.chemparkReloadLayer) window.chemparkReloadLayer("monitoring_points");
  });
})();
