// The gallery's lightbox works without this file (links to #photo-N and :target).
// With it: photos open and change without adding a Back-button step per photo
// (history.replaceState), Escape closes, the arrow keys move, and focus returns
// to the thumbnail that opened the photo.
(function () {
  var grid = document.querySelector("[data-gallery]");
  if (!grid) return;
  var boxes = Array.prototype.slice.call(document.querySelectorAll(".lightbox"));
  var current = null;
  var opener = null;
  document.documentElement.classList.add("js-lightbox");

  function address(hash) {
    return location.pathname + location.search + hash;
  }

  function open(number, fromThumbnail) {
    var box = document.getElementById("photo-" + number);
    if (!box) return;
    if (current) current.classList.remove("is-open");
    if (fromThumbnail) opener = fromThumbnail;
    box.classList.add("is-open");
    current = box;
    history.replaceState(null, "", address("#photo-" + number));
    box.focus();
  }

  function close() {
    if (!current) return;
    current.classList.remove("is-open");
    current = null;
    history.replaceState(null, "", address(""));
    if (opener) opener.focus();
  }

  function move(step) {
    if (!current) return;
    open(boxes.indexOf(current) + 1 + step);
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-photo], a[data-close]");
    if (!link) return;
    event.preventDefault();
    if (link.hasAttribute("data-close")) close();
    else open(link.getAttribute("data-photo"), grid.contains(link) ? link : null);
  });
  document.addEventListener("keydown", function (event) {
    if (!current) return;
    if (event.key === "Escape") close();
    var rtl = document.documentElement.dir === "rtl";
    if (event.key === "ArrowRight") move(rtl ? -1 : 1);
    if (event.key === "ArrowLeft") move(rtl ? 1 : -1);
  });

  // Arrived with #photo-N in the address: show that photo the scripted way.
  var match = /^#photo-(\d+)$/.exec(location.hash);
  if (match) open(match[1]);
})();
