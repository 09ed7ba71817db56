// Reading, counted honestly for trust levels: which posts were on screen (for a second at least, with
// the page visible) and how long the page was visible. Sent in batches every ~30 s and when
// the page is left (navigator.sendBeacon), as a form with the CSRF token, to POST /read.
(function () {
  "use strict";
  var root = document.getElementById("reading");
  if (!root || !("IntersectionObserver" in window)) return;
  // From now on this browser's topic pages are counted from these reports, not from what was rendered.
  document.cookie = "agora_reading=js; path=/; max-age=31536000; samesite=lax";
  var url = root.dataset.url, topic = root.dataset.topic, csrf = root.dataset.csrf;
  var BATCH_MS = 30000, SEEN_MS = 1000;
  var sent = {}; // post numbers already reported from this page
  var pending = {}; // seen since the last batch
  var timers = {}; // number -> timeout while the post is on screen
  var visibleMs = 0, visibleSince = document.visibilityState === "visible" ? Date.now() : null;

  function numberOf(el) {
    var m = /^post-(\d+)$/.exec(el.id || "");
    return m ? parseInt(m[1], 10) : null;
  }

  var observer = new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      var n = numberOf(entry.target);
      if (n === null || sent[n] || pending[n]) return;
      if (entry.isIntersecting) {
        if (!timers[n]) {
          timers[n] = setTimeout(function () {
            if (document.visibilityState === "visible") pending[n] = true;
            delete timers[n];
          }, SEEN_MS);
        }
      } else if (timers[n]) {
        clearTimeout(timers[n]);
        delete timers[n];
      }
    });
  }, { threshold: [0, 0.5] });

  function watch(scope) {
    scope.querySelectorAll("article.post[id^='post-']").forEach(function (el) {
      if (!el.classList.contains("deleted")) observer.observe(el);
    });
  }
  watch(document);
  var posts = document.getElementById("posts");
  if (posts && "MutationObserver" in window) {
    // Replies added by htmx are read like the others.
    new MutationObserver(function () { watch(posts); }).observe(posts, { childList: true, subtree: true });
  }

  function takeTime() {
    var now = Date.now();
    if (visibleSince !== null) {
      visibleMs += now - visibleSince;
      visibleSince = document.visibilityState === "visible" ? now : null;
    }
    var seconds = Math.floor(visibleMs / 1000);
    visibleMs -= seconds * 1000;
    return seconds;
  }

  function send(leaving) {
    var numbers = Object.keys(pending);
    var seconds = takeTime();
    if (!numbers.length && !seconds) return;
    var data = new FormData();
    data.append("csrfmiddlewaretoken", csrf);
    data.append("topic", topic);
    data.append("posts", numbers.join(","));
    data.append("seconds", String(seconds));
    numbers.forEach(function (n) { sent[n] = true; });
    pending = {};
    if (leaving && navigator.sendBeacon) {
      navigator.sendBeacon(url, data);
    } else {
      fetch(url, { method: "POST", body: data, credentials: "same-origin", keepalive: true }).catch(function () {});
    }
  }

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") {
      send(true);
      visibleSince = null;
    } else {
      visibleSince = Date.now();
    }
  });
  window.addEventListener("pagehide", function () { send(true); });
  setInterval(function () { send(false); }, BATCH_MS);
})();
