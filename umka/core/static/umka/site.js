// The header's person menu (folded behind the menu button on a phone).
(function () {
  "use strict";
  function setOpen(button, menu, open) {
    button.setAttribute("aria-expanded", open ? "true" : "false");
    menu.classList.toggle("is-open", open);
  }
  function init() {
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
