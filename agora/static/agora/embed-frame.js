// Inside the framed widget: tell the page that frames it how tall the list is, so embed.js can size the
// frame (no scrollbar, no gap). Only a number is sent; the page checks who sent it.
(function () {
  "use strict";
  if (window.parent === window) return;
  var last = 0;
  function send() {
    var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height === last) return;
    last = height;
    window.parent.postMessage({ agoraEmbedHeight: height }, "*");
  }
  window.addEventListener("load", send);
  window.addEventListener("resize", send);
  if (window.ResizeObserver) new ResizeObserver(send).observe(document.documentElement);
  send();
})();
