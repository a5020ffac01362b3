/* Django's admin, where hub admins configure their hub: one fault its own
 * scripts leave (templates/admin/base_site.html adds this file).
 *
 * The two-box picker (filter_horizontal, e.g. a partner's specialisms) names
 * its filter boxes with an aria-label on a plain <span> icon, which ARIA does
 * not allow (axe aria-prohibited-attr), so the name may be dropped. As an
 * image the icon may carry the name, and the label then gives it to the box.
 * SelectFilter2.js draws the picker on window load, after this script runs,
 * so the fix waits for the same event and then for the picker's turn.
 */
(function () {
  "use strict";

  function nameIcons(root) {
    root.querySelectorAll("span.help-tooltip[aria-label]:not([role])").forEach(function (icon) {
      icon.setAttribute("role", "img");
    });
  }

  window.addEventListener("load", function () {
    window.setTimeout(function () {
      nameIcons(document);
    }, 0);
  });
  // A row added to an inline may bring its own picker.
  document.addEventListener("formset:added", function (event) {
    window.setTimeout(function () {
      nameIcons(event.target);
    }, 0);
  });
})();
