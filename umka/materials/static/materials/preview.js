// The first page of a PDF, made by the task queue after the upload: until it is
// there the thumbnail's address answers 404, so try again a few times, then show
// it. The image's data-state tells tests and styles where it is: pending, ready
// or none (no picture could be made in time).
(function () {
  "use strict";
  var img = document.getElementById("material-preview");
  if (!img) return;
  var source = img.getAttribute("data-src");
  var tries = 0;
  function attempt() {
    var probe = new Image();
    probe.onload = function () {
      img.src = probe.src;
      img.hidden = false;
      img.setAttribute("data-state", "ready");
    };
    probe.onerror = function () {
      tries += 1;
      if (tries < 60) {
        window.setTimeout(attempt, 1000);
      } else {
        img.setAttribute("data-state", "none");
      }
    };
    probe.src = source + (tries ? "?try=" + tries : "");
  }
  attempt();
})();
