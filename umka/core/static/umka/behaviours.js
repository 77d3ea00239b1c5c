// Small page behaviours declared in the templates by data attributes, so that no
// template needs an inline <script> or an on*= attribute (the Content-Security-
// Policy forbids both):
//   data-print                 a button that prints the page
//   data-select-on-click       a field whose text is selected on click (to copy)
//   data-autosubmit            a select that submits its form when changed
// (data-confirm="question", a form that asks before it is sent, is confirm.js's: a
// <dialog>, and the server asks again where JavaScript does not run.)
//   data-submit-once           a form sent at most once (a double click sends once)
//   data-focus-on-swap         a heading htmx has just drawn (a refusal's panel):
//                              focus moves there, so the button pressed, now gone,
//                              does not leave keyboard and screen reader at the top
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!(target instanceof Element)) return;
    if (target.closest("[data-print]")) {
      event.preventDefault();
      window.print();
      return;
    }
    var field = target.closest("[data-select-on-click]");
    if (field && typeof field.select === "function") field.select();
  });

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target instanceof Element && target.matches("[data-autosubmit]") && target.form) {
      target.form.submit();
    }
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement)) return;
    if (form.hasAttribute("data-submit-once")) {
      if (form.dataset.sent) {
        event.preventDefault();
        return;
      }
      form.dataset.sent = "1";
      var button = form.querySelector("[type=submit]");
      if (button) button.setAttribute("aria-busy", "true");
    }
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail && event.detail.target;
    if (!(target instanceof Element)) return;
    var heading = target.querySelector("[data-focus-on-swap]");
    if (!heading) return;
    if (!heading.hasAttribute("tabindex")) heading.setAttribute("tabindex", "-1");
    heading.focus();
  });
})();
