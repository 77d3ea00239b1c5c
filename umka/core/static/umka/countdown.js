/* A countdown to a moment (a room's opening): <p data-countdown-to="ISO time"
   data-now="server's ISO time" data-label="Opens in" data-days="d" hidden>.
   The server's clock is the reference (its «now» is compared with the browser's at
   load), so a wrong clock on the phone does not matter. At zero the page reloads
   and shows what has opened. */
(function () {
  "use strict";
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function start(el) {
    var target = Date.parse(el.getAttribute("data-countdown-to"));
    var serverNow = Date.parse(el.getAttribute("data-now"));
    if (isNaN(target)) return;
    var skew = isNaN(serverNow) ? 0 : serverNow - Date.now();
    var out = el.querySelector("[data-countdown-value]") || el;
    var days = el.getAttribute("data-days") || "d";
    function tick() {
      var left = Math.max(0, Math.round((target - (Date.now() + skew)) / 1000));
      var d = Math.floor(left / 86400), h = Math.floor(left % 86400 / 3600);
      var m = Math.floor(left % 3600 / 60), s = left % 60;
      out.textContent = (d ? d + " " + days + " " : "") + pad(h) + ":" + pad(m) + ":" + pad(s);
      el.setAttribute("data-seconds-left", String(left));
      if (left === 0) {
        clearInterval(timer);
        window.location.reload();
      }
    }
    el.hidden = false;
    var timer = setInterval(tick, 1000);
    tick();
  }
  function all() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-countdown-to]"), start);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", all);
  else all();
})();
