/* The print form's «Print» button (no inline handlers: the site's CSP forbids them). */
document.addEventListener("click", function (event) {
  var button = event.target.closest && event.target.closest("[data-print]");
  if (button) window.print();
});
