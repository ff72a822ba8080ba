// The alarm list's live reload: on each alarm event the table and its pager are fetched again
// together (?fragment=1), so the pager's count follows the rows; the changed row flashes and the
// ticked rows stay ticked. The 「实时」 tag shows whether the live stream is connected.
(function () {
  "use strict";
  const box = document.getElementById("alarm-box");
  const stateTag = document.getElementById("live-state");
  function showState(state) {
    stateTag.dataset.state = state;
    stateTag.textContent = stateTag.dataset[state] || stateTag.dataset.connecting;
  }
  let pending = null;
  function reload(changed) {
    if (pending) return;
    pending = setTimeout(() => {
      pending = null;
      const params = new URLSearchParams(window.location.search);
      params.set("fragment", "1");
      fetch(window.location.pathname + "?" + params.toString(), { credentials: "same-origin", headers: { "X-Background": "1" } })
        .then((r) => r.text())
        .then((html) => {
          const ticked = new Set(Array.from(box.querySelectorAll("input[name=ids]:checked"), (x) => x.value));
          box.innerHTML = html;
          box.querySelectorAll("input[name=ids]").forEach((x) => { x.checked = ticked.has(x.value); });
          const row = changed && box.querySelector(`tr[data-alarm="${CSS.escape(String(changed))}"]`);
          if (row) row.classList.add("flash");
        });
    }, 150);
  }
  document.addEventListener("chemparklive", (ev) => showState(ev.detail));
  window.chemparkLive.on("alarm", (data) => reload(data.id));
  window.chemparkLive.on("escalated", (data) => reload(data.id));
  showState(window.chemparkLive.state === "idle" ? "connecting" : window.chemparkLive.state);
})();
