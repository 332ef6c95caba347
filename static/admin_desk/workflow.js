// The article form's "Schedule" button shows while the publish time is in the future.
// The server compares again on saving; this only spares a Chief Editor a refusal.
(function () {
  "use strict";
  var row = document.querySelector(".desk-workflow[data-now]");
  var button = row && row.querySelector("[data-schedule]");
  var date = document.getElementById("id_publish_at_0");
  var time = document.getElementById("id_publish_at_1");
  if (!button || !date) return;
  var isoDate = /^\d{4}-\d{2}-\d{2}$/;

  function update() {
    var day = date.value.trim();
    if (!day) {
      button.hidden = true;
      return;
    }
    if (!isoDate.test(day)) {
      button.hidden = false; // another calendar's date: let the server judge
      return;
    }
    var clock = (time && time.value.trim()) || "00:00:00";
    if (clock.length === 5) clock += ":00";
    button.hidden = !(day + " " + clock > row.getAttribute("data-now"));
  }

  [date, time].forEach(function (input) {
    if (input) {
      input.addEventListener("input", update);
      input.addEventListener("change", update);
    }
  });
  // The admin's calendar and clock shortcuts set the value without an input event.
  document.addEventListener("click", function () { window.setTimeout(update, 0); });
  update();
})();
