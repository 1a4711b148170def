/* Veche live leaderboard: <div data-veche-leaderboard="{contest}/{nomination}"></div> + this script.
   Follows the board by Server-Sent Events and falls back to polling with ETags. No dependencies. */
(function () {
  "use strict";
  var script = document.currentScript;
  var BASE = script && script.src ? new URL(script.src, location.href).origin : location.origin;
  var POLL_MS = 5000;
  var HEAD_MS = 3000;  // at most one check of the shown board's log head per this many ms
  var TEXT = {
    en: { votes: { one: "{n} vote", other: "{n} votes" }, total: "Total votes", ballots: "Ballots", upTo: "each approves up to {k} practices", vote: "Vote", results: "See the contest", hidden: "Results are hidden until voting closes.",
          empty: "No practices yet.", live: "Live", polling: "Updating", offline: "Reconnecting…",
          rank: "Rank", error: "The leaderboard is not available.", powered: "Veche",
          sealed: "✓ Signature checked", unsealed: "Not signed yet", unchecked: "Signature not checked",
          refused: "A board with a false signature was refused", logged: "✓ Checked against the signed log",
          forked: "A board that is not in the signed log was refused",
          sealedTitle: "Checked in this browser: the platform's log key signed these numbers, counted from the first {n} entries of the public log.",
          loggedTitle: "Checked in this browser: the platform's log key signed these numbers, counted from the first {n} entries of the public log, and those entries begin the log's signed checkpoint of {m} entries." },
    ru: { votes: { one: "{n} голос", few: "{n} голоса", many: "{n} голосов", other: "{n} голоса" }, total: "Всего голосов", ballots: "Бюллетеней", upTo: "в каждом до {k} практик",
          vote: "Голосовать", results: "Открыть конкурс", hidden: "Результаты скрыты до окончания голосования.",
          empty: "Практик пока нет.", live: "В эфире", polling: "Обновляется", offline: "Переподключение…",
          rank: "Место", error: "Рейтинг недоступен.", powered: "Вече",
          sealed: "✓ Подпись проверена", unsealed: "Ещё не подписано", unchecked: "Подпись не проверена",
          refused: "Отклонён рейтинг с неверной подписью", logged: "✓ Сверено с подписанным журналом",
          forked: "Отклонён рейтинг, которого нет в подписанном журнале",
          sealedTitle: "Проверено в этом браузере: ключ журнала платформы подписал эти числа, подсчитанные по первым {n} записям публичного журнала.",
          loggedTitle: "Проверено в этом браузере: ключ журнала платформы подписал эти числа, подсчитанные по первым {n} записям публичного журнала, и эти записи начинают подписанную контрольную точку журнала из {m} записей." }
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
        var parts = vkey.trim().split("+");  // <name>+<key id hex>+<base64(0x01 || key)>
        var raw = base64Bytes(parts.slice(2).join("+"));
        if (raw.length !== 33 || raw[0] !== 1) throw new Error("not an Ed25519 key");
        return crypto.subtle.importKey("raw", raw.slice(1), { name: "Ed25519" }, false, ["verify"])
          .then(function (key) { return { key: key, name: parts[0], id: parts[1] }; });
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
    return loadKey().then(function (logs) {
      if (!logs) return "unchecked";
      return crypto.subtle.verify({ name: "Ed25519" }, logs.key, signature, statement(board))
        .then(function (holds) { return holds ? "sealed" : "refused"; });
    }).catch(function () { return "unchecked"; });
  }

  // A sealed board's log head (docs/verifiability.md): the first log_size entries it was counted from must begin the
  // log's latest signed checkpoint — the same root at its size, else the RFC 9162 consistency proof from the board's
  // size to the checkpoint's. shared/tlog.js's checkBoardHead, written again here for the same reason as statement.
  function sha256(parts) {
    var size = parts.reduce(function (n, part) { return n + part.length; }, 0), data = new Uint8Array(size), at = 0;
    parts.forEach(function (part) { data.set(part, at); at += part.length; });
    return crypto.subtle.digest("SHA-256", data).then(function (digest) { return new Uint8Array(digest); });
  }

  function sameBytes(a, b) {
    return a.length === b.length && a.every(function (byte, i) { return byte === b[i]; });
  }

  /* Whether proof (32-byte hashes) shows that the tree of newSize with newRoot extends that of oldSize with
     oldRoot (RFC 9162, 2.1.4.2; 1 <= oldSize < newSize). */
  function consistent(oldSize, newSize, oldRoot, newRoot, proof) {
    var path = (oldSize & (oldSize - 1)) === 0 ? [oldRoot].concat(proof) : proof.slice();
    var fn = oldSize - 1, sn = newSize - 1;
    if (!path.length || path.some(function (h) { return h.length !== 32; })) return Promise.resolve(false);
    while (fn % 2 === 1) { fn = Math.floor(fn / 2); sn = Math.floor(sn / 2); }
    var step = Promise.resolve([path[0], path[0]]);
    path.slice(1).forEach(function (hash) {
      step = step.then(function (roots) {
        if (roots === null || sn === 0) return null;
        var left = fn % 2 === 1 || fn === sn, next;
        if (left) {
          next = Promise.all([sha256([[1], hash, roots[0]]), sha256([[1], hash, roots[1]])]);
          while (fn % 2 === 0 && fn !== 0) { fn /= 2; sn = Math.floor(sn / 2); }
        } else {
          next = sha256([[1], roots[1], hash]).then(function (sr) { return [roots[0], sr]; });
        }
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
        return next;
      });
    });
    return step.then(function (roots) {
      return roots !== null && sn === 0 && sameBytes(roots[0], oldRoot) && sameBytes(roots[1], newRoot);
    });
  }

  /* The latest signed checkpoint's size and root if the log key signed it for this nomination's log; null if it
     did not, undefined if none is signed yet. */
  function signedCheckpoint(api, logs, board) {
    return fetch(api + "/log/checkpoint").then(function (answer) {
      if (answer.status === 404) return undefined;  // none signed yet (the first comes seconds after the first ballot)
      if (!answer.ok) throw new Error("no checkpoint");
      return answer.text();
    }).then(function (note) {
      if (note === undefined) return undefined;
      var cut = note.lastIndexOf("\n\n"), text = note.slice(0, cut + 1), lines = text.split("\n");
      var signatures = note.slice(cut + 2).split("\n").filter(function (line) {
        return line.indexOf("\u2014 " + logs.name + " ") === 0;
      });
      var origin = lines[0] || "", size = Number(lines[1]), root = base64Bytes(lines[2] || "");
      var ours = cut > 0 && origin.slice(-(board.contest.length + board.nomination.length + 2)) ===
        "/" + board.contest + "/" + board.nomination && Number.isSafeInteger(size) && root.length === 32;
      return Promise.all(signatures.map(function (line) {
        var raw = base64Bytes(line.split(" ")[2] || "");
        var id = Array.prototype.map.call(raw.slice(0, 4), function (b) { return (b < 16 ? "0" : "") + b.toString(16); });
        if (!ours || id.join("") !== logs.id) return false;
        return crypto.subtle.verify({ name: "Ed25519" }, logs.key, raw.slice(4), new TextEncoder().encode(text));
      })).then(function (held) {
        if (held.indexOf(true) < 0) return null;  // not signed by the log key for this log: nothing it can vouch for
        return { size: size, root: root };
      });
    });
  }

  /* "logged" (the head begins a signed checkpoint), "ahead" (counted past the latest checkpoint: the next one, signed
     within seconds, can tell), "forked" (it does not: the board is not shown) or "unchecked" (nothing to check with). */
  function headOf(api, board) {
    var root = base64Bytes(board.log_root);
    if (board.log_size === 0) {  // an empty log (no ballot yet) begins every log: its root is SHA-256 of nothing
      return sha256([]).then(function (empty) { return [sameBytes(root, empty) ? "logged" : "forked"]; });
    }
    return loadKey().then(function (logs) {
      if (!logs) return ["unchecked"];
      return signedCheckpoint(api, logs, board).then(function (checkpoint) {
        if (checkpoint === undefined) return ["ahead"];
        if (checkpoint === null) return ["forked"];
        if (board.log_size > checkpoint.size) return ["ahead"];
        if (board.log_size === checkpoint.size) return [sameBytes(root, checkpoint.root) ? "logged" : "forked", checkpoint];
        return fetch(api + "/log/consistency?old=" + board.log_size + "&new=" + checkpoint.size)
          .then(function (answer) { if (!answer.ok) throw new Error("no proof"); return answer.json(); })
          .then(function (proof) {
            return consistent(board.log_size, checkpoint.size, root, checkpoint.root, proof.hashes.map(base64Bytes));
          })
          .then(function (holds) { return [holds ? "logged" : "forked", checkpoint]; });
      });
    }).catch(function () { return ["unchecked"]; });
  }

  function setSeal(view, seal, board, checkpoint) {
    var t = TEXT[view.lang];
    view.seal.textContent = seal === "none" ? "" : t[seal];
    view.seal.title = seal === "sealed" ? t.sealedTitle.replace("{n}", board.log_size.toLocaleString(view.lang)) :
      seal === "logged" && checkpoint ? t.loggedTitle.replace("{n}", board.log_size.toLocaleString(view.lang))
        .replace("{m}", checkpoint.size.toLocaleString(view.lang)) : "";
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
    var shown = null, headTimer = null, headChecked = 0;

    /* The shown board's log head, checked at most once per HEAD_MS (a busy board changes several times a second;
       its checkpoint every 2 s): a later board replaces the one waiting. A head the signed log does not hold takes
       the board off; one ahead of the latest checkpoint is checked again at the next turn. */
    function checkHead(board) {
      shown = board;
      if (headTimer !== null) return;
      headTimer = setTimeout(function () {
        var checking = shown;
        headChecked = Date.now();
        headOf(api, checking).then(function (found) {
          headTimer = null;
          if (stopped || checking !== shown) { if (!stopped && shown) checkHead(shown); return; }
          if (found[0] === "ahead") { checkHead(checking); return; }
          if (found[0] === "forked") { view.list.textContent = ""; view.root.removeAttribute("data-total"); }
          setSeal(view, found[0] === "unchecked" ? "sealed" : found[0], checking, found[1]);
        });
      }, Math.max(0, headChecked + HEAD_MS - Date.now()));
    }

    /* Boards are shown in the order they came, each once its seal is checked; a refused one is not shown. */
    function show(board) {
      checked = checked.then(function () { return board.visible ? sealOf(board) : "none"; }).then(function (seal) {
        if (stopped) return;
        if (seal === "refused") { setSeal(view, seal, board); return; }
        if (board.visible && board.version < version) return;  // a board that became hidden has version 0
        version = board.version;
        render(view, board);
        setSeal(view, seal, board);
        shown = null;
        if (seal === "sealed") checkHead(board);
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
