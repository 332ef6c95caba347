// Suggest existing tags for the last comma-separated entry of a tag box.
"use strict";
{
  function attach(input) {
    const list = document.getElementById(input.getAttribute("list"));
    let pending = null;
    input.addEventListener("input", () => {
      const entries = input.value.split(",");
      const current = entries.pop().trim();
      const kept = entries.map((entry) => entry.trim()).filter(Boolean);
      if (current.length < 2) {
        list.replaceChildren();
        return;
      }
      if (pending) pending.abort();
      pending = new AbortController();
      const url = input.dataset.tagSuggest + "?q=" + encodeURIComponent(current);
      fetch(url, { signal: pending.signal, credentials: "same-origin" })
        .then((response) => (response.ok ? response.json() : { tags: [] }))
        .then((data) => {
          list.replaceChildren(
            ...data.tags
              .filter((tag) => !kept.includes(tag))
              .map((tag) => new Option(tag, [...kept, tag].join(", ") + ", "))
          );
        })
        .catch(() => {});
    });
  }
  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("input[data-tag-suggest]").forEach(attach);
  });
}
