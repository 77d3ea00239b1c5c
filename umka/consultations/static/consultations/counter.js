// Keeps the «characters left» line under a limited text area current while the
// person types. The server renders the same line, so without JavaScript it is
// right as of the last page load.
(function () {
  "use strict";
  var rules = window.Intl && Intl.PluralRules
    ? new Intl.PluralRules(document.documentElement.lang || "ru")
    : null;

  function update(field) {
    var out = document.getElementById(field.id + "_count");
    if (!out) {
      return;
    }
    var limit = parseInt(out.dataset.limit, 10);
    var left = limit - field.value.replace(/\r\n?/g, "\n").length;
    var template;
    if (left < 0) {
      template = out.dataset.over;
      left = -left;
    } else {
      var form = rules ? rules.select(left) : "many";
      template = out.dataset[form] || out.dataset.many;
    }
    out.textContent = template.replace("%(n)s", String(left));
    out.classList.toggle("over", template === out.dataset.over);
  }

  document.addEventListener("input", function (event) {
    var field = event.target;
    if (field.matches && field.matches("textarea[data-counted]")) {
      update(field);
    }
  });
})();
