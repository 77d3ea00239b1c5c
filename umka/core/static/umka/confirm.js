/* Confirming what cannot be undone.

   A <form data-confirm="Question?"> (optionally data-confirm-yes="Yes, cancel" and
   data-confirm-no="Keep it") asks in a <dialog> before it is sent; «yes» sends the form
   with confirmed=yes. Without JavaScript the server asks on a page of its own (the
   same form comes back with the question: umka.core.confirm), so nothing irreversible
   happens on one tap either way. */
(function () {
  "use strict";
  var dialog = null;

  function build() {
    dialog = document.createElement("dialog");
    dialog.className = "confirm-dialog";
    dialog.id = "confirm-dialog";
    dialog.setAttribute("aria-labelledby", "confirm-dialog-text");
    var form = document.createElement("form");
    form.method = "dialog";
    var text = document.createElement("p");
    text.id = "confirm-dialog-text";
    var row = document.createElement("p");
    row.className = "confirm-actions";
    var yes = document.createElement("button");
    yes.type = "submit";
    yes.value = "yes";
    yes.className = "button danger";
    yes.id = "confirm-dialog-yes";
    var no = document.createElement("button");
    no.type = "submit";
    no.value = "no";
    no.className = "button secondary";
    no.id = "confirm-dialog-no";
    row.appendChild(yes);
    row.appendChild(no);
    form.appendChild(text);
    form.appendChild(row);
    dialog.appendChild(form);
    document.body.appendChild(dialog);
  }

  function ask(form, submitter) {
    if (!dialog) build();
    dialog.querySelector("#confirm-dialog-text").textContent = form.getAttribute("data-confirm");
    var english = document.documentElement.lang === "en";
    dialog.querySelector("#confirm-dialog-yes").textContent =
      form.getAttribute("data-confirm-yes") || (english ? "Yes" : "Да");
    dialog.querySelector("#confirm-dialog-no").textContent =
      form.getAttribute("data-confirm-no") || (english ? "No" : "Нет");
    dialog.returnValue = "";
    dialog.onclose = function () {
      if (dialog.returnValue !== "yes") {
        if (submitter) submitter.focus();
        return;
      }
      var flag = form.querySelector('input[name="confirmed"]');
      if (!flag) {
        flag = document.createElement("input");
        flag.type = "hidden";
        flag.name = "confirmed";
        form.appendChild(flag);
      }
      flag.value = "yes";
      if (form.requestSubmit) form.requestSubmit(submitter || undefined);
      else form.submit();
    };
    dialog.showModal();
    dialog.querySelector("#confirm-dialog-no").focus();
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-confirm]")) return;
    var flag = form.querySelector('input[name="confirmed"]');
    if (flag && flag.value === "yes") return;
    if (typeof HTMLDialogElement !== "function") return; // the server asks instead
    event.preventDefault();
    event.stopPropagation(); // not sent yet: the form's own listeners wait for «yes»
    ask(form, event.submitter);
  }, true);
})();
