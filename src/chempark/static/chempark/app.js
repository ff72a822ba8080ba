// Behaviour every page shares, declared in the markup with data-* attributes instead of inline
// handlers (the Content-Security-Policy runs no inline script):
//   <select data-autosubmit>     submits its form when changed (the language switch)
//   <form data-confirm="…">      asks before submitting (deletions)
//   <a data-back>                goes back in the history (error pages)
//   <i data-swatch="--token">    a legend swatch painted with a colour token of app.css
//   <button data-nav-toggle>     opens and closes the navigation on a phone (aria-expanded says which)
//   <details data-fold-on-phone> starts folded on a phone (a map legend that would cover the map)
// and window.chempark.colour(token), which resolves a colour token for scripts and map layers.
(function () {
  "use strict";
  function colour(value) {
    if (typeof value !== "string" || !value.startsWith("--")) return value;
    return getComputedStyle(document.documentElement).getPropertyValue(value).trim() || value;
  }
  function paintSwatches(root) {
    root.querySelectorAll("[data-swatch]").forEach((el) => { el.style.backgroundColor = colour(el.dataset.swatch); });
  }
  window.chempark = { colour: colour, paintSwatches: paintSwatches };

  document.addEventListener("change", (ev) => {
    if (ev.target.matches("select[data-autosubmit]")) ev.target.form.submit();
  });
  document.addEventListener("submit", (ev) => {
    const message = ev.target.dataset.confirm;
    if (message && !window.confirm(message)) ev.preventDefault();
  });
  const PHONE = window.matchMedia("(max-width: 760px)");
  document.addEventListener("click", (ev) => {
    const toggle = ev.target.closest("[data-nav-toggle]");
    if (toggle) {
      const open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", String(open));
      document.getElementById(toggle.getAttribute("aria-controls")).classList.toggle("open", open);
    }
    const link = ev.target.closest("a[data-back]");
    if (link && window.history.length > 1) { ev.preventDefault(); window.history.back(); }
  });
  if (PHONE.matches) document.querySelectorAll("details[data-fold-on-phone]").forEach((el) => { el.open = false; });
  paintSwatches(document);
})();
