/*
 * The expression of interest form (templates/commissioning/calls/eoi_form.html),
 * made easier with JavaScript; everything works without it.
 *
 * - Autosave is static/js/autosave.js (with htmx), shared with the monitoring
 *   report form: the form's data-autosave-url says where, hx-params what to
 *   leave out (the files), [data-autosave-status] where to answer, and
 *   #draft-version which saved draft the page holds, so a late autosave is
 *   refused rather than putting older budget rows back.
 * - Word counts: each textarea with data-word-limit updates its
 *   "<id>_count" element ("123 of 500 words"), a polite live region.
 * - "Add another cost" / "Add another funding source" add a row from the
 *   formset's <template> instead of saving and reloading the page.
 * - The totals of costs and funding follow what is typed.
 *
 * No inline script or style: the Content-Security-Policy allows neither.
 */
(function () {
  "use strict";

  var form = document.getElementById("eoi-form");
  if (!form) {
    return;
  }
  // ── word counts ─────────────────────────────────────────────────────────
  function countWords(text) {
    var trimmed = text.trim();
    return trimmed ? trimmed.split(/\s+/).length : 0;
  }

  form.querySelectorAll("textarea[data-word-limit]").forEach(function (area) {
    var limit = Number(area.dataset.wordLimit);
    var output = document.getElementById(area.id + "_count");
    if (!output) {
      return;
    }
    var described = (area.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
    if (described.indexOf(output.id) === -1) {
      described.push(output.id);
      area.setAttribute("aria-describedby", described.join(" "));
    }
    var timer = null;
    function update() {
      var n = countWords(area.value);
      var text = n + " of " + limit + " words";
      if (n > limit) {
        text += ": " + (n - limit) + " too many";
      }
      output.textContent = text;
      output.classList.toggle("error-message", n > limit);
    }
    // A short pause before the live region changes, so a screen reader
    // hears the count when typing stops, not at every key.
    area.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(update, 250);
    });
  });

  // ── budget rows and totals ──────────────────────────────────────────────
  function amount(input) {
    var value = parseFloat(String(input.value).replace(/[£,\s]/g, ""));
    return isNaN(value) ? 0 : value;
  }

  function updateTotal(prefix) {
    var out = form.querySelector('[data-total="' + prefix + '"]');
    var lines = document.getElementById(prefix + "-lines");
    if (!out || !lines) {
      return;
    }
    var sum = 0;
    lines.querySelectorAll("fieldset").forEach(function (row) {
      var remove = row.querySelector('input[name$="-DELETE"]');
      var input = row.querySelector('input[name$="-amount"]');
      if (input && !(remove && remove.checked)) {
        sum += amount(input);
      }
    });
    out.textContent = sum.toLocaleString("en-GB", {
      minimumFractionDigits: 2,
      maximumFractionDigits: 2,
    });
  }

  ["costs", "funding"].forEach(function (prefix) {
    var lines = document.getElementById(prefix + "-lines");
    if (lines) {
      lines.addEventListener("input", function () {
        updateTotal(prefix);
      });
      lines.addEventListener("change", function () {
        updateTotal(prefix);
      });
    }
  });

  form.querySelectorAll("[data-add-line]").forEach(function (button) {
    var prefix = button.dataset.addLine;
    var template = document.getElementById(prefix + "-template");
    var lines = document.getElementById(prefix + "-lines");
    var total = form.querySelector("#id_" + prefix + "-TOTAL_FORMS");
    if (!template || !lines || !total) {
      return;
    }
    button.addEventListener("click", function (event) {
      event.preventDefault();
      var index = Number(total.value);
      lines.insertAdjacentHTML("beforeend", template.innerHTML.replace(/__prefix__/g, index));
      total.value = String(index + 1);
      var row = lines.lastElementChild;
      var legend = row.querySelector("legend");
      if (legend) {
        legend.textContent = lines.dataset.lineLabel + " " + lines.children.length;
      }
      var first = row.querySelector("input, select");
      if (first) {
        first.focus();
      }
    });
  });
})();
