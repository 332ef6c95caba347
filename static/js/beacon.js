// Count this page view separately from the page itself, so counting keeps working
// when the page is served from a cache. Readers without JavaScript load the
// <noscript> pixel instead.
(function () {
  var url = document.currentScript && document.currentScript.dataset.beacon;
  if (url && navigator.sendBeacon) {
    navigator.sendBeacon(url);
  }
})();
