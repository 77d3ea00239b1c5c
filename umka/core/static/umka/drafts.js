/* Drafts: nothing a person typed is lost.

   Every <form data-draft="KEY"> keeps what is typed in localStorage ("umka-draft:KEY")
   until the form is sent and the server accepted it. The draft is put back into the
   form when the page is drawn again: after a refused submit, after the connection
   dropped (back to the form), after a partial htmx reload of part of the form, or on
   the next visit. Files and passwords are never kept.

   How "accepted" is told: the submit is noted in sessionStorage; the next page drawn
   by a plain navigation (the redirect after the POST) removes the draft when it shows
   no form error and either has no such form or shows a success message. A refused
   submit shows errors (kept); after a dropped connection the form comes back by the
   back button or afresh, without a success message (kept).

   Signals for tests and scripts: the form gets data-draft-state="saved" after a save
   and "restored" after a restore; a "umka:draft-restored" event is dispatched on it. */
(function () {
  "use strict";
  var PREFIX = "umka-draft:";
  var SENT = "umka-draft-sent:";
  var SKIP = { file: 1, password: 1, hidden: 1, submit: 1, button: 1, reset: 1, image: 1 };
  var ERRORS = ".form-errors, .errorlist, .has-error, [aria-invalid=true]";

  function store(kind) {
    try {
      var s = window[kind];
      var probe = "__umka__";
      s.setItem(probe, probe);
      s.removeItem(probe);
      return s;
    } catch (e) {
      return null; // private mode or storage switched off: the form still works
    }
  }
  var local = store("localStorage");
  var session = store("sessionStorage");
  if (!local) return;

  function fields(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && !SKIP[el.type] && el.name !== "csrfmiddlewaretoken" && !el.disabled &&
        !el.hasAttribute("data-draft-skip");
    });
  }

  function read(form) {
    var data = {};
    fields(form).forEach(function (el) {
      if (el.type === "checkbox" || el.type === "radio") {
        if (!(el.name in data)) data[el.name] = [];
        if (el.checked) data[el.name].push(el.value);
      } else if (el.tagName === "SELECT" && el.multiple) {
        data[el.name] = Array.prototype.filter.call(el.options, function (o) {
          return o.selected;
        }).map(function (o) { return o.value; });
      } else {
        data[el.name] = el.value;
      }
    });
    return data;
  }

  function save(form) {
    var key = form.getAttribute("data-draft");
    var data = read(form);
    var typed = Object.keys(data).some(function (name) {
      var v = data[name];
      return Array.isArray(v) ? v.length > 0 : v !== "";
    });
    if (typed) {
      local.setItem(PREFIX + key, JSON.stringify({ at: Date.now(), fields: data }));
      form.setAttribute("data-draft-state", "saved");
    }
  }

  /* Put the draft back. Only fields that are empty on the page are filled, and
     choices only where the page shows the default: what the server drew from the
     submitted data wins over an older draft. */
  function restore(form) {
    var raw = local.getItem(PREFIX + form.getAttribute("data-draft"));
    if (!raw) return;
    var draft;
    try { draft = JSON.parse(raw).fields || {}; } catch (e) { return; }
    var changed = [];
    fields(form).forEach(function (el) {
      if (!(el.name in draft)) return;
      var want = draft[el.name];
      if (el.type === "checkbox" || el.type === "radio") {
        var on = want.indexOf(el.value) !== -1;
        if (el.checked !== on && el.checked === el.defaultChecked && !form.hasAttribute("data-draft-bound")) {
          el.checked = on;
          changed.push(el);
        }
      } else if (el.tagName === "SELECT") {
        if (el.multiple || el.value === want || form.hasAttribute("data-draft-bound")) return;
        var has = Array.prototype.some.call(el.options, function (o) { return o.value === want; });
        var atDefault = Array.prototype.every.call(el.options, function (o) {
          return o.selected === o.defaultSelected;
        });
        if (has && atDefault) {
          el.value = want;
          changed.push(el);
        }
      } else if (el.value === "" && typeof want === "string" && want !== "") {
        el.value = want;
        changed.push(el);
      }
    });
    form.setAttribute("data-draft-state", "restored");
    form.dispatchEvent(new CustomEvent("umka:draft-restored", { bubbles: true }));
    /* A restored choice that others depend on (hx-get on change) redraws them; the
       request carries every field, so nothing is lost on the way. */
    var redraw = changed.filter(function (el) { return el.hasAttribute("hx-get"); });
    if (redraw.length) redraw[redraw.length - 1].dispatchEvent(new Event("change", { bubbles: true }));
  }

  function navigationType() {
    var nav = window.performance && performance.getEntriesByType &&
      performance.getEntriesByType("navigation")[0];
    return nav ? nav.type : "navigate";
  }

  /* The page after a submit: drop the drafts the server accepted. */
  function settle() {
    if (!session) return;
    var accepted = navigationType() === "navigate";
    Object.keys(session).forEach(function (name) {
      if (name.indexOf(SENT) !== 0) return;
      var key = name.slice(SENT.length);
      var fresh = Date.now() - Number(session.getItem(name) || 0) < 10 * 60 * 1000;
      session.removeItem(name);
      var form = document.querySelector('form[data-draft="' + key + '"]');
      var refused = form ? form.querySelector(ERRORS) : document.querySelector(ERRORS);
      /* Accepted: the page moved on (the form is gone) or says it went well. The
         same form opened afresh after a dropped connection keeps the draft. */
      var done = !form || document.querySelector(".messages .success");
      if (fresh && accepted && done && !refused) local.removeItem(PREFIX + key);
    });
  }

  function watch(root) {
    var forms = root.querySelectorAll ? root.querySelectorAll("form[data-draft]") : [];
    if (root.matches && root.matches("form[data-draft]")) forms = [root];
    Array.prototype.forEach.call(forms, function (form) {
      if (form.__umkaDraft) return;
      form.__umkaDraft = true;
      form.addEventListener("input", function () { save(form); });
      form.addEventListener("change", function () { save(form); });
      form.addEventListener("submit", function () {
        save(form);
        if (session) session.setItem(SENT + form.getAttribute("data-draft"), String(Date.now()));
      });
      restore(form);
    });
  }

  function start() {
    settle();
    watch(document);
    /* htmx redraws part of a form: fill what the new fragment lost, from the draft
       saved just before the request went out. */
    document.body.addEventListener("htmx:beforeRequest", function (event) {
      var form = event.target.closest && event.target.closest("form[data-draft]");
      if (form) save(form);
    });
    document.body.addEventListener("htmx:afterSettle", function (event) {
      var form = event.target.closest && event.target.closest("form[data-draft]");
      if (form) {
        var bound = form.hasAttribute("data-draft-bound");
        form.removeAttribute("data-draft-bound");
        restoreFragment(form);
        if (bound) form.setAttribute("data-draft-bound", "");
      } else {
        watch(event.target);
      }
    });
  }

  /* After a partial reload only empty text fields are filled back (the choices the
     person just made are on the new fragment already). */
  function restoreFragment(form) {
    var raw = local.getItem(PREFIX + form.getAttribute("data-draft"));
    if (!raw) return;
    var draft;
    try { draft = JSON.parse(raw).fields || {}; } catch (e) { return; }
    fields(form).forEach(function (el) {
      var want = draft[el.name];
      if (el.tagName === "SELECT" || el.type === "checkbox" || el.type === "radio") return;
      if (el.value === "" && typeof want === "string" && want !== "") el.value = want;
    });
    form.setAttribute("data-draft-state", "restored");
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
