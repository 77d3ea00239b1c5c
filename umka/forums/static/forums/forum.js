// A thread page hears of new and changed posts over the thread's WebSocket
// (umka/forums/consumers.py) and fetches each as its reader may see it, so a
// post appears without a reload. The page's own signals: #thread[data-live]
// is "open" while connected, and each post is article#post-<id>.
(function () {
  "use strict";
  var config = document.getElementById("forum-live");
  var thread = document.getElementById("thread");
  var posts = document.getElementById("posts");
  var status = document.getElementById("live-status");
  if (!config || !thread || !posts || !window.WebSocket) return;
  var cfg = JSON.parse(config.textContent);
  var last = cfg.last;
  var retry = 1000;
  var queue = Promise.resolve();

  function fragmentUrl(id) {
    return cfg.fragment.replace(/\/0\/fragment\/$/, "/" + id + "/fragment/");
  }

  function place(id) {
    var known = document.getElementById("post-" + id);
    if (!known && !cfg.on_last_page) {
      if (status) status.textContent = status.dataset.newElsewhere || "";
      return Promise.resolve();
    }
    return fetch(fragmentUrl(id), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        if (html === null) return;
        var holder = document.createElement("template");
        holder.innerHTML = html.trim();
        var node = holder.content.firstElementChild;
        if (!node) return;
        var current = document.getElementById("post-" + id);
        if (current) {
          current.replaceWith(node);
        } else {
          node.classList.add("is-new");
          posts.appendChild(node);
          var empty = document.getElementById("no-posts");
          if (empty) empty.remove();
        }
        if (id > last) last = id;
        if (window.umkaTypeset) window.umkaTypeset(node);
      });
  }

  function later(id) {
    queue = queue.then(function () { return place(id); }).catch(function () {});
  }

  function closed(locked) {
    var form = document.getElementById("reply-form");
    if (locked && form) {
      form.querySelectorAll("textarea, input, button").forEach(function (el) { el.disabled = true; });
      if (status) status.textContent = status.dataset.locked || "";
    }
  }

  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + location.host + cfg.ws + "?after=" + last);
    socket.onopen = function () { thread.dataset.live = "open"; retry = 1000; };
    socket.onmessage = function (event) {
      var message = JSON.parse(event.data);
      if (message.type === "hello") {
        (message.missed || []).forEach(later);
      } else if (message.type === "post") {
        later(message.id);
      } else if (message.type === "thread") {
        closed(message.locked);
      }
    };
    socket.onclose = function (event) {
      thread.dataset.live = "closed";
      if (event.code === 4404) return;
      setTimeout(connect, retry);
      retry = Math.min(retry * 2, 30000);
    };
  }
  connect();
})();
