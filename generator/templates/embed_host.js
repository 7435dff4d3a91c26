/* dienhinh embeds on another site's page: each of our iframes (data-secret="...") takes the
   height its content says, as WordPress' wp-embed.js does with the same messages. Loaded once
   per host page, from the snippet; it reads nothing of the host page but its own iframes. */
(function () {
  "use strict";
  if (window.dienhinhEmbeds) return;  // the snippet may be pasted more than once on a page
  window.dienhinhEmbeds = true;

  function frames(secret) {
    return document.querySelectorAll('iframe[data-secret="' + secret + '"]');
  }

  window.addEventListener("message", function (event) {
    var data = event.data;
    if (!data || data.message !== "height" || !/^[A-Za-z0-9]+$/.test(String(data.secret))) return;
    var height = parseInt(data.value, 10);
    if (!(height > 0 && height < 5000)) return;
    Array.prototype.forEach.call(frames(data.secret), function (frame) {
      if (frame.contentWindow === event.source) frame.height = String(height);
    });
  });

  // Frames that loaded before this script: ask them for their height again.
  function ask() {
    Array.prototype.forEach.call(document.querySelectorAll("iframe[data-secret]"), function (frame) {
      if (frame.contentWindow) frame.contentWindow.postMessage({ message: "ready", secret: frame.dataset.secret }, "*");
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ask);
  else ask();
})();
