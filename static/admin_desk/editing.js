// The article form's live aids: keep the edit lock alive, show who else has the
// article open, autosave the form every few seconds, warn before leaving unsaved
// work, and release the lock when the page closes. Settings come from the
// data-editing attribute of #desk-editing (articles/admin_editing.py); its words
// from the admin's catalogue (admin:jsi18n, locale/*/djangojs.po).
(function () {
  "use strict";
  var holder = document.getElementById("desk-editing");
  var form = document.getElementById("article_form");
  if (!holder || !form) return;
  var config = JSON.parse(holder.dataset.editing);
  var banner = document.querySelector("[data-lock-banner]");
  var bannerText = document.querySelector("[data-lock-message]");
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var changedSinceAutosave = false;
  var unsaved = false;
  var submitting = false;

  function post(url, fields) {
    var body = fields instanceof FormData ? fields : new FormData();
    if (!(fields instanceof FormData)) {
      Object.keys(fields || {}).forEach(function (key) { body.append(key, fields[key]); });
    }
    body.set("csrfmiddlewaretoken", csrf);
    return fetch(url, {
      method: "POST", body: body, credentials: "same-origin",
      headers: {"X-CSRFToken": csrf}
    }).then(function (response) {
      if (!response.ok) throw new Error(response.status);
      return response.json();
    });
  }

  function showLock(state) {
    if (!banner) return;
    banner.hidden = state.held;
    if (!state.held && bannerText) bannerText.textContent = state.message;
  }

  function heartbeat() {
    if (!config.lockUrl) return;
    post(config.lockUrl, {token: config.token}).then(showLock).catch(function () {});
  }

  function status(text) {
    var line = document.querySelector(".desk-autosave-status");
    var row = form.querySelector(".submit-row");
    if (!line && row) {
      line = document.createElement("span");
      line.className = "desk-autosave-status desk-quiet";
      line.setAttribute("role", "status");
      row.appendChild(line);
    }
    if (line) line.textContent = text;
  }

  function formData() {
    var data = new FormData(form);
    // Files cannot be kept; the rest of the form can.
    Array.from(data.keys()).forEach(function (key) {
      if (data.get(key) instanceof File) data.delete(key);
    });
    data.set("article", config.article);
    return data;
  }

  function autosave() {
    if (!changedSinceAutosave || submitting) return;
    changedSinceAutosave = false;
    post(config.autosaveUrl, formData()).then(function (answer) {
      status(interpolate(gettext("Unsaved changes kept at %(time)s."), {time: answer.saved_at}, true));
    }).catch(function () {
      changedSinceAutosave = true;  // try again next time
      status(gettext("Could not keep unsaved changes; they are still in this page."));
    });
  }

  function changed() { changedSinceAutosave = true; unsaved = true; }
  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("submit", function () { submitting = true; });

  window.addEventListener("beforeunload", function (event) {
    if (unsaved && !submitting) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
  window.addEventListener("pagehide", function () {
    if (submitting) return;
    if (changedSinceAutosave) {
      var data = formData();
      data.set("csrfmiddlewaretoken", csrf);
      navigator.sendBeacon(config.autosaveUrl, data);
    }
    if (!config.releaseUrl) return;
    var body = new FormData();
    body.append("csrfmiddlewaretoken", csrf);
    body.append("token", config.token);
    navigator.sendBeacon(config.releaseUrl, body);
  });

  setInterval(heartbeat, config.heartbeat * 1000);
  setInterval(autosave, config.autosaveEvery * 1000);
})();
