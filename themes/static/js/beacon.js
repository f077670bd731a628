// Counts one view of this product or fair page for the agency's demand figures.
// The page itself comes from a shared cache, so the site asks here once per view: no cookie is
// sent (credentials omitted), and a browser that asks not to be tracked sends nothing at all.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !window.fetch) {
    return;
  }
  if (navigator.globalPrivacyControl === true || navigator.doNotTrack === "1") {
    return;
  }
  var url =
    script.getAttribute("data-beacon") +
    "?page=" +
    encodeURIComponent(script.getAttribute("data-page")) +
    "&lang=" +
    encodeURIComponent(document.documentElement.lang || "");
  fetch(url, { method: "POST", credentials: "omit", cache: "no-store", keepalive: true }).catch(function () {});
})();
