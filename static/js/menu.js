// The phone menu is a <details> that works without this file. With it, Escape and
// a tap outside close the menu, as readers expect of a menu.
(function () {
  var menu = document.querySelector("[data-phone-menu]");
  if (!menu) return;
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && menu.open) {
      menu.open = false;
      menu.querySelector("summary").focus();
    }
  });
  document.addEventListener("click", function (event) {
    if (menu.open && !menu.contains(event.target)) menu.open = false;
  });
})();
