// The photo form: click the preview to set the focal point (the part of the image
// every crop keeps). The two number boxes stay for keyboards and exact values.
// Loaded in the head by the admin's Media: start once the form exists.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var box = document.querySelector("[data-focal]");
  var x = document.getElementById("id_focal_x");
  var y = document.getElementById("id_focal_y");
  if (!box || !x || !y) return;
  var image = box.querySelector("img");
  var dot = box.querySelector(".desk-focal__dot");

  function place() {
    dot.style.left = (parseInt(x.value, 10) || 0) + "%";
    dot.style.top = (parseInt(y.value, 10) || 0) + "%";
  }

  image.addEventListener("click", function (event) {
    var area = image.getBoundingClientRect();
    x.value = Math.round(((event.clientX - area.left) / area.width) * 100);
    y.value = Math.round(((event.clientY - area.top) / area.height) * 100);
    x.dispatchEvent(new Event("change", {bubbles: true}));
    place();
  });
  x.addEventListener("input", place);
  y.addEventListener("input", place);
  place();
});
