/* One EventSource per page for the monitoring live stream; modules subscribe with
   window.chemparkLive.on(kind, fn). The server ends each stream after a while with a "reconnect"
   event naming the last id: the next stream opens at once from there (?after=), so nothing is
   missed and nothing waits for EventSource's retry time. After an error EventSource reconnects by
   itself with Last-Event-ID.
   An event whose transaction commits late can arrive below one already sent, so a stream starts
   from a mark a few seconds back (frame ids are "<event id>/<mark>") and may send an event again:
   each event id reaches the page's handlers once.
   The connection's state ("connecting", "open", "reconnecting", "closed") is on
   window.chemparkLive.state and on <html data-live>, and each change fires "chemparklive" on the
   document, so a page can show whether what it sees is live. */
(function () {
  if (window.chemparkLive) return;
  var script = document.currentScript;
  var url = script && script.dataset.url;
  var handlers = {};
  var source = null;
  var KINDS = ["alarm", "escalated", "point", "warning"];
  var delivered = {};
  var order = [];
  function fresh(event) {
    var id = String(event.lastEventId || "").split("/")[0];
    if (!id) return true;
    if (delivered[id]) return false;
    delivered[id] = true;
    order.push(id);
    if (order.length > 5000) delete delivered[order.shift()];
    return true;
  }
  function setState(state) {
    if (window.chemparkLive.state === state) return;
    window.chemparkLive.state = state;
    document.documentElement.dataset.live = state;
    document.dispatchEvent(new CustomEvent("chemparklive", { detail: state }));
  }
  function open(after) {
    var sep = url.indexOf("?") < 0 ? "?" : "&";
    source = new EventSource(after ? url + sep + "after=" + encodeURIComponent(after) : url);
    source.addEventListener("reconnect", function (event) {
      source.close();
      open(event.data);
    });
    KINDS.forEach(function (kind) {
      source.addEventListener(kind, function (event) {
        if (!fresh(event)) return;
        var data = JSON.parse(event.data);
        (handlers[kind] || []).forEach(function (fn) { fn(data); });
      });
    });
    source.addEventListener("open", function () { setState("open"); });
    // EventSource retries by itself while CONNECTING; CLOSED means it gave up (signed out, refused).
    source.addEventListener("error", function () {
      setState(source.readyState === EventSource.CLOSED ? "closed" : "reconnecting");
    });
  }
  function ensure() {
    if (source || !url) return;
    setState("connecting");
    open("");
  }
  window.chemparkLive = {
    state: "idle",
    on: function (kind, fn) { (handlers[kind] = handlers[kind] || []).push(fn); ensure(); }
  };
})();
