// Board pack progress: asks the server every few seconds how the pack is
// going and updates the page. The status line is a live region, so a screen
// reader hears each new step once; without JavaScript, "Check again" works.
(function () {
  "use strict";
  var box = document.getElementById("board-pack-progress");
  if (!box) return;
  var url = box.getAttribute("data-status-url");
  var state = document.getElementById("board-pack-state");
  var bar = document.getElementById("board-pack-bar");
  var download = document.getElementById("board-pack-download");
  var refresh = document.getElementById("board-pack-refresh");
  var tries = 0;
  var MAX_TRIES = 150; // five minutes at two seconds

  function say(text) {
    if (state.textContent.trim() !== text) state.textContent = text;
  }

  function show(data) {
    bar.value = data.progress;
    bar.textContent = data.progress + "%";
    if (data.status === "ready") {
      say("The board pack is ready.");
      download.hidden = false;
      if (refresh) refresh.hidden = true;
    } else if (data.status === "failed") {
      say(data.error || "The board pack could not be prepared.");
      if (refresh) refresh.hidden = true;
    } else {
      say(data.label + ": " + (data.step || "waiting to start") + " (" + data.progress + "% done).");
    }
    return data.finished;
  }

  function poll() {
    tries += 1;
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error("status " + response.status);
        return response.json();
      })
      .then(function (data) {
        if (!show(data) && tries < MAX_TRIES) window.setTimeout(poll, 2000);
      })
      .catch(function () {
        if (tries < MAX_TRIES) window.setTimeout(poll, 5000);
      });
  }

  if (download.hidden) window.setTimeout(poll, 1000);
})();
