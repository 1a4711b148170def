// The /ops page: an operator key (kept for this tab only), a contest, and the overview refreshed every second.
(function () {
  "use strict";
  var $ = function (id) { return document.getElementById(id); };
  var KEY = "veche-ops-key";
  var REFRESH_MS = 1000;
  var AUDIT_EVERY = 5;  // refreshes between two reads of the audit trail
  var AUDIT_SHOWN = 20;
  var state = { contest: null, titles: {}, timer: null, busy: false, ticks: 0, audit: [], cursor: 1 };

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function say(message) { $("message").textContent = message; }
  function text(texts) { return window.VecheText.pick(texts, "en"); }  // the page is English; i18n.js falls back
  function number(value) { return value === null || value === undefined ? "–" : Number(value).toLocaleString("en"); }
  function duration(seconds) {
    var s = Math.floor(seconds), d = Math.floor(s / 86400), h = Math.floor(s % 86400 / 3600), m = Math.floor(s % 3600 / 60);
    return d ? d + "d " + h + "h" : h ? h + "h " + m + "m" : m ? m + "m " + s % 60 + "s" : s + "s";
  }
  function tile(id, value, bad) {
    $(id).textContent = value;
    $(id).parentNode.classList.toggle("bad", !!bad);
  }
  function getJson(path, key) {
    var headers = key ? { "X-API-Key": key } : {};
    return fetch(path, { headers: headers, cache: "no-store" }).then(function (r) {
      return r.json().then(function (body) {
        if (!r.ok) throw new Error(r.status + " " + (body.detail || body.code || ""));  // a problem+json refusal
        return body;
      });
    });
  }

  function renderServices(services) {
    var body = $("services");
    body.replaceChildren();
    services.forEach(function (s) {
      var row = el("tr");
      row.dataset.service = s.service;
      row.dataset.ready = String(s.ready);
      row.dataset.instance = s.instance || "";
      row.append(el("td", "", s.service));
      var partitions = s.partitions ? " (partitions " + s.partitions.join(", ") + ")" : "";
      row.append(el("td", "", (s.instance || "–") + partitions));
      row.append(el("td", s.ready ? "up" : "down", s.ready ? "ready" : (s.error ? "no answer" : "not ready")));
      var checks = Object.keys(s.checks).map(function (k) { return k + (s.checks[k] ? " ✓" : " ✗"); });
      row.append(el("td", "", s.error || checks.join(", ")));
      row.append(el("td", "num", s.error ? "–" : duration(s.uptime_seconds)));
      body.append(row);
    });
  }

  function renderBoards(boards, hidden) {
    var holder = $("boards");
    holder.replaceChildren();
    if (!boards) { holder.append(el("p", "down", "the results service does not answer")); return; }
    boards.forEach(function (b) {
      var card = el("section", "board");
      card.dataset.nomination = b.nomination;
      var head = el("h3", "", state.titles[b.nomination] || b.nomination);
      if (hidden) head.append(el("span", "badge", "hidden from the public"));
      card.append(head);
      card.append(el("p", "", number(b.total_votes) + " votes · version " + b.version));
      var table = el("table", "grid");
      var top = el("tr");
      ["#", "Practice", "Votes", "Share", "Last hour"].forEach(function (h) { top.append(el("th", "", h)); });
      table.append(top);
      b.entries.forEach(function (e) {
        var row = el("tr");
        row.dataset.practice = e.practice;
        row.append(el("td", "num", e.rank));
        row.append(el("td", "", text(e.title) + " — " + text(e.municipality_name)));
        row.append(el("td", "num votes", number(e.votes)));
        row.append(el("td", "num", (e.share * 100).toFixed(1) + "%"));
        row.append(el("td", "num", (e.change_last_hour > 0 ? "+" : "") + e.change_last_hour));
        table.append(row);
      });
      card.append(table);
      holder.append(card);
    });
  }

  function render(view) {
    var ledger = view.ledger;
    tile("rate", ledger ? ledger.messages_per_second.toFixed(1) : "–", !ledger);
    tile("lag", ledger ? number(ledger.lag) : "–", !ledger || ledger.lag > 1000);
    tile("dead-letters", ledger ? number(ledger.dead_letters) : "–", !ledger || ledger.dead_letters > 0);
    tile("sequence", ledger ? number(ledger.last_sequence) : "–", !ledger);
    tile("moderation", view.moderation ? number(view.moderation.pending) : "–", !view.moderation);
    renderServices(view.services);
    renderBoards(view.leaderboards, view.results_public === false);
    if (view.details) {
      $("contest-title").textContent = text(view.details.title);
    }
    $("updated").textContent = (view.details ? view.details.phase.replace("_", " ") + " · results " +
      view.details.visibility.replace("_", " ") + " · " : "") +
      "updated " + new Date(view.generated_at).toLocaleTimeString("en-GB");
  }

  function renderAudit() {
    var body = $("audit");
    body.replaceChildren();
    state.audit.slice().reverse().forEach(function (a) {
      var row = el("tr");
      row.dataset.action = a.action;
      row.append(el("td", "", new Date(a.at).toLocaleString("en-GB")));
      row.append(el("td", "", a.operator + " (" + a.role + ")"));
      row.append(el("td", "", a.action));
      row.append(el("td", "", Object.keys(a.target).map(function (k) { return k + " " + a.target[k]; }).join(", ")));
      row.append(el("td", a.status < 400 ? "up" : "down", a.status < 400 ? "done" : a.status + " " + (a.error_code || "")));
      body.append(row);
    });
  }

  function refreshAudit(key) {
    var contest = state.contest;
    var path = "/api/v1/admin/audit?limit=500&contest=" + encodeURIComponent(contest) + "&cursor=" + state.cursor;
    getJson(path, key).then(function (page) {
      if (contest !== state.contest) return;
      state.audit = state.audit.concat(page.entries).slice(-AUDIT_SHOWN);
      state.cursor = page.next_cursor;
      renderAudit();
      if (page.more) refreshAudit(key);
    }).catch(function (error) { say("Could not read the audit trail: " + error.message); });
  }

  function refresh() {
    var key = sessionStorage.getItem(KEY);
    if (!key || !state.contest || state.busy) return;
    if (state.ticks++ % AUDIT_EVERY === 0) refreshAudit(key);
    state.busy = true;
    getJson("/api/v1/admin/contests/" + encodeURIComponent(state.contest) + "/ops", key)
      .then(function (view) { render(view); say(""); })
      .catch(function (error) {
        say("Could not refresh: " + error.message);
        if (/^40[13]/.test(error.message)) stop();
      })
      .finally(function () { state.busy = false; });
  }
  function stop() { clearInterval(state.timer); state.timer = null; $("updated").textContent = "not signed in"; }
  function start() {
    stop();
    state.titles = {};
    state.audit = [];
    state.cursor = 1;
    state.ticks = 0;
    getJson("/api/v1/contests/" + encodeURIComponent(state.contest) + "/nominations").then(function (list) {
      list.forEach(function (n) { state.titles[n.id] = text(n.title); });
    }).catch(function () { /* titles are a nicety: ids are shown instead */ });
    refresh();
    state.timer = setInterval(refresh, REFRESH_MS);
  }

  $("signin").addEventListener("submit", function (event) {
    event.preventDefault();
    if ($("key").value) sessionStorage.setItem(KEY, $("key").value);
    $("key").value = "";
    state.contest = $("contest").value;
    start();
  });
  $("contest").addEventListener("change", function () { state.contest = $("contest").value; start(); });

  getJson("/api/v1/contests").then(function (contests) {
    var wanted = new URLSearchParams(location.search).get("contest");
    contests.forEach(function (c) {
      var option = el("option", "", text(c.title) + " (" + c.phase + ")");
      option.value = c.id;
      $("contest").append(option);
    });
    if (wanted) $("contest").value = wanted;
    state.contest = $("contest").value || null;
    if (!contests.length) say("No contests yet.");
    if (sessionStorage.getItem(KEY)) start();
  }).catch(function (error) { say("Could not list contests: " + error.message); });
})();
