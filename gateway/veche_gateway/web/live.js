/* The public page's parts that follow the results: the map's markers, the polite announcements of rank changes,
   the chart of votes over time and, after publication, the certified results. */
(function () {
  "use strict";
  var $ = function (id) { return document.getElementById(id); };
  var MAP_EVERY_MS = 2000, ANNOUNCE_EVERY_MS = 5000, CHART_EVERY_MS = 60000, CHART_HOURS = 24;
  var page = null, tools = null;
  var live = { board: null, ranks: null, mapAt: 0, mapTimer: null, said: 0, sayTimer: null, pending: "",
               chartTimer: null };

  function text(value) { return typeof value === "string" ? value : tools.loc(value); }
  function votes(n) { return window.VecheText.count(page.lang, window.VecheText[page.lang].votes, n); }

  /* One place per municipality of the nomination, with its practices' votes when the board shows numbers. */
  function places() {
    var counted = {}, visible = !!(live.board && live.board.visible), seen = {};
    if (visible) live.board.entries.forEach(function (e) { counted[e.municipality] = (counted[e.municipality] || 0) + e.votes; });
    return page.practices.reduce(function (list, p) {
      var city = page.cities[p.municipality];
      if (!city || seen[city.id]) return list;
      seen[city.id] = true;
      var name = tools.loc(city.name) || city.id, count = visible ? counted[city.id] || 0 : null;
      list.push({ id: city.id, name: name, lat: city.lat, lon: city.lon, votes: count,
                  votesText: count === null ? "" : votes(count), href: "#practice-" + p.id,
                  label: count === null ? name : tools.t("mapLabel", { name: name, votes: votes(count) }) });
      return list;
    }, []);
  }

  function fillList(shown) {
    var body = $("map-list").querySelector("tbody");
    body.textContent = "";
    shown.slice().sort(function (a, b) { return (b.votes || 0) - (a.votes || 0) || a.name.localeCompare(b.name); })
      .forEach(function (p) {
        var row = body.insertRow(), link = document.createElement("a");
        link.href = p.href;
        link.textContent = p.name;
        row.insertCell().appendChild(link);
        row.insertCell().textContent = p.votes === null ? "—" : p.votesText;
      });
  }

  /* Live boards come several times a second: the map is redrawn at most every MAP_EVERY_MS. */
  function drawMap() {
    clearTimeout(live.mapTimer);
    var wait = live.mapAt + MAP_EVERY_MS - Date.now();
    if (wait > 0) { live.mapTimer = setTimeout(drawMap, wait); return; }
    live.mapAt = Date.now();
    var shown = places();
    window.VecheMap.draw($("map"), shown);
    if ($("map-list").open) fillList(shown);
  }

  function say(text) {
    live.pending = text;
    clearTimeout(live.sayTimer);
    var wait = live.said + ANNOUNCE_EVERY_MS - Date.now();
    if (wait > 0) { live.sayTimer = setTimeout(function () { say(live.pending); }, wait); return; }
    live.said = Date.now();
    $("announce").textContent = text;
  }

  function soleLeader(ranks) {
    var first = Object.keys(ranks).filter(function (practice) { return ranks[practice] === 1; });
    return first.length === 1 ? first[0] : null;
  }

  /* What changed in the order, not in the numbers: a new sole leader, or a practice moving up into the top three. */
  function rankNews(board) {
    var before = live.ranks, now = {};
    board.entries.forEach(function (e) { now[e.practice] = e.rank; });
    live.ranks = now;
    if (!before || !board.visible) return "";
    var leader = soleLeader(now), titles = {};
    board.entries.forEach(function (e) { titles[e.practice] = text(e.title); });
    if (leader && leader !== soleLeader(before)) return tools.t("leader", { title: titles[leader] });
    var news = board.entries.filter(function (e) { return e.rank <= 3 && before[e.practice] > e.rank; })[0];
    if (!news) return "";
    var tied = board.entries.filter(function (e) { return e.rank === news.rank; }).length > 1;
    return tools.t(tied ? "tied" : "rankUp", { title: titles[news.practice], rank: news.rank });
  }

  function onBoard(board) {
    live.board = board;
    var news = rankNews(board);
    if (news) say(news);
    drawMap();
  }

  function loadChart() {
    clearTimeout(live.chartTimer);
    var nomination = page.nomination, path = "/contests/" + page.contest.id + "/nominations/" + nomination;
    tools.json(path + "/timeseries?minutes=" + CHART_HOURS * 60).then(function (series) {
      if (nomination !== page.nomination) return;
      $("chart").hidden = !series.visible;
      if (series.visible) window.VecheChart.draw($("chart"), series, CHART_HOURS, tools.t, page.lang, votes);
    }).catch(function () { $("chart").hidden = true; });
    live.chartTimer = setTimeout(loadChart, CHART_EVERY_MS);
  }

  function loadResults() {
    if (page.contest.phase !== "results_published") { $("results").hidden = true; return; }
    var titles = {};
    page.practices.forEach(function (p) { titles[p.id] = text(p.title); });
    window.VecheResults.show($("results"), page.contest.id, page.nomination, titles, tools.t, page.lang, votes);
  }

  function reset() {  /* another nomination: nothing said about the last one, not even a pending announcement */
    clearTimeout(live.sayTimer);
    live.board = null;
    live.ranks = null;
    $("announce").textContent = "";
  }

  function setup(state, helpers) {
    page = state;
    tools = helpers;
    window.addEventListener("resize", function () { if (page.practices.length) drawMap(); });
    $("map-list").addEventListener("toggle", function () { if ($("map-list").open) fillList(places()); });
  }

  window.VecheLive = { setup: setup, reset: reset, onBoard: onBoard, drawMap: drawMap, loadChart: loadChart,
                       loadResults: loadResults };
})();
