/* Live camera video: asks the platform for a camera's stream (which starts the RTSP → HLS gateway on
   demand), shows the gateway's status while it connects or when the camera does not answer, and
   plays the HLS playlist with hls.js (or natively where the browser plays HLS itself).
   On the alarm page it first lists the cameras whose view cone covers the alarm. */
(function () {
  "use strict";
  var RETRY_STARTING_MS = 1000;
  var RETRY_FAILED_MS = 15000;

  // detail: ffmpeg's own words (English), for the engineer who hovers over the status, not its text
  function setStatus(figure, text, state, detail) {
    var status = figure.querySelector(".video-status");
    status.textContent = text;
    status.title = detail || "";
    figure.dataset.state = state;
  }

  function play(figure, playlistUrl) {
    var video = figure.querySelector("video");
    if (window.Hls && window.Hls.isSupported()) {
      // no worker: the CSP admits no blob: scripts
      var hls = new window.Hls({ enableWorker: false, liveSyncDurationCount: 2 });
      hls.on(window.Hls.Events.ERROR, function (event, data) {
        if (!data.fatal) { return; }
        hls.destroy();
        setStatus(figure, figure.dataset.brokenText, "failed");
        window.setTimeout(function () { connect(figure); }, RETRY_STARTING_MS * 3);
      });
      hls.loadSource(playlistUrl);
      hls.attachMedia(video);
    } else if (video.canPlayType("application/vnd.apple.mpegurl")) {
      video.src = playlistUrl;
    }
    video.play().catch(function () { /* autoplay refused: the controls remain */ });
  }

  function connect(figure) {
    fetch(figure.dataset.streamUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (stream) {
        setStatus(figure, stream.message, stream.state, stream.detail);
        if (stream.playlist_url) {
          play(figure, stream.playlist_url);
        } else if (stream.state === "starting") {
          window.setTimeout(function () { connect(figure); }, RETRY_STARTING_MS);
        } else if (stream.state === "failed") {
          window.setTimeout(function () { connect(figure); }, RETRY_FAILED_MS);
        }
      })
      .catch(function () {
        setStatus(figure, figure.dataset.brokenText, "failed");
        window.setTimeout(function () { connect(figure); }, RETRY_FAILED_MS);
      });
  }

  function listAlarmCameras(panel) {
    var grid = panel.querySelector(".video-grid");
    var template = panel.querySelector("template.video-template");
    fetch(panel.dataset.videoCamerasUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (cameras) {
        panel.querySelector(".video-empty").hidden = cameras.length > 0;
        cameras.forEach(function (camera) {
          var figure = template.content.firstElementChild.cloneNode(true);
          figure.dataset.videoCamera = String(camera.id);
          figure.dataset.streamUrl = camera.stream_url;
          var title = figure.querySelector(".video-title");
          var link = document.createElement("a");
          link.href = camera.page_url;
          link.textContent = camera.name;
          title.replaceChildren(link, " · " + camera.kind + " · " + camera.distance_m + " m");
          grid.appendChild(figure);
          connect(figure);
        });
      });
  }

  function start() {
    document.querySelectorAll("[data-video-cameras-url]").forEach(listAlarmCameras);
    document.querySelectorAll(".video-player[data-stream-url]").forEach(function (figure) {
      if (figure.dataset.streamUrl && !figure.closest("template")) { connect(figure); }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());
