/*
 * Autosave for any form with data-autosave-url (a partner's monitoring
 * report; the same behaviour as the expression of interest form): every 30
 * seconds, and whenever a field is left, a changed form is posted (file
 * inputs named in data-autosave-skip left out) with the CSRF token. The
 * answer ("Saved at 10:42.") goes in the form's polite live region
 * [data-autosave-status]. A failure keeps the answers on the page and says so.
 * Everything works without JavaScript: the form's own "Save draft" button.
 */
(function () {
  "use strict";

  var EVERY = 30000;

  function attach(form) {
    var status = form.querySelector("[data-autosave-status]");
    var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
    var skip = (form.dataset.autosaveSkip || "").split(" ").filter(Boolean);
    var dirty = false;
    var busy = false;

    function say(message) {
      if (status) {
        status.textContent = message;
      }
    }

    function payload() {
      var data = new FormData(form);
      skip.forEach(function (name) {
        data.delete(name);
      });
      data.set("action", "autosave");
      return data;
    }

    function save() {
      if (!dirty || busy) {
        return;
      }
      busy = true;
      dirty = false;
      fetch(form.dataset.autosaveUrl, {
        method: "POST",
        body: payload(),
        credentials: "same-origin",
        redirect: "manual",
        headers: { "X-CSRFToken": csrf, Accept: "application/json" },
      })
        .then(function (response) {
          if (response.type === "opaqueredirect" || response.status === 403) {
            throw new Error("signed out");
          }
          return response.json().then(function (body) {
            say(body.message);
            if (response.ok) {
              document.dispatchEvent(new CustomEvent("session:renewed"));
            }
          });
        })
        .catch(function () {
          dirty = true;
          say(
            "Not saved: check your connection, or sign in again in another tab. " +
              "Your answers are still on this page."
          );
        })
        .then(function () {
          busy = false;
        });
    }

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
    form.addEventListener("submit", function () {
      dirty = false; // the form itself saves everything
    });
    window.setInterval(save, EVERY);
  }

  document.querySelectorAll("form[data-autosave-url]").forEach(attach);
})();
