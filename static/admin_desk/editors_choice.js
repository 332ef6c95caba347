// Editor's Choice: drag a row by its handle to reorder an edition's slots (SortableJS).
// The drop is sent as "after this slot" (or "before" at the top): the server places the
// slot with the same service as the up/down/top buttons, which stay for keyboards.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const body = document.querySelector("#result_list tbody");
  if (!body || !window.Sortable || !body.querySelector(".desk-drag")) return;
  const token = document.querySelector("[name=csrfmiddlewaretoken]");
  const status = document.createElement("p");
  status.className = "desk-drag-status";
  status.setAttribute("role", "status");
  body.closest("table").before(status);

  const handle = (row) => row && row.querySelector(".desk-drag");
  const sameEdition = (row, edition) => Boolean(handle(row)) && handle(row).dataset.edition === edition;
  const neighbour = (row, step, edition) => {
    let next = row[step];
    while (next && !sameEdition(next, edition)) next = next[step];
    return next;
  };

  const showPositions = (positions) => {
    for (const row of body.rows) {
      const number = handle(row) && positions[handle(row).dataset.slot];
      const input = row.querySelector("input[name^='form-'][name$='-position']");
      // A number the editor typed and has not saved yet stays as typed.
      if (number !== undefined && input && input.value === input.defaultValue) {
        input.value = input.defaultValue = String(number);
        // The place shown, which the list's Save compares with (get_changelist_form).
        const shown = row.querySelector("input[name^='initial-'][name$='-position']");
        if (shown) shown.value = String(number);
      }
    }
  };

  let origin = null; // the row the dragged one stood before, to put it back on a refusal
  window.Sortable.create(body, {
    handle: ".desk-drag",
    draggable: "tr",
    animation: 150,
    onStart: (event) => { origin = event.item.nextElementSibling; },
    // A slot moves among its own edition's slots only (a superuser's list mixes them).
    onMove: (event) => sameEdition(event.related, handle(event.dragged).dataset.edition),
    onEnd: async (event) => {
      if (event.oldIndex === event.newIndex) return;
      const row = event.item;
      const { edition, place } = handle(row).dataset;
      const after = neighbour(row, "previousElementSibling", edition);
      const before = neighbour(row, "nextElementSibling", edition);
      const form = new FormData();
      if (after) form.append("after", handle(after).dataset.slot);
      else if (before) form.append("before", handle(before).dataset.slot);
      try {
        const response = await fetch(place, {
          method: "POST",
          body: form,
          headers: { "X-CSRFToken": token ? token.value : "", Accept: "application/json" },
          credentials: "same-origin",
        });
        const answer = await response.json().catch(() => ({ error: response.statusText }));
        if (!response.ok) throw new Error(answer.error || response.statusText);
        showPositions(answer.positions);
        status.textContent = answer.message;
      } catch (error) {
        body.insertBefore(row, origin);
        status.textContent = error.message;
      }
    },
  });
});
