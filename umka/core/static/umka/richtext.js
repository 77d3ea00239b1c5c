// The browser half of the rich-text path (umka.core.richtext): KaTeX typesets the
// maths the server left as TeX text, and an image pasted into a textarea that
// names an upload address (data-image-upload) is stored through the server's one
// upload check and inserted as Markdown.
(function () {
  "use strict";

  function typeset(root) {
    if (!window.katex) return;
    root.querySelectorAll(".math.inline, .math.block").forEach(function (el) {
      if (el.dataset.typeset) return;
      var tex = el.textContent;
      try {
        window.katex.render(tex, el, {
          displayMode: el.classList.contains("block"),
          throwOnError: false,
          trust: false,
          maxExpand: 500,
        });
        el.dataset.typeset = "1";
        el.setAttribute("title", tex);
      } catch (e) {
        el.textContent = tex;
      }
    });
  }

  function insertAt(area, text) {
    var start = area.selectionStart, end = area.selectionEnd;
    area.value = area.value.slice(0, start) + text + area.value.slice(end);
    area.selectionStart = area.selectionEnd = start + text.length;
    area.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function csrfToken() {
    var field = document.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function onPaste(event) {
    var area = event.target;
    var url = area.dataset.imageUpload;
    if (!url || !event.clipboardData) return;
    var files = Array.prototype.filter.call(event.clipboardData.files || [], function (f) {
      return /^image\/(png|jpeg)$/.test(f.type);
    });
    if (!files.length) return;
    event.preventDefault();
    var status = document.getElementById(area.id + "-paste-status");
    files.forEach(function (file) {
      var body = new FormData();
      var name = file.name && file.name !== "image.png" ? file.name : "image." + file.type.split("/")[1];
      body.append("image", file, name);
      if (status) status.textContent = status.dataset.uploading || "";
      fetch(url, { method: "POST", body: body, headers: { "X-CSRFToken": csrfToken() }, credentials: "same-origin" })
        .then(function (r) { return r.json().then(function (data) { return { ok: r.ok, data: data }; }); })
        .then(function (result) {
          if (result.ok) {
            insertAt(area, result.data.markdown);
            if (status) status.textContent = "";
          } else if (status) {
            status.textContent = result.data.error;
          }
        })
        .catch(function () { if (status) status.textContent = status.dataset.failed || ""; });
    });
  }

  document.addEventListener("paste", function (event) {
    if (event.target && event.target.matches && event.target.matches("textarea[data-image-upload]")) {
      onPaste(event);
    }
  });
  document.addEventListener("DOMContentLoaded", function () { typeset(document); });
  document.addEventListener("htmx:afterSwap", function (e) { typeset(e.target); });
  window.umkaTypeset = typeset;
})();
