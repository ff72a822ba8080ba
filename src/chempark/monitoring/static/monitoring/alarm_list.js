// The alarm list's live reload: on each alarm event the table and its pager are fetched again
// together (?fragment=1), so the pager's count follows the rows; the changed row flashes.
(function () {
  "use strict";
  const box = document.getElementById("alarm-box");
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
          box.innerHTML = html;
          const row = changed && box.querySelector(`tr[data-alarm="${CSS.escape(String(changed))}"]`);
          if (row) row.classList.add("flash");
        });
    }, 150);
  }
  window.chemparkLive.on("alarm", (data) => reload(data.id));
  window.chemparkLive.on("escalated", (data) => reload(data.id));
})();
