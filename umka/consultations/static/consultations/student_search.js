// The planning form's «Choose individual students»: a search box that filters the
// student checkboxes by the typed name, and the count of chosen students in the
// disclosure's summary. Without JavaScript the <details> still opens and the whole
// list is there; the box stays hidden. The list itself is redrawn by htmx when the
// classes change (#f-students, swapped out of band): the filter is applied again.
(function () {
  "use strict";

  function norm(text) {
    return (text || "").toLocaleLowerCase("ru").replace(/ё/g, "е").replace(/\s+/g, " ").trim();
  }

  function filter() {
    var box = document.getElementById("student-search");
    var list = document.getElementById("f-students");
    if (!box || !list) {
      return;
    }
    var words = norm(box.value).split(" ").filter(Boolean);
    var shown = 0;
    var inputs = list.querySelectorAll("input[type=checkbox][name=students]");
    inputs.forEach(function (input) {
      var label = input.closest("label");
      var row = label ? label.parentElement : input.parentElement;
      var text = norm(label ? label.textContent : "");
      // A chosen student stays visible, so nobody is ticked out of sight.
      var match = input.checked || words.every(function (w) { return text.indexOf(w) !== -1; });
      row.hidden = !match;
      if (match) {
        shown += 1;
      }
    });
    // A class heading goes when none of its students is shown.
    list.querySelectorAll("#id_students > div").forEach(function (group) {
      var rows = group.querySelectorAll("input[name=students]");
      var any = Array.prototype.some.call(rows, function (input) {
        var label = input.closest("label");
        return !(label ? label.parentElement : input.parentElement).hidden;
      });
      group.hidden = !any;
    });
    var status = document.getElementById("student-search-status");
    if (status) {
      var search = box.closest("[data-student-search]");
      if (!words.length) {
        status.textContent = "";
      } else if (shown === 0) {
        status.textContent = search.dataset.none;
      } else {
        status.textContent = search.dataset.found.replace("%(n)s", String(shown));
      }
    }
  }

  function count() {
    var out = document.getElementById("students-chosen-count");
    var list = document.getElementById("f-students");
    if (!out || !list) {
      return;
    }
    var n = list.querySelectorAll("input[name=students]:checked").length;
    out.textContent = n ? " (" + out.dataset.template.replace("%(n)s", String(n)) + ")" : "";
  }

  function start() {
    var search = document.querySelector("[data-student-search]");
    if (!search) {
      return;
    }
    search.hidden = false;
    filter();
    count();
  }

  document.addEventListener("input", function (event) {
    if (event.target && event.target.id === "student-search") {
      filter();
    }
  });
  document.addEventListener("keydown", function (event) {
    // Enter in the search box must not send the whole form.
    if (event.key === "Enter" && event.target && event.target.id === "student-search") {
      event.preventDefault();
    }
  });
  document.addEventListener("change", function (event) {
    if (event.target && event.target.name === "students") {
      count();
    }
  });
  ["htmx:oobAfterSwap", "htmx:afterSettle"].forEach(function (name) {
    document.addEventListener(name, function () {
      filter();
      count();
    });
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
