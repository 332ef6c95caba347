// Length counters for fields with data-count (how many characters show in full),
// and the body's word count with its reading time. No inline script: loaded by
// the article form's template.
(function () {
  "use strict";
  var WORDS_PER_MINUTE = 200;

  function meter(after, className) {
    var line = document.createElement("div");
    line.className = "help desk-meter " + className;
    line.setAttribute("aria-live", "polite");
    after.insertAdjacentElement("afterend", line);
    return line;
  }

  document.querySelectorAll("[data-count]").forEach(function (field) {
    var limit = parseInt(field.dataset.count, 10);
    var line = meter(field, "desk-meter--chars");
    function update() {
      var used = field.value.length;
      var text = used > limit
        ? gettext("%(used)s / %(limit)s characters — longer than shows in full")
        : gettext("%(used)s / %(limit)s characters");
      line.textContent = interpolate(text, {used: used, limit: limit}, true);
      line.classList.toggle("desk-meter--over", used > limit);
    }
    field.addEventListener("input", update);
    update();
  });

  function bodyText() {
    var editor = document.querySelector(".field-body .ProseMirror[contenteditable]");
    return editor ? editor.innerText : "";
  }

  function start() {
    var editor = document.querySelector(".field-body .ProseMirror[contenteditable]");
    if (!editor) return false;
    var line = document.createElement("div");
    line.className = "help desk-meter desk-meter--words";
    line.setAttribute("aria-live", "polite");
    document.querySelector(".form-row.field-body").appendChild(line);
    function update() {
      var words = bodyText().trim().split(/\s+/).filter(Boolean).length;
      var minutes = Math.max(1, Math.round(words / WORDS_PER_MINUTE));
      line.textContent = interpolate(
        ngettext("%(words)s word", "%(words)s words", words) + " · " +
        ngettext("about %(minutes)s min read", "about %(minutes)s min read", minutes),
        {words: words, minutes: minutes}, true);
    }
    editor.addEventListener("input", update);
    new MutationObserver(update).observe(editor, {childList: true, subtree: true, characterData: true});
    update();
    return true;
  }

  // The rich-text editor builds itself after the page loads.
  if (!start()) {
    var tries = 0;
    var timer = setInterval(function () {
      if (start() || ++tries > 50) clearInterval(timer);
    }, 100);
  }
})();
