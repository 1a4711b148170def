// The public page's parts that follow the results: the map's markers, the polite announcements of rank changes,
// the chart of votes over time and, after publication, the certified results.
import { get, seg } from "../shared/api.js";
import { $, el } from "../shared/dom.js";
import { pick, plural, t } from "../shared/i18n.js";
import { drawChart } from "./chart.js";
import { drawMap } from "./map.js";
import { rankNews } from "./news.js";
import { showResults } from "./results.js";

const MAP_EVERY_MS = 2000, ANNOUNCE_EVERY_MS = 5000, CHART_EVERY_MS = 60000, CHART_HOURS = 24;
const live = { board: null, ranks: null, mapAt: 0, mapTimer: null, said: 0, sayTimer: null, pending: "",
  chartTimer: null };
let page = null;

const votes = (n) => plural("votes", n);

/** One place per municipality of the nomination, with its practices' votes when the board shows numbers. */
function places() {
  const counted = {}, visible = !!(live.board && live.board.visible), seen = new Set();
  if (visible) live.board.entries.forEach((e) => { counted[e.municipality] = (counted[e.municipality] || 0) + e.votes; });
  return page.practices.reduce((list, p) => {
    const city = page.cities[p.municipality];
    if (!city || seen.has(city.id)) return list;
    seen.add(city.id);
    const name = pick(city.name) || city.id, count = visible ? counted[city.id] || 0 : null;
    list.push({ id: city.id, name, lat: city.lat, lon: city.lon, votes: count,
      votesText: count === null ? "" : votes(count), href: `#practice-${p.id}`,
      label: count === null ? name : t("mapLabel", { name, votes: votes(count) }) });
    return list;
  }, []);
}

function fillList(shown) {
  const sorted = shown.slice().sort((a, b) => (b.votes || 0) - (a.votes || 0) || a.name.localeCompare(b.name));
  $("map-list").querySelector("tbody").replaceChildren(...sorted.map((p) => el("tr", {},
    el("td", {}, el("a", { href: p.href, text: p.name })),
    el("td", { text: p.votes === null ? "—" : p.votesText }))));
}

/** Live boards come several times a second: the map is redrawn at most every MAP_EVERY_MS (never while folded). */
export function redrawMap() {
  clearTimeout(live.mapTimer);
  if ($("map-figure").hidden) return;
  const wait = live.mapAt + MAP_EVERY_MS - Date.now();
  if (wait > 0) { live.mapTimer = setTimeout(redrawMap, wait); return; }
  live.mapAt = Date.now();
  const shown = places();
  drawMap($("map"), shown);
  if ($("map-list").open) fillList(shown);
}

/** On a phone the map starts folded behind "Show the map" (the practices come first, and a slow phone does not
    draw it for nothing); wider screens show it beside nothing else to fold. The choice holds until the width
    crosses the line again. */
function setupMapToggle() {
  const narrow = matchMedia("(max-width: 700px)"), button = $("map-toggle");
  const show = (open) => {
    $("map-figure").hidden = !open;
    button.setAttribute("aria-expanded", String(open));
    button.dataset.t = open ? "mapHide" : "mapShow";  // translate() names it again when the language changes
    button.textContent = t(button.dataset.t);
    if (open && page && page.practices.length) { live.mapAt = 0; redrawMap(); }
  };
  const fit = () => { button.hidden = !narrow.matches; show(!narrow.matches); };
  button.addEventListener("click", () => show($("map-figure").hidden));
  narrow.addEventListener("change", fit);
  fit();
}

function announce(text) {
  live.pending = text;
  clearTimeout(live.sayTimer);
  const wait = live.said + ANNOUNCE_EVERY_MS - Date.now();
  if (wait > 0) { live.sayTimer = setTimeout(() => announce(live.pending), wait); return; }
  live.said = Date.now();
  $("announce").textContent = text;
}

export function onBoard(board) {
  live.board = board;
  const { ranks, news } = rankNews(live.ranks, board);
  live.ranks = ranks;
  if (news) {
    const entry = board.entries.find((e) => e.practice === news.practice);
    announce(t(news.key, { title: pick(entry.title), rank: news.rank }));
  }
  redrawMap();
}

export function loadChart() {
  clearTimeout(live.chartTimer);
  const nomination = page.nomination;
  get(`/contests/${seg(page.contest.id)}/nominations/${seg(nomination)}/timeseries?minutes=${CHART_HOURS * 60}`)
    .then((series) => {
      if (nomination !== page.nomination) return;
      $("chart").hidden = !series.visible;
      if (series.visible) drawChart($("chart"), series, CHART_HOURS);
    }).catch(() => { $("chart").hidden = true; });
  live.chartTimer = setTimeout(loadChart, CHART_EVERY_MS);
}

export function loadResults() {
  if (page.contest.phase !== "results_published") { $("results").hidden = true; return; }
  const titles = {};
  page.practices.forEach((p) => { titles[p.id] = pick(p.title); });
  showResults($("results"), page.contest.id, page.nomination, titles);
}

/** Another nomination: nothing said about the last one, not even a pending announcement. */
export function reset() {
  clearTimeout(live.sayTimer);
  live.board = null;
  live.ranks = null;
  $("announce").textContent = "";
}

/** state: the page's (contest, nomination, practices, cities), read as it changes. */
export function setupLive(state) {
  page = state;
  window.addEventListener("resize", () => { if (page.practices.length) redrawMap(); });
  $("map-list").addEventListener("toggle", () => { if ($("map-list").open) fillList(places()); });
  setupMapToggle();
}
