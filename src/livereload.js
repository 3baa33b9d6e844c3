// Injected by `paperhub serve` into served pages (never into output/).
(function () {
  "use strict";
  var overlay = null;
  function show(text) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "paperhub-overlay";
      overlay.setAttribute("role", "alert");
      overlay.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;background:rgba(20,22,26,.94);color:#f3f4f6;font:14px/1.5 ui-monospace,Menlo,Consolas,monospace;padding:2rem;white-space:pre-wrap";
      var title = document.createElement("strong");
      title.textContent = "paperhub: the site did not build. The page shows the last good build.\n\n";
      title.style.color = "#ff8a8a";
      overlay.appendChild(title);
      overlay.appendChild(document.createElement("div"));
      document.body.appendChild(overlay);
    }
    overlay.lastChild.textContent = text;
  }
  function hide() { if (overlay) { overlay.remove(); overlay = null; } }
  var source = new EventSource("/__paperhub/events");
  // Lets tests (and the curious) see whether the page is connected.
  window.paperhubLiveReload = source;
  // A page kept in the back/forward cache must not hold a connection (the
  // browser allows few per host); one restored from it reloads to be current.
  window.addEventListener("pagehide", function () { source.close(); });
  window.addEventListener("pageshow", function (e) { if (e.persisted) location.reload(); });
  source.addEventListener("reload", function () { location.reload(); });
  source.addEventListener("ok", hide);
  source.addEventListener("build-error", function (e) { show(e.data); });
  source.addEventListener("css", function () {
    hide();
    document.querySelectorAll('link[rel="stylesheet"]').forEach(function (link) {
      var url = new URL(link.href);
      url.searchParams.set("reload", Date.now());
      link.href = url.href;
    });
  });
})();
