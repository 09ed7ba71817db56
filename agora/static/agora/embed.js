// Agora's widget for wiki pages and other sites. Include this script, then a link:
//   <a class="agora-embed" href="https://agora.example/embed/topics?tag=wikisource">Topics</a>
// Each such link becomes a frame of that list, sized to it by the framed page's messages. Without
// scripts the link stays a link.
(function () {
  "use strict";
  var PATH = /\/embed\/(topics|stories|events)$/;
  var MAX_HEIGHT = 4000;
  var frames = [];

  function upgrade(link) {
    if (link.getAttribute("data-agora-embedded")) return;
    var url;
    try {
      url = new URL(link.getAttribute("href"), document.baseURI);
    } catch (e) {
      return;
    }
    if (!/^https?:$/.test(url.protocol) || !PATH.test(url.pathname)) return;
    var frame = document.createElement("iframe");
    frame.src = url.href;
    frame.title = link.textContent || "Agora";
    frame.className = "agora-embed-frame";
    frame.setAttribute("loading", "lazy");
    frame.setAttribute("referrerpolicy", "strict-origin-when-cross-origin");
    // Set through the CSSOM, which a page's Content-Security-Policy allows (a style attribute it may not).
    frame.style.width = "100%";
    frame.style.border = "0";
    frame.style.height = "12rem";
    frame.style.display = "block";
    frames.push({ frame: frame, origin: url.origin });
    link.setAttribute("data-agora-embedded", "1");
    link.parentNode.replaceChild(frame, link);
  }

  window.addEventListener("message", function (event) {
    var data = event.data;
    if (!data || typeof data.agoraEmbedHeight !== "number") return;
    for (var i = 0; i < frames.length; i++) {
      var f = frames[i];
      if (f.frame.contentWindow === event.source && event.origin === f.origin) {
        var height = Math.max(0, Math.min(MAX_HEIGHT, Math.ceil(data.agoraEmbedHeight)));
        f.frame.style.height = height + "px";
        f.frame.setAttribute("data-agora-height", String(height));
      }
    }
  });

  function scan() {
    var links = document.querySelectorAll("a.agora-embed");
    for (var i = 0; i < links.length; i++) upgrade(links[i]);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", scan);
  else scan();
})();
