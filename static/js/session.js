/*
 * Warns a signed-in person before their session ends for want of activity.
 *
 * The markup is templates/accounts/_session_warning.html, a <dialog> whose
 * data attributes give the session's length, how long before its end to warn,
 * the keep-alive URL, the sign-in URL and the CSRF token. No inline script:
 * the Content-Security-Policy allows scripts from our own origin only.
 *
 * Two minutes before the end the dialog opens, modal, with focus on "Stay
 * signed in". That button (or Escape) POSTs to the keep-alive URL, which
 * renews the session, and the countdown starts again. When the time is up
 * the page goes to the sign-in page, which says why and brings the person
 * back here afterwards (or straight back, if another tab kept them in).
 */
(function () {
  "use strict";

  var dialog = document.getElementById("session-warning");
  if (!dialog) {
    return;
  }
  var data = dialog.dataset;
  var lifetime = Number(data.timeoutSeconds) * 1000;
  var warnBefore = Number(data.warningSeconds || 120) * 1000;
  if (!lifetime) {
    return;
  }
  var stayButton = dialog.querySelector("[data-session-stay]");
  var errorText = dialog.querySelector("[data-session-error]");
  var endsAt = 0;
  var returnFocusTo = null;
  var busy = false;

  function restart() {
    endsAt = Date.now() + lifetime;
  }

  function isOpen() {
    return dialog.hasAttribute("open");
  }

  function open() {
    returnFocusTo = document.activeElement;
    if (typeof dialog.showModal === "function") {
      dialog.showModal();
    } else {
      dialog.setAttribute("open", "");
    }
    stayButton.focus();
  }

  function close() {
    if (typeof dialog.close === "function") {
      dialog.close();
    } else {
      dialog.removeAttribute("open");
    }
    errorText.hidden = true;
    if (returnFocusTo && typeof returnFocusTo.focus === "function") {
      returnFocusTo.focus();
    }
  }

  function signOut() {
    var params = new URLSearchParams({
      timed_out: "1",
      next: window.location.pathname + window.location.search,
    });
    window.location.assign(data.signInUrl + "?" + params.toString());
  }

  function staySignedIn() {
    if (busy) {
      return;
    }
    busy = true;
    fetch(data.keepAliveUrl, {
      method: "POST",
      credentials: "same-origin",
      redirect: "manual",
      headers: { "X-CSRFToken": data.csrfToken },
    })
      .then(function (response) {
        if (response.status === 204) {
          restart();
          close();
        } else {
          // Redirected to sign in, or refused: the session has already ended.
          signOut();
        }
      })
      .catch(function () {
        errorText.hidden = false;
      })
      .then(function () {
        busy = false;
      });
  }

  function tick() {
    var left = endsAt - Date.now();
    if (left <= 0) {
      signOut();
    } else if (left <= warnBefore && !isOpen()) {
      open();
    }
  }

  stayButton.addEventListener("click", staySignedIn);
  // Escape closes the warning; closing it means staying signed in.
  dialog.addEventListener("cancel", function (event) {
    event.preventDefault();
    staySignedIn();
  });

  restart();
  // Checked every second against the clock, so a tab the browser throttled
  // in the background still catches up as soon as it runs again.
  window.setInterval(tick, 1000);
  document.addEventListener("visibilitychange", tick);
  // Autosaving forms (eoi.js) renew the session on the server: count from then.
  document.addEventListener("session:renewed", restart);
})();
