/* Pointage on a tablet: each tap is sent at once (fetch); a tap the network lost is
   kept in a queue (localStorage: ids, action and time only, never a name) and sent
   again, in order, every few seconds and when the connection comes back. Until then
   the child's card says « Non enregistré ». Without JavaScript the forms still work. */
(function () {
  "use strict";
  var list = document.querySelector("[data-pointage]");
  if (!list) return;
  var url = list.getAttribute("data-register");
  var key = "pointage:" + url;
  var banner = document.querySelector("[data-pointage-queue]");
  var sending = false;
  var QUEUED = ["child", "action", "at", "who"];

  function csrf() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }
  function load() {
    try { return JSON.parse(window.localStorage.getItem(key) || "[]"); } catch (e) { return []; }
  }
  function save(queue) {
    try { window.localStorage.setItem(key, JSON.stringify(queue)); } catch (e) { /* full */ }
    show(queue);
  }
  function card(child) { return document.getElementById("enfant-" + child); }
  function show(queue) {
    var pending = {};
    queue.forEach(function (tap) { pending[tap.child] = true; });
    list.querySelectorAll("[data-child]").forEach(function (item) {
      var flag = item.querySelector("[data-pending]");
      if (flag) flag.hidden = !pending[item.getAttribute("data-child")];
    });
    if (!banner) return;
    banner.hidden = queue.length === 0;
    banner.textContent = queue.length === 0 ? "" : queue.length + (queue.length > 1
      ? " pointages non enregistrés : nouvel essai automatique dès que la connexion revient."
      : " pointage non enregistré : nouvel essai automatique dès que la connexion revient.");
  }
  function hhmm() {
    var now = new Date();
    return ("0" + now.getHours()).slice(-2) + ":" + ("0" + now.getMinutes()).slice(-2);
  }
  function applied(tap, data) {
    var item = card(tap.child);
    if (!item) return;
    var state = item.querySelector("[data-state]");
    if (state) state.textContent = data.label + (data.unbooked ? " — présence sans réservation" : "");
    item.querySelectorAll("button[aria-pressed]").forEach(function (button) {
      button.setAttribute("aria-pressed", button.value === data.state ? "true" : "false");
    });
    var details = item.querySelector("details[open]");
    if (details && tap.action === "depart") details.open = false;
    refused(tap, "");
  }
  function refused(tap, message) {
    var item = card(tap.child);
    var error = item ? item.querySelector("[data-error]") : null;
    if (error) { error.textContent = message; error.hidden = !message; }
    else if (message) window.alert(message);
  }
  /* Resolves "sent" (saved or refused: either way not to retry) or rejects (network). */
  function send(tap) {
    var body = new URLSearchParams();
    Object.keys(tap).forEach(function (name) { if (tap[name]) body.append(name, tap[name]); });
    return fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": csrf() }
    }).then(function (response) {
      if (response.status >= 500) throw new Error("server");
      return response.json().then(function (data) {
        if (response.ok) applied(tap, data);
        else refused(tap, (data.error && data.error.message) || "Pointage refusé.");
        return response.ok;
      });
    });
  }
  function flush() {
    var queue = load();
    if (sending || queue.length === 0) return Promise.resolve();
    sending = true;
    return send(queue[0]).then(function () {
      save(load().slice(1));
      sending = false;
      return flush();
    }, function () { sending = false; });
  }
  function submit(event) {
    var form = event.target.closest("form[data-tap]");
    if (!form || !list.contains(form) && !form.hasAttribute("data-reload")) return;
    event.preventDefault();
    var data = new FormData(form);
    if (event.submitter && event.submitter.name) data.set(event.submitter.name, event.submitter.value);
    var tap = {};
    data.forEach(function (value, name) { if (name !== "csrfmiddlewaretoken" && value) tap[name] = value; });
    if (!tap.at) tap.at = hhmm();
    var queueable = tap.who !== "autre";
    var reload = form.hasAttribute("data-reload");
    var afterQueue = load().length > 0;
    if (afterQueue && queueable) { queue(tap); flush(); return; }
    send(tap).then(function (ok) {
      if (ok && reload) window.location.reload();
    }, function () {
      if (queueable) { queue(tap); }
      else refused(tap, "Connexion perdue : ce départ n'est pas enregistré. Réessayez quand la connexion revient.");
    });
  }
  function queue(tap) {
    var kept = {};
    QUEUED.forEach(function (name) { if (tap[name]) kept[name] = tap[name]; });
    var all = load();
    all.push(kept);
    save(all);
  }
  document.addEventListener("submit", submit);
  /* The departure's time is the moment the form is opened, not when the page was. */
  list.addEventListener("toggle", function (event) {
    var details = event.target;
    if (!details.open || !details.classList.contains("pointage-depart")) return;
    var time = details.querySelector("input[type=time]");
    if (time) time.value = hhmm();
  }, true);
  var close = document.querySelector("form[data-close-register]");
  if (close) close.addEventListener("submit", function (event) {
    if (load().length > 0) {
      event.preventDefault();
      window.alert("Des pointages ne sont pas encore enregistrés : attendez le retour de la connexion avant de clore le registre.");
    }
  });
  window.addEventListener("online", flush);
  window.setInterval(flush, 5000);
  show(load());
  flush();
})();
