// The header's person menu (folded behind the menu button on a phone), and
// scrolling table boxes a keyboard can reach.
(function () {
  "use strict";
  function setOpen(button, menu, open) {
    button.setAttribute("aria-expanded", open ? "true" : "false");
    menu.classList.toggle("is-open", open);
  }
  // A table wider than the screen scrolls in its box: the box must take the focus,
  // so that a keyboard can scroll it (large text in the low-vision version).
  function markScrollBoxes() {
    document.querySelectorAll(".table-scroll:not([tabindex])").forEach(function (box) {
      box.setAttribute("tabindex", "0");
    });
  }
  function init() {
    markScrollBoxes();
    document.body.addEventListener("htmx:afterSettle", markScrollBoxes);
    var button = document.querySelector(".menu-button");
    var menu = document.getElementById("person-menu");
    if (button && menu) {
      button.addEventListener("click", function () {
        setOpen(button, menu, button.getAttribute("aria-expanded") !== "true");
      });
      document.addEventListener("keydown", function (event) {
        if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
          setOpen(button, menu, false);
          button.focus();
        }
      });
      document.addEventListener("click", function (event) {
        if (!menu.contains(event.target) && !button.contains(event.target)) {
          setOpen(button, menu, false);
        }
      });
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
