// Send the chosen photo back to the rich-text editor that opened this window.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const grid = document.querySelector(".desk-picker__grid");
  grid.addEventListener("click", (event) => {
    const choice = event.target.closest(".desk-picker__choice");
    if (!choice || !window.opener) return;
    window.opener.CKEDITOR.tools.callFunction(Number(grid.dataset.callback), choice.dataset.url, {
      id: choice.dataset.id,
      alternative_text: choice.dataset.alt,
      caption: choice.dataset.caption,
    });
    window.close();
  });
});
