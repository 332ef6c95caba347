// Progressive share buttons: "Copy link" where the clipboard is available, and the
// system share sheet (Web Share API) where the browser has one. Without this file
// the plain share links still work.
(function () {
  var status = document.querySelector("[data-share-status]");
  var copyItem = document.querySelector("[data-share-copy]");
  var nativeItem = document.querySelector("[data-share-native]");
  if (copyItem && navigator.clipboard && window.isSecureContext) {
    var copy = copyItem.querySelector("button");
    copyItem.hidden = false;
    copy.addEventListener("click", function () {
      navigator.clipboard.writeText(copy.dataset.url).then(function () {
        var label = copy.textContent;
        copy.textContent = copy.dataset.done;
        if (status) status.textContent = copy.dataset.done;
        setTimeout(function () { copy.textContent = label; }, 2500);
      });
    });
  }
  if (nativeItem && navigator.share) {
    var share = nativeItem.querySelector("button");
    nativeItem.hidden = false;
    share.addEventListener("click", function () {
      navigator.share({ title: share.dataset.title, url: share.dataset.url }).catch(function () {});
    });
  }
})();
