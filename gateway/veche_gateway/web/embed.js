/* Veche live leaderboard: <div data-veche-leaderboard="{contest}/{nomination}"></div> + this script.
   Follows the board by Server-Sent Events and falls back to polling with ETags. No dependencies. */
(function () {
  "use strict";
  var script = document.currentScript;
  var BASE = script && script.src ? new URL(script.src, location.href).origin : location.origin;
  var POLL_MS = 5000;
  var TEXT = {
    en: { votes: { one: "{n} vote", other: "{n} votes" }, total: "Total votes", ballots: "Ballots", upTo: "each approves up to {k} practices", vote: "Vote", results: "See the contest", hidden: "Results are hidden until voting closes.",
          empty: "No practices yet.", live: "Live", polling: "Updating", offline: "Reconnecting…",
          rank: "Rank", error: "The leaderboard is not available.", powered: "Veche",
          sealed: "✓ Signature checked", unsealed: "Not signed yet", unchecked: "Signature not checked",
          refused: "A board with a false signature was refused",
          sealedTitle: "Checked in this browser: the platform's log key signed these numbers, counted from the first {n} entries of the public log." },
    ru: { votes: { one: "{n} голос", few: "{n} голоса", many: "{n} голосов", other: "{n} голоса" }, total: "Всего голосов", ballots: "Бюллетеней", upTo: "в каждом до {k} практик",
          vote: "Голосовать", results: "Открыть конкурс", hidden: "Результаты скрыты до окончания голосования.",
          empty: "Практик пока нет.", live: "В эфире", polling: "Обновляется", offline: "Переподключение…",
          rank: "Место", error: "Рейтинг недоступен.", powered: "Вече",
          sealed: "✓ Подпись проверена", unsealed: "Ещё не подписано", unchecked: "Подпись не проверена",
          refused: "Отклонён рейтинг с неверной подписью",
          sealedTitle: "Проверено в этом браузере: ключ журнала платформы подписал эти числа, подсчитанные по первым {n} записям публичного журнала." }
  };

  function pickLang(el, wanted) {
    var lang = wanted || el.getAttribute("data-lang") || new URLSearchParams(location.search).get("lang") ||
      document.documentElement.lang || navigator.language || "en";
    return lang.slice(0, 2).toLowerCase() === "ru" ? "ru" : "en";
  }

  // a content map (BCP 47 tag -> text) by the order of pick in shared/i18n.js: the language (exact tag, then
  // its base), then any text. A copy: this widget runs on other sites, without i18n.js.
  function localized(texts, lang) {
    if (!texts || typeof texts === "string") return texts || "";
    if (texts[lang] || texts[lang.split("-")[0]]) return texts[lang] || texts[lang.split("-")[0]];
    var keys = Object.keys(texts).filter(function (k) { return texts[k]; });
    return keys.length ? texts[keys[0]] : "";
  }

  // "1 vote", "2 голоса", "5 голосов": the form the language's plural rules pick for n
  function plural(forms, n, lang) {
    var rule = window.Intl && Intl.PluralRules ? new Intl.PluralRules(lang).select(n) : (n === 1 ? "one" : "other");
    return (forms[rule] || forms.other).replace("{n}", n.toLocaleString(lang));
  }

  function node(tag, cls, text) {
    var el = document.createElement(tag);
    if (cls) el.className = cls;
    if (text !== undefined) el.textContent = text;
    return el;
  }

  function ensureStyles() {
    var href = BASE + "/static/embed.css";
    if (document.querySelector('link[data-veche-styles]')) return;
    var link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = href;
    link.setAttribute("data-veche-styles", "");
    document.head.appendChild(link);
  }

  function renderEntry(entry, lang, t) {
    var row = node("li", "veche-row");
    row.setAttribute("data-practice", entry.practice);
    row.appendChild(node("span", "veche-rank", String(entry.rank)));
    var who = node("span", "veche-who");
    who.appendChild(node("span", "veche-title", localized(entry.title, lang)));
    who.appendChild(node("span", "veche-city", localized(entry.municipality_name, lang)));
    var bar = node("span", "veche-bar");
    var fill = node("span", "veche-fill");
    fill.style.width = (entry.share * 100).toFixed(1) + "%";
    bar.appendChild(fill);
    who.appendChild(bar);
    row.appendChild(who);
    var votes = node("span", "veche-votes", entry.votes.toLocaleString(lang));
    votes.setAttribute("aria-label", plural(t.votes, entry.votes, lang));
    row.appendChild(votes);
    return row;
  }

  function render(view, board) {
    var t = TEXT[view.lang];
    view.list.textContent = "";
    view.note.textContent = "";
    if (!board.visible) {
      view.note.textContent = t.hidden;
    } else if (!board.entries.length) {
      view.note.textContent = t.empty;
    } else {
      board.entries.forEach(function (e) { view.list.appendChild(renderEntry(e, view.lang, t)); });
    }
    view.total.textContent = !board.visible ? "" : board.max_choices > 1  // approval: shares are of ballots
      ? t.ballots + ": " + board.total_ballots.toLocaleString(view.lang) + " (" + t.upTo.replace("{k}", board.max_choices) + ")"
      : t.total + ": " + board.total_votes.toLocaleString(view.lang);
    view.root.setAttribute("data-version", String(board.version));
    view.root.setAttribute("data-total", String(board.visible ? board.total_votes : ""));
  }

  // A board's seal (docs/verifiability.md, "Sealed live boards"): its statement rebuilt from the JSON and checked
  // with WebCrypto's Ed25519 against the key of /api/v1/log/key. The statement is veche_shared/tlog/seal.py's,
  // written again here: this widget runs on other sites, without the page's modules (shared/tlog.js).
  var logKey = null;

  function base64Bytes(text) {
    var raw = atob(text);
    var out = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
    return out;
  }

  function loadKey() {
    if (logKey) return logKey;
    if (!window.crypto || !crypto.subtle) return Promise.resolve(null);  // not a secure context: nothing to check with
    logKey = fetch(BASE + "/api/v1/log/key")
      .then(function (answer) { if (!answer.ok) throw new Error("no log key"); return answer.text(); })
      .then(function (vkey) {
        var raw = base64Bytes(vkey.trim().split("+").slice(2).join("+"));  // <name>+<id>+<base64(0x01 || key)>
        if (raw.length !== 33 || raw[0] !== 1) throw new Error("not an Ed25519 key");
        return crypto.subtle.importKey("raw", raw.slice(1), { name: "Ed25519" }, false, ["verify"]);
      })
      .catch(function () { logKey = null; return null; });  // asked again with the next board
    return logKey;
  }

  function statement(board) {
    var lines = ["veche-board/v1", [board.contest, board.nomination, board.version,
      board.visible ? "visible" : "hidden", board.max_choices].join(" ")];
    if (board.visible) lines.push("log " + board.log_size + " " + board.log_root);
    lines.push("total " + board.total_votes + " " + board.total_ballots);
    board.entries.forEach(function (e) { lines.push(e.practice + " " + e.votes); });
    return new TextEncoder().encode(lines.join("\n") + "\n");
  }

  /* "sealed", "refused" (a signature that does not hold), "unsealed" (none: a board the gateway fetched itself,
     until the next live update) or "unchecked" (this browser cannot check Ed25519, or the key is unreachable). */
  function sealOf(board) {
    if (!board.signature || board.log_size === null || board.log_size === undefined || !board.log_root) {
      return Promise.resolve("unsealed");
    }
    var signature;
    try { signature = base64Bytes(board.signature); } catch (e) { return Promise.resolve("refused"); }
    return loadKey().then(function (key) {
      if (!key) return "unchecked";
      return crypto.subtle.verify({ name: "Ed25519" }, key, signature, statement(board))
        .then(function (holds) { return holds ? "sealed" : "refused"; });
    }).catch(function () { return "unchecked"; });
  }

  function setSeal(view, seal, board) {
    var t = TEXT[view.lang];
    view.seal.textContent = seal === "none" ? "" : t[seal];
    view.seal.title = seal === "sealed" ? t.sealedTitle.replace("{n}", board.log_size.toLocaleString(view.lang)) : "";
    view.root.setAttribute("data-seal", seal);
  }

  /* live: false when the host page announces changes itself (the public page announces rank changes only). */
  function skeleton(el, lang, live) {
    ensureStyles();
    el.textContent = "";
    var root = node("section", "veche-board");
    root.setAttribute("aria-live", live === false ? "off" : "polite");
    var head = node("header", "veche-head");
    var title = node("h2", "veche-heading", "");
    var status = node("span", "veche-status", "");
    head.appendChild(title);
    head.appendChild(status);
    var list = node("ol", "veche-list");
    var note = node("p", "veche-note");
    var foot = node("footer", "veche-foot");
    var total = node("span", "veche-total");
    var seal = node("span", "veche-seal");
    var vote = node("a", "veche-vote");
    vote.hidden = true;
    vote.target = "_blank";
    vote.rel = "noopener";
    foot.appendChild(total);
    foot.appendChild(seal);
    foot.appendChild(vote);
    root.appendChild(head);
    root.appendChild(list);
    root.appendChild(note);
    root.appendChild(foot);
    el.appendChild(root);
    return { root: root, title: title, status: status, list: list, note: note, total: total, seal: seal, vote: vote,
             lang: lang };
  }

  function setStatus(view, key) {
    view.status.textContent = TEXT[view.lang][key];
    view.root.setAttribute("data-transport", key);
  }

  /* The "Vote" link: options.vote (a URL, or "none" for no link), else the nomination's page on the gateway. */
  function voteLink(view, contest, nomination, options) {
    if (options.vote === "none") return;
    var page = BASE + "/" + view.lang + "/contests/" + encodeURIComponent(contest) + "/nominations/" +
      encodeURIComponent(nomination);
    var href = options.vote ? new URL(options.vote, location.href) : new URL(page);
    if (href.protocol !== "https:" && href.protocol !== "http:") return;
    fetch(BASE + "/api/v1/contests/" + encodeURIComponent(contest))
      .then(function (answer) { return answer.ok ? answer.json() : null; })
      .then(function (found) {
        if (!found) return;
        view.vote.textContent = TEXT[view.lang][found.phase === "voting_open" ? "vote" : "results"];
        view.vote.href = href.href;
        view.vote.hidden = false;
      })
      .catch(function () {});
  }

  function follow(el, contest, nomination, options) {
    options = options || {};
    var view = skeleton(el, pickLang(el, options.lang), options.live);
    var api = BASE + "/api/v1/contests/" + encodeURIComponent(contest) + "/nominations/" + encodeURIComponent(nomination);
    var version = -1, etag = null, source = null, stopped = false, checked = Promise.resolve();

    /* Boards are shown in the order they came, each once its seal is checked; a refused one is not shown. */
    function show(board) {
      checked = checked.then(function () { return board.visible ? sealOf(board) : "none"; }).then(function (seal) {
        if (stopped) return;
        if (seal === "refused") { setSeal(view, seal, board); return; }
        if (board.visible && board.version < version) return;  // a board that became hidden has version 0
        version = board.version;
        render(view, board);
        setSeal(view, seal, board);
        el.dispatchEvent(new CustomEvent("veche:leaderboard", { detail: board }));
      });
    }

    function poll() {
      if (stopped) return;
      setStatus(view, "polling");
      fetch(api + "/leaderboard", { headers: etag ? { "If-None-Match": etag } : {} })
        .then(function (answer) {
          if (answer.status === 200) { etag = answer.headers.get("ETag"); return answer.json().then(show); }
          if (answer.status !== 304) view.note.textContent = TEXT[view.lang].error;
        })
        .catch(function () { setStatus(view, "offline"); })
        .then(function () { setTimeout(poll, options.pollMs || POLL_MS); });
    }

    function stream() {
      source = new EventSource(api + "/leaderboard/stream");
      source.addEventListener("leaderboard", function (event) { show(JSON.parse(event.data)); });
      source.onopen = function () { setStatus(view, "live"); };
      source.onerror = function () {
        if (source.readyState === EventSource.CLOSED) { source = null; poll(); } else { setStatus(view, "offline"); }
      };
    }

    fetch(api.replace(/\/nominations\/.*$/, "/nominations"))
      .then(function (answer) { return answer.ok ? answer.json() : []; })
      .then(function (list) {
        list.forEach(function (n) { if (n.id === nomination) view.title.textContent = localized(n.title, view.lang); });
      })
      .catch(function () {});
    voteLink(view, contest, nomination, options);
    if (options.transport !== "poll" && "EventSource" in window) stream(); else poll();
    return { stop: function () { stopped = true; if (source) source.close(); } };
  }

  function scan() {
    var found = document.querySelectorAll("[data-veche-leaderboard]:not([data-veche-ready])");
    Array.prototype.forEach.call(found, function (el) {
      var parts = el.getAttribute("data-veche-leaderboard").split("/");
      if (parts.length !== 2) return;
      el.setAttribute("data-veche-ready", "");
      follow(el, parts[0], parts[1], { transport: el.getAttribute("data-veche-transport"),
                                       vote: el.getAttribute("data-veche-vote") });
    });
  }

  window.Veche = { follow: follow, scan: scan };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", scan); else scan();
})();
