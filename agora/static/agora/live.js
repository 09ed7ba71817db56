// Live updates (agora/live): one EventSource per page on /live, for the topics the page shows and the
// signed-in reader's bell. Events carry ids and counts only; the posts themselves are fetched from the
// topic page, which checks permissions as for any reader. Without JavaScript a reload shows everything.
(function () {
  "use strict";
  var posts = document.getElementById("posts");
  var bell = document.getElementById("bell");
  var ids = [];
  document.querySelectorAll("[data-live-topic]").forEach(function (el) {
    var id = el.getAttribute("data-live-topic");
    if (id && ids.indexOf(id) < 0) ids.push(id);
  });
  if (!window.EventSource || (!ids.length && !bell)) return;

  var topicId = posts && posts.getAttribute("data-live-topic");
  var slug = posts && posts.getAttribute("data-live-slug");
  // Only the last page of a topic grows at its end; an earlier page updates its own posts only.
  var growing = posts && posts.hasAttribute("data-live-last-page");
  var lang = document.documentElement.lang || undefined;

  function compact(n) {
    if (n < 1000) return String(n);
    try { return new Intl.NumberFormat(lang, { notation: "compact" }).format(n); } catch (e) { return String(n); }
  }

  function shownNumbers() {
    var numbers = [];
    if (!posts) return numbers;
    posts.querySelectorAll(":scope > [id^='post-']").forEach(function (el) {
      var n = parseInt(el.id.slice(5), 10);
      if (!isNaN(n)) numbers.push(n);
    });
    return numbers;
  }

  function lastShown() {
    return Math.max.apply(null, [0].concat(shownNumbers()));
  }

  // A reply posted from this page (htmx) and the same reply fetched live: keep one of each post.
  function dedupe() {
    if (!posts) return;
    var seen = {};
    var items = posts.querySelectorAll(":scope > [id^='post-']");
    for (var i = items.length - 1; i >= 0; i--) {
      if (seen[items[i].id]) items[i].remove();
      else seen[items[i].id] = true;
    }
  }

  // Fetch the topic page holding post `number` (the topic's own view: permissions, and the page cache
  // for visitors) and hand its post elements to `use`. One fetch at a time; a later wish waits.
  var busy = false;
  var wanted = null;
  function fetchPosts(number, use) {
    if (busy) { wanted = wanted || []; wanted.push([number, use]); return; }
    busy = true;
    fetch("/t/" + encodeURIComponent(slug) + "/" + topicId + "/" + number, { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : ""; })
      .then(function (html) {
        if (!html) return;
        var doc = new DOMParser().parseFromString(html, "text/html");
        var fetched = doc.getElementById("posts");
        if (fetched) use(Array.prototype.slice.call(fetched.querySelectorAll(":scope > [id^='post-']")));
      })
      .catch(function () {})
      .then(function () {
        busy = false;
        var next = wanted;
        wanted = null;
        if (next) next.forEach(function (w) { fetchPosts(w[0], w[1]); });
      });
  }

  function adopt(el) {
    var node = document.importNode(el, true);
    if (window.htmx) window.htmx.process(node);
    return node;
  }

  function appendNew(highest) {
    if (!posts || !growing || highest <= lastShown()) return;
    fetchPosts(highest, function (items) {
      var last = lastShown();
      items.forEach(function (el) {
        var n = parseInt(el.id.slice(5), 10);
        if (n > last && !document.getElementById(el.id)) {
          posts.appendChild(adopt(el));
          posts.dispatchEvent(new CustomEvent("agora:live-post", { bubbles: true, detail: { number: n } }));
        }
      });
      dedupe();
    });
  }

  function refreshPost(number) {
    if (!posts || !document.getElementById("post-" + number)) return;
    fetchPosts(number, function (items) {
      items.forEach(function (el) {
        var mine = document.getElementById(el.id);
        if (el.id === "post-" + number && mine) mine.replaceWith(adopt(el));
      });
    });
  }

  function setReplies(topic, replies) {
    document.querySelectorAll("[data-live-topic='" + topic + "'] [data-live-replies]").forEach(function (el) {
      el.textContent = compact(replies);
    });
  }

  function setBell(unread) {
    if (!bell) return;
    var badge = bell.querySelector(".notification-count");
    if (!unread) { if (badge) badge.remove(); return; }
    if (!badge) {
      badge = document.createElement("span");
      badge.className = "badge new notification-count";
      var label = document.createElement("span");
      label.className = "visually-hidden";
      label.textContent = " " + (bell.getAttribute("data-unread-label") || "");
      badge.appendChild(document.createTextNode(""));
      badge.appendChild(label);
      bell.appendChild(document.createTextNode(" "));
      bell.appendChild(badge);
    }
    badge.firstChild.nodeValue = compact(unread);
  }

  function onTopic(e) {
    var d = JSON.parse(e.data);
    setReplies(d.topic, d.replies);
    if (String(d.topic) !== topicId) return;
    if (e.type === "post") appendNew(d.highest);
    else if (e.type === "like") {
      var count = document.querySelector("#actions-" + d.id + " .count");
      if (count) count.textContent = compact(d.likes);
    } else refreshPost(d.number);
  }

  var source = null;
  function open(fresh) {
    var url = "/live?topics=" + ids.join(",");
    source = new EventSource(url);
    source.addEventListener("ready", function (e) {
      var topics = JSON.parse(e.data).topics || {};
      Object.keys(topics).forEach(function (id) {
        setReplies(id, topics[id].replies);
        if (id === topicId) appendNew(topics[id].highest);  // what came between the page and the stream
      });
      document.documentElement.setAttribute("data-live", "open");
    });
    ["post", "edit", "delete", "like"].forEach(function (name) { source.addEventListener(name, onTopic); });
    source.addEventListener("bell", function (e) { setBell(JSON.parse(e.data).unread); });
    // Disconnected for longer than the backlog: start afresh (the ready event catches up new posts).
    source.addEventListener("reload", function () { source.close(); open(true); });
    source.onerror = function () {
      // A refusal (or a server gone for good) closes the source; the browser retries anything else.
      if (source.readyState === EventSource.CLOSED) setTimeout(function () { open(true); }, 60000);
    };
    return fresh;
  }

  document.body.addEventListener("htmx:afterSettle", dedupe);
  open(true);
})();
