// «Print» on the recovery codes page (no inline handlers: the site has a CSP).
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});
