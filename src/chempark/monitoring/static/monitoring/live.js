/* One EventSource per page for the monitoring live stream; modules subscribe with
   window.chemparkLive.on(kind, fn). The server ends each stream after a while and the browser
   reconnects with Last-Event-ID, so nothing is missed. */
(function () {
  if (window.chemparkLive) return;
  var script = document.currentScript;
  var url = script && script.dataset.url;
  var handlers = {};
  var source = null;
  var KINDS = ["alarm", "escalated", "point", "warning"];
  function ensure() {
    if (source || !url) return;
    source = new EventSource(url);
    KINDS.forEach(function (kind) {
      source.addEventListener(kind, function (event) {
        var data = JSON.parse(event.data);
        (handlers[kind] || []).forEach(function (fn) { fn(data); });
      });
    });
    source.addEventListener("open", function () { document.documentElement.dataset.live = "open"; });
  }
  window.chemparkLive = {
    on: function (kind, fn) { (handlers[kind] = handlers[kind] || []).push(fn); ensure(); }
  };
})();
