/* The public contest page: nominations, map, practice cards, voting, live leaderboard, the voter's ballot. */
(function () {
  "use strict";
  var $ = function (id) { return document.getElementById(id); };
  var params = new URLSearchParams(location.search);
  var state = { lang: pickLang(), contest: null, nominations: [], nomination: null, practices: [],
                cities: {}, follower: null, identity: null };

  function pickLang() {
    var wanted = params.get("lang") || localStorage.getItem("veche-lang") || navigator.language || "en";
    return wanted.slice(0, 2).toLowerCase() === "ru" ? "ru" : "en";
  }
  function t(key, vars) {
    var text = window.VecheText[state.lang][key] || key;
    Object.keys(vars || {}).forEach(function (k) { text = text.replace("{" + k + "}", vars[k]); });
    return text;
  }
  function loc(texts) { return window.VecheText.pick(texts, state.lang, state.contest && state.contest.default_language); }
  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function api(path, options) { return fetch("/api/v1" + path, options); }
  function json(path) { return api(path).then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); }); }
  // every item of a paged list: follows next_cursor until it is null (limit: the route's largest page)
  function all(path, limit) {
    var items = [], base = path + (path.indexOf("?") < 0 ? "?" : "&") + "limit=" + limit;
    function from(cursor) {
      return json(base + (cursor ? "&cursor=" + encodeURIComponent(cursor) : "")).then(function (page) {
        items = items.concat(page.items);
        return page.next_cursor ? from(page.next_cursor) : items;
      });
    }
    return from(null);
  }
  function say(text) { $("message").textContent = text; }

  function renderTexts() {
    document.documentElement.lang = state.lang;
    document.querySelectorAll("[data-i18n]").forEach(function (node) { node.textContent = t(node.dataset.i18n); });
    document.querySelectorAll(".lang").forEach(function (b) {
      b.setAttribute("aria-pressed", String(b.dataset.lang === state.lang));
    });
    if (!state.contest) return;
    $("contest-title").textContent = loc(state.contest.title);
    $("contest-description").textContent = loc(state.contest.description);
    $("contest-phase").textContent = window.VecheText[state.lang].phases[state.contest.phase] || state.contest.phase;
    document.title = loc(state.contest.title) + " — Veche";
    if (state.identity) window.VecheIdentity.render();
    renderNominations();
  }

  function renderNominations() {
    var items = state.nominations.map(function (n) { return { id: n.id, label: loc(n.title) }; });
    window.VecheTabs.render($("nominations"), items, state.nomination, $("practices"), selectNomination);
  }

  function renderCards() {
    var cards = $("cards");
    cards.textContent = "";
    var open = state.contest.phase === "voting_open";
    state.practices.forEach(function (p) {
      var city = loc((state.cities[p.municipality] || {}).name) || p.municipality;
      var card = el("li", "card");
      card.id = "practice-" + p.id;
      card.appendChild(el("h3", "card-title", loc(p.title)));
      card.appendChild(el("p", "card-city", city));
      if (loc(p.summary)) card.appendChild(el("p", "card-summary", loc(p.summary)));
      var button = el("button", "vote", t("vote"));
      button.type = "button";
      button.disabled = !open;
      button.dataset.practice = p.id;
      button.setAttribute("aria-label", t("voteFor", { title: loc(p.title), city: city }));
      button.addEventListener("click", function () { castVote(p); });
      card.appendChild(button);
      cards.appendChild(card);
    });
    window.VecheLive.drawMap();
  }

  function castVote(practice) {
    window.VecheIdentity.ensure().then(function (token) {
      if (!token) return null;
      var key = "web-" + Math.random().toString(36).slice(2) + Date.now().toString(36);
      return api("/contests/" + state.contest.id + "/nominations/" + state.nomination + "/votes", {
        method: "POST",
        headers: { "Content-Type": "application/json", "Authorization": "Bearer " + token, "Idempotency-Key": key },
        body: JSON.stringify({ practice: practice.id })
      }).then(function (answer) { return answer.json().then(function (body) { report(answer, body); }); });
    }).catch(function (error) { say(t("failed", { why: error.message })); });
  }

  function report(answer, body) {
    if (answer.status === 202 || answer.status === 200) say(t("voted"));
    else if (answer.status === 409 && body.code === "already_voted") say(t("already"));
    else if (answer.status === 401 || answer.status === 403) say(t("badToken"));
    else if (answer.status === 429) say(t("limited", { s: answer.headers.get("Retry-After") || "1" }));
    else say(t("failed", { why: body.detail || answer.status }));
    loadBallot();
  }

  function loadBallot() {
    var token = window.VecheIdentity.token();
    if (!token) { $("ballot-text").textContent = t("noBallot"); return; }
    api("/contests/" + state.contest.id + "/nominations/" + state.nomination + "/my-ballot",
        { headers: { "Authorization": "Bearer " + token } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (ballot) {
        var chosen = ballot && state.practices.filter(function (p) { return p.id === ballot.practice; })[0];
        var title = chosen ? loc(chosen.title) : ballot && ballot.practice;
        $("ballot-text").textContent = !ballot ? t("noBallot") : ballot.counted === false
          ? t("ballotAnnulled", { title: title, reason: ballot.annulment ? ballot.annulment.reason : "" })
          : chosen ? t("ballotFor", { title: title }) : t("noBallot");
        document.querySelectorAll(".card").forEach(function (c) {
          c.classList.toggle("chosen", !!chosen && ballot.counted !== false && c.id === "practice-" + chosen.id);
        });
      });
  }

  function selectNomination(id) {
    state.nomination = id;
    renderNominations();
    var url = new URL(location.href);
    url.searchParams.set("nomination", id);
    history.replaceState(null, "", url);
    if (state.follower) state.follower.stop();
    window.VecheLive.reset();
    state.follower = window.Veche.follow($("board"), state.contest.id, id, { lang: state.lang, live: false, vote: "none" });
    all("/contests/" + state.contest.id + "/practices?nomination=" + id, 1000).then(function (practices) {
      state.practices = practices;
      renderCards();
      loadBallot();
      window.VecheLive.loadResults();
    });
    window.VecheLive.loadChart();
  }

  function start() {
    json("/contests").then(function (contests) {
      var wanted = params.get("contest");
      var contest = contests.filter(function (c) { return c.id === wanted; })[0] ||
        contests.filter(function (c) { return c.phase === "voting_open"; })[0] || contests[0];
      if (!contest) { $("contest-title").textContent = t("noContest"); return null; }
      state.contest = contest;
      return Promise.all([json("/contests/" + contest.id + "/nominations"), all("/municipalities", 1000),
                          json("/contests/" + contest.id + "/identity")]);
    }).then(function (loaded) {
      if (!loaded) return;
      state.nominations = loaded[0];
      loaded[1].forEach(function (m) { state.cities[m.id] = m; });
      state.identity = loaded[2];
      window.VecheIdentity.setup(state.contest, state.identity, t, say);
      renderTexts();
      var wanted = params.get("nomination");
      var first = state.nominations.filter(function (n) { return n.id === wanted; })[0] || state.nominations[0];
      if (first) selectNomination(first.id);
    }).catch(function (error) { say(t("failed", { why: error.message })); });
  }

  document.querySelectorAll(".lang").forEach(function (button) {
    button.addEventListener("click", function () {
      state.lang = button.dataset.lang;
      localStorage.setItem("veche-lang", state.lang);
      renderTexts();
      if (state.nomination) selectNomination(state.nomination);
    });
  });
  document.addEventListener("veche-identity", function () { if (state.nomination) loadBallot(); });
  $("board").addEventListener("veche:leaderboard", function (event) { window.VecheLive.onBoard(event.detail); });
  window.VecheLive.setup(state, { t: t, loc: loc, json: json });
  renderTexts();
  start();
})();
