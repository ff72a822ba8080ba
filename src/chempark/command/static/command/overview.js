// The landing pages (command overview, enterprise workbench) reload their body every minute, so a
// desk left open keeps showing the present; a failed fetch keeps the last body and tries again.
(function () {
  "use strict";
  const body = document.getElementById("overview-body");
  if (!body) return;
  const every = Number(body.dataset.refreshS || 60) * 1000;
  function refresh() {
    fetch(body.dataset.refreshUrl, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then((r) => (r.ok && !r.redirected ? r.text() : Promise.reject(r.status)))
      .then((html) => { body.innerHTML = html; body.dataset.refreshed = String(Date.now()); })
      .catch(() => {})
      .finally(() => setTimeout(refresh, every));
  }
  setTimeout(refresh, every);
})();
