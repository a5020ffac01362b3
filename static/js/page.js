/* Every page: the menu button on a narrow screen, and focus on an error summary.
 *
 * Without this script the navigation's links stay listed (the button is
 * `hidden` in the HTML), so nothing depends on it. With it, below 40em the
 * list collapses behind "Menu", which says whether it is open (aria-expanded).
 *
 * An error summary (class "error-summary", tabindex="-1") takes focus when
 * the page loads, as in the GOV.UK Design System: a screen reader reads it
 * first and a keyboard user starts from its links to the fields.
 */
(function () {
  "use strict";

  var header = document.querySelector(".site-header");
  var button = header && header.querySelector(".menu-button");
  var menu = button && document.getElementById(button.getAttribute("aria-controls"));
  if (button && menu) {
    header.classList.add("menu-ready");
    button.hidden = false;
    button.addEventListener("click", function () {
      var open = button.getAttribute("aria-expanded") !== "true";
      button.setAttribute("aria-expanded", String(open));
      menu.classList.toggle("open", open);
    });
    // Escape closes the open menu and puts focus back on its button.
    menu.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
        button.setAttribute("aria-expanded", "false");
        menu.classList.remove("open");
        button.focus();
      }
    });
  }

  var summary = document.querySelector(".error-summary");
  if (summary) {
    if (!summary.hasAttribute("tabindex")) {
      summary.setAttribute("tabindex", "-1");
    }
    summary.focus();
  }
})();
