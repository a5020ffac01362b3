/*
 * Autosave for any form with data-autosave-url (a partner's expression of
 * interest and monitoring report), sent by htmx (static/js/htmx.min.js,
 * loaded first): when a field is left and every 30 seconds, a changed form is
 * posted with the draft version it holds (input#draft-version) and the CSRF
 * token; fields named in the form's hx-params ("not attachments") stay out.
 * The server answers with words for the polite live region
 * [data-autosave-status] and, when saved, the next version (an out-of-band
 * swap of #draft-version); it refuses (409) a save carrying an older version.
 *
 * Nothing typed may be lost (issue 15): an autosave that arrived after the
 * form's own submit once put older budget rows back. So:
 * - one autosave in flight at a time; saves asked for meanwhile become one,
 *   sent when it answers, with the newest content and version (the form's
 *   hx-sync="this:queue last");
 * - a submit waits for the autosave in flight (up to WAIT), so it carries the
 *   version that autosave was given, and cancels it if it takes longer; a
 *   cancelled one that reaches the server late is refused there as stale;
 * - once a submit starts, no autosave is sent.
 * Everything works without JavaScript: the form's own "Save draft" button.
 * No inline script or style: the Content-Security-Policy allows neither.
 */
(function () {
  "use strict";

  var EVERY = 30000;
  var WAIT = 3000;

  // htmx's indicator styles would be an inline <style>, which the CSP refuses.
  htmx.config.includeIndicatorStyles = false;
  htmx.config.allowEval = false;

  function attach(form) {
    var status = form.querySelector("[data-autosave-status]");
    var url = form.dataset.autosaveUrl;
    var dirty = false;
    var inFlight = false;
    var submitting = false;
    var stale = false;
    var cleared = null; // the submit that waits for the autosave in flight

    function say(message) {
      if (status) {
        status.textContent = message;
      }
    }

    function save() {
      if (!dirty || submitting || stale) {
        return;
      }
      dirty = false;
      // Queued by htmx when one is in flight; the form's values are read when
      // it is sent, so the queued one carries the newest answers and version.
      htmx.ajax("POST", url, { source: form, target: status, swap: "innerHTML" });
    }

    form.addEventListener("htmx:beforeRequest", function (event) {
      if (event.detail.elt !== form) {
        return;
      }
      if (submitting) {
        event.preventDefault(); // a queued autosave after the submit began
        return;
      }
      inFlight = true;
    });

    form.addEventListener("htmx:beforeSwap", function (event) {
      var xhr = event.detail.xhr;
      var answered = xhr.responseURL && new URL(xhr.responseURL).pathname === url;
      if (!answered) {
        // Redirected to the sign-in page: signed out, nothing saved.
        event.detail.shouldSwap = false;
        event.detail.isError = true;
      } else if (xhr.status === 409) {
        // Refused, in words for the live region; autosave stops, since every
        // later save from this page would be refused the same way.
        event.detail.shouldSwap = true;
        event.detail.isError = false;
        stale = true;
      }
    });

    form.addEventListener("htmx:afterRequest", function (event) {
      if (event.detail.elt !== form) {
        return;
      }
      inFlight = false;
      var xhr = event.detail.xhr;
      var ok = xhr && xhr.status === 200 && new URL(xhr.responseURL).pathname === url;
      if (ok) {
        document.dispatchEvent(new CustomEvent("session:renewed"));
      } else if (!stale && !submitting) {
        dirty = true;
        say(
          "Not saved: check your connection, or sign in again in another tab. " +
            "Your answers are still on this page."
        );
      }
      if (cleared) {
        cleared();
      }
    });

    form.addEventListener("input", function () {
      dirty = true;
    });
    form.addEventListener("change", function () {
      dirty = true;
    });
    form.addEventListener("focusout", function (event) {
      var next = event.relatedTarget;
      if (next && next.form === form && next.type === "submit") {
        return; // the button about to be pressed saves everything itself
      }
      save();
    });

    form.addEventListener("submit", function (event) {
      if (event.defaultPrevented) {
        return; // eoi.js adding a budget row, not a submit
      }
      submitting = true;
      if (!inFlight) {
        return; // the form itself saves everything
      }
      event.preventDefault();
      var button = event.submitter;
      var timer = null;
      say("Saving your answers before sending them…");
      cleared = function () {
        cleared = null;
        window.clearTimeout(timer);
        // Sent again as pressed, now carrying the version that autosave got.
        window.setTimeout(function () {
          form.requestSubmit(button && button.form === form ? button : undefined);
        }, 0);
      };
      timer = window.setTimeout(function () {
        htmx.trigger(form, "htmx:abort"); // answers through htmx:afterRequest
      }, WAIT);
    });

    window.setInterval(save, EVERY);
  }

  document.querySelectorAll("form[data-autosave-url]").forEach(attach);
})();
