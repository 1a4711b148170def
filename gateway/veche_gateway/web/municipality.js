// The /municipality page: a representative signs in with the invitation key (kept in this tab's sessionStorage,
// never in a URL), sees the municipality's practices with their moderation status, and submits, edits, withdraws
// and resubmits them. Everything goes through /api/v1/municipality.
(function () {
  "use strict";
  var $ = function (id) { return document.getElementById(id); };
  var KEY = "veche-municipality-key", LANG = "veche-lang", API = "/api/v1/municipality";
  var FIELDS = { title: "p-title", summary: "p-summary", description: "p-description", links: "p-links",
    contact: "p-contact", nomination: "target" };
  var TEXTS = window.VecheMunicipalityText;
  var state = { key: sessionStorage.getItem(KEY), lang: localStorage.getItem(LANG) || guessLang(), desk: null,
    practices: [], editing: null };

  function guessLang() { return (navigator.language || "en").slice(0, 2) === "ru" ? "ru" : "en"; }
  function t(name, vars) {
    return String(TEXTS[state.lang][name]).replace(/\{(\w+)\}/g, function (_, k) { return vars[k]; });
  }
  function text(value) {  // a plain string, or a language -> text map with a fallback
    if (value === null || value === undefined || typeof value === "string") return value || "";
    return value[state.lang] || value.en || value.ru || Object.values(value).find(Boolean) || "";
  }
  function el(tag, cls, content) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (content !== undefined && content !== null) node.textContent = String(content);
    return node;
  }
  function say(message) { $("error").textContent = ""; $("message").textContent = message; }
  function fail(message) { $("message").textContent = ""; $("error").textContent = message; }

  function api(method, path, body) {
    var init = { method: method, cache: "no-store", headers: { "X-API-Key": state.key } };
    if (body !== undefined) { init.body = JSON.stringify(body); init.headers["Content-Type"] = "application/json"; }
    return fetch(API + path, init).then(function (r) {
      return r.json().then(function (answer) {
        if (!r.ok) throw { status: r.status, problem: answer, retry: r.headers.get("Retry-After") };
        return answer;
      });
    });
  }

  function applyLang() {
    document.documentElement.lang = state.lang;
    document.querySelectorAll("[data-t]").forEach(function (node) { node.textContent = t(node.dataset.t, {}); });
    document.querySelectorAll(".lang").forEach(function (b) {
      b.setAttribute("aria-pressed", String(b.dataset.lang === state.lang));
    });
    if (state.desk) { renderWho(); renderTargets(); renderPractices(); setMode(state.editing); }
  }

  function signIn(key) {
    state.key = key;
    return api("GET", "").then(function (desk) {
      sessionStorage.setItem(KEY, key);
      state.desk = desk;
      $("signin").hidden = true;
      $("desk").hidden = false;
      renderWho();
      renderTargets();
      return loadPractices();
    }).catch(function (refused) {
      sessionStorage.removeItem(KEY);
      state.key = null;
      if (refused.status === 429) fail(t("limited", { s: refused.retry || "60" }));
      else fail(t("badKey", { why: refused.problem ? refused.problem.detail : String(refused) }));
    });
  }

  function signOut() {
    sessionStorage.removeItem(KEY);
    state.key = state.desk = state.editing = null;
    $("desk").hidden = true;
    $("signin").hidden = false;
    $("key").value = "";
    $("who").textContent = t("signedOut", {});
    $("key").focus();
  }

  function loadPractices() {
    var found = [];
    function page(cursor) {
      return api("GET", "/practices" + (cursor ? "?cursor=" + encodeURIComponent(cursor) : "")).then(function (p) {
        found = found.concat(p.items);
        return p.next_cursor ? page(p.next_cursor) : found;
      });
    }
    return page(null).then(function (items) { state.practices = items; renderPractices(); });
  }

  function renderWho() {
    var until = new Date(state.desk.invitation.expires_at).toLocaleDateString(state.lang);
    $("who").textContent = t("signedIn", { city: text(state.desk.municipality.name), until: until });
  }

  function names() {  // titles of contests and nominations open now, by id
    var found = { contests: {}, nominations: {} };
    state.desk.open_contests.forEach(function (open) {
      found.contests[open.contest.id] = text(open.contest.title);
      open.nominations.forEach(function (n) { found.nominations[open.contest.id + "/" + n.id] = text(n.title); });
    });
    return found;
  }

  function renderTargets() {
    var select = $("target"), chosen = select.value;
    select.replaceChildren();
    state.desk.open_contests.forEach(function (open) {
      var group = el("optgroup");
      group.label = text(open.contest.title);
      open.nominations.forEach(function (n) {
        var option = el("option", "", text(n.title));
        option.value = open.contest.id + "/" + n.id;
        group.append(option);
      });
      select.append(group);
    });
    if (chosen) select.value = chosen;
    $("no-open").hidden = state.desk.open_contests.length > 0;
  }

  function actionsFor(practice) {
    var all = { pending: ["edit", "withdraw"], approved: ["withdraw"], rejected: ["resubmit"], withdrawn: ["resubmit"] };
    return all[practice.status] || [];
  }

  function renderPractices() {
    var body = $("practices"), titles = names();
    body.replaceChildren();
    state.practices.forEach(function (p) {
      var row = el("tr");
      row.dataset.practice = p.id;
      row.dataset.status = p.status;
      row.append(el("td", "", titles.contests[p.contest] || p.contest));
      row.append(el("td", "", titles.nominations[p.contest + "/" + p.nomination] || p.nomination));
      row.append(el("td", "", text(p.title)));
      row.append(el("td", "status status-" + p.status, TEXTS[state.lang].statuses[p.status]));
      row.append(el("td", "reason", p.reject_reason || ""));
      var cell = el("td");
      actionsFor(p).forEach(function (action) {
        var label = t("do_" + action, {});
        var button = el("button", "secondary", label);
        button.type = "button";
        button.setAttribute("aria-label", label + ": " + text(p.title));
        button.addEventListener("click", function () { act(action, p); });
        cell.append(button);
      });
      row.append(cell);
      body.append(row);
    });
    $("none").hidden = state.practices.length > 0;
    $("practices-table").hidden = state.practices.length === 0;
  }

  function act(action, practice) {
    if (action !== "withdraw") { setMode({ action: action, practice: practice }); $("p-title").focus(); return; }
    if (!window.confirm(t("confirmWithdraw", { title: text(practice.title) }))) return;
    api("POST", "/practices/" + practice.id + "/withdraw", { expected_version: practice.version })
      .then(function (p) { say(t("withdrawn", { title: text(p.title) })); return loadPractices(); })
      .catch(showRefusal);
  }

  function setMode(editing) {
    state.editing = editing;
    var p = editing && editing.practice;
    $("form-heading").textContent = p ? t(editing.action + "Practice", { title: text(p.title) }) : t("newPractice", {});
    $("save").textContent = t(p ? (editing.action === "edit" ? "save" : "resubmit") : "submit", {});
    $("cancel").hidden = !p;
    $("target-field").hidden = !!p;
    clearErrors();
    if (!p) return;
    $("p-title").value = text(p.title);
    $("p-summary").value = text(p.summary);
    $("p-description").value = text(p.description);
    $("p-links").value = (p.links || []).join("\n");
    $("p-contact").value = "";
  }

  function clearForm() {
    ["p-title", "p-summary", "p-description", "p-links", "p-contact"].forEach(function (id) { $(id).value = ""; });
    setMode(null);
  }

  function clearErrors() {
    Object.values(FIELDS).forEach(function (id) {
      $(id).removeAttribute("aria-invalid");
      $(id + "-error").textContent = "";
    });
  }

  function markField(field, message) {
    var id = FIELDS[field];
    if (!id) return false;
    $(id).setAttribute("aria-invalid", "true");
    $(id + "-error").textContent = message;
    return true;
  }

  function showRefusal(refused) {
    var problem = refused.problem || {}, marked = false;
    (problem.errors || []).forEach(function (e) { marked = markField(String((e.loc || []).slice(-1)[0]), e.msg) || marked; });
    if (marked) { fail(t("fixFields", {})); document.querySelector("[aria-invalid=true]").focus(); return; }
    if (refused.status === 401) { signOut(); }
    fail(t("failed", { why: problem.detail || String(refused) }));
  }

  function localized(old, value) {  // the text in the page's language, set into the practice's language map
    var map = Object.assign({}, old && typeof old === "object" ? old : {});
    if (value) map[state.lang] = value; else delete map[state.lang];
    return map;
  }

  function formBody() {
    var p = state.editing ? state.editing.practice : {};
    var body = { title: localized(p.title, $("p-title").value.trim()),
      summary: localized(p.summary, $("p-summary").value.trim()),
      description: localized(p.description, $("p-description").value.trim()),
      links: $("p-links").value.split("\n").map(function (l) { return l.trim(); }).filter(Boolean) };
    if ($("p-contact").value.trim()) body.contact = $("p-contact").value.trim();
    return body;
  }

  function save(event) {
    event.preventDefault();
    clearErrors();
    var body = formBody(), editing = state.editing, request;
    if (!$("p-title").value.trim()) {
      markField("title", t("required", {}));
      fail(t("fixFields", {}));
      $("p-title").focus();
      return;
    }
    if (!editing) {
      var target = $("target").value.split("/");
      if (!target[0]) { markField("nomination", t("required", {})); fail(t("fixFields", {})); return; }
      request = api("POST", "/contests/" + target[0] + "/practices", Object.assign({ nomination: target[1] }, body));
    } else {
      var path = "/practices/" + editing.practice.id + (editing.action === "resubmit" ? "/resubmit" : "");
      body.expected_version = editing.practice.version;
      request = api(editing.action === "resubmit" ? "POST" : "PATCH", path, body);
    }
    var done = editing ? (editing.action === "edit" ? "saved" : "resubmitted") : "submitted";
    request.then(function (p) { clearForm(); say(t(done, { title: text(p.title) })); return loadPractices(); })
      .catch(showRefusal);
  }

  $("signin").addEventListener("submit", function (event) {
    event.preventDefault();
    var key = $("key").value.trim();
    if (key) signIn(key);
  });
  $("signout").addEventListener("click", signOut);
  $("practice-form").addEventListener("submit", save);
  $("cancel").addEventListener("click", clearForm);
  document.querySelectorAll(".lang").forEach(function (b) {
    b.addEventListener("click", function () { state.lang = b.dataset.lang; localStorage.setItem(LANG, state.lang); applyLang(); });
  });
  applyLang();
  if (state.key) signIn(state.key);
})();
