// Live results for operators: every nomination's standings (hidden ones included: the API gives them to any
// operator role), turnout per minute and by municipality. One request every 5 s for the standings; the turnout
// every 30 s; nothing while the tab is hidden.
import { seg } from "../../shared/api.js";
import { el, svg } from "../../shared/dom.js";
import { currentLang, pick, wordsOf } from "../../shared/i18n.js";
import { get } from "../../shared/operator.js";
import { table } from "../forms.js";
import { register } from "../registry.js";

const BOARDS_MS = 5_000;
const TURNOUT_EVERY = 6;  // standings refreshes between two reads of the turnout
const MINUTES = 60;
const TOWNS_SHOWN = 15;

const t = wordsOf("live", {
  en: {
    navLive: "Live results", liveHeading: "Live results", liveUpdated: "Updated {when}; refreshes every 5 seconds.",
    liveHidden: "Hidden from the public: only operators see these numbers until the contest's visibility allows.",
    livePublic: "The public sees these numbers too.", liveBallots: "{ballots} ballot(s) in all",
    liveNomination: "{title}: {ballots} ballot(s)", livePlace: "Place", livePractice: "Practice",
    liveTown: "Municipality", liveVotes: "Votes", liveShare: "Share", liveHour: "Last hour",
    turnoutHeading: "Turnout per minute, last hour", turnoutTotal: "{votes} vote(s) in the last hour",
    townsHeading: "Votes by municipality", townsMore: "the {shown} with most votes of {all}", noVotesYet: "No votes yet.",
  },
  ru: {
    navLive: "Итоги онлайн", liveHeading: "Итоги онлайн", liveUpdated: "Обновлено {when}; обновляется каждые 5 секунд.",
    liveHidden: "Скрыто от публики: эти числа видят только операторы, пока видимость конкурса не позволит.",
    livePublic: "Публика тоже видит эти числа.", liveBallots: "Всего бюллетеней: {ballots}",
    liveNomination: "{title}: бюллетеней {ballots}", livePlace: "Место", livePractice: "Практика",
    liveTown: "Муниципалитет", liveVotes: "Голоса", liveShare: "Доля", liveHour: "За час",
    turnoutHeading: "Явка по минутам за последний час", turnoutTotal: "Голосов за последний час: {votes}",
    townsHeading: "Голоса по муниципалитетам", townsMore: "{shown} с наибольшим числом голосов из {all}",
    noVotesYet: "Голосов пока нет.",
  },
});

/** Whether the public sees the numbers now (as Contest.results_public in veche_shared/contracts/catalog.py). */
export function resultsPublic(contest) {
  if (contest.phase === "draft") return false;
  if (contest.visibility === "live") return true;
  if (contest.visibility === "after_close") return ["voting_closed", "results_published"].includes(contest.phase);
  return contest.phase === "results_published";
}

const number = (n) => Number(n).toLocaleString(currentLang());
const percent = (share) => `${(share * 100).toLocaleString(currentLang(), { maximumFractionDigits: 1 })}%`;

function board(b, titles) {
  const title = titles[b.nomination] || b.nomination;
  const rows = b.entries.map((e) => el("tr", { "data-practice": e.practice },
    el("td", { class: "num", text: e.rank }), el("td", { text: pick(e.title) }), el("td", { text: pick(e.municipality_name) }),
    el("td", { class: "num votes", text: number(e.votes) }), el("td", { class: "num", text: percent(e.share) }),
    el("td", { class: "num", text: (e.change_last_hour > 0 ? "+" : "") + number(e.change_last_hour) })));
  const headings = ["livePlace", "livePractice", "liveTown", "liveVotes", "liveShare", "liveHour"].map((k) => t(k));
  return el("section", { class: "panel board", "data-nomination": b.nomination },
    el("h2", { text: t("liveNomination", { title, ballots: number(b.total_ballots || b.total_votes) }) }),
    rows.length ? table(headings, rows) : el("p", { text: t("noVotesYet") }));
}

/** Bars of votes per minute over the last hour (all nominations together), with the numbers as text too. */
function turnoutChart(series) {
  const perMinute = new Map();
  for (const s of series) for (const p of s.points) {
    const minute = p.minute.slice(0, 16);
    perMinute.set(minute, (perMinute.get(minute) || 0) + p.votes);
  }
  const now = Date.now();
  const minutes = Array.from({ length: MINUTES }, (_, i) => new Date(now - (MINUTES - 1 - i) * 60_000).toISOString().slice(0, 16));
  const counts = minutes.map((m) => perMinute.get(m) || 0);
  const top = Math.max(1, ...counts);
  const total = counts.reduce((a, b) => a + b, 0);
  const bars = counts.map((n, i) => svg("rect", { x: i * 5, y: 60 - (n / top) * 58, width: 4, height: (n / top) * 58,
    class: "turnout-bar" }, svg("title", { text: `${minutes[i].slice(11)} UTC: ${n}` })));
  return el("section", { class: "panel", "aria-labelledby": "turnout-heading" },
    el("h2", { id: "turnout-heading", text: t("turnoutHeading") }),
    el("p", { id: "turnout-total", text: t("turnoutTotal", { votes: number(total) }) }),
    svg("svg", { viewBox: `0 0 ${MINUTES * 5} 60`, class: "turnout", role: "img", "aria-labelledby": "turnout-total" }, bars));
}

function towns(map) {
  const all = [...map.municipalities].sort((a, b) => b.votes - a.votes).filter((m) => m.votes > 0);
  const shown = all.slice(0, TOWNS_SHOWN);
  const rows = shown.map((m) => el("tr", { "data-municipality": m.municipality },
    el("td", { text: pick(m.name) }), el("td", { class: "num", text: number(m.votes) })));
  return el("section", { class: "panel", "aria-labelledby": "towns-heading" },
    el("h2", { id: "towns-heading", text: t("townsHeading") }),
    all.length > shown.length ? el("p", { class: "hint", text: t("townsMore", { shown: shown.length, all: all.length }) }) : null,
    rows.length ? table([t("liveTown"), t("liveVotes")], rows, { id: "towns-table" }) : el("p", { text: t("noVotesYet") }));
}

register({
  t, id: "live", label: "navLive", role: "observer", order: 75, needsContest: true,
  render(root, ctx) {
    const contest = ctx.contest;
    const base = `/admin/contests/${seg(contest.id)}`;
    const status = el("p", { id: "live-status", role: "status" });
    const boards = el("div", { id: "live-boards" });
    const turnout = el("div", { id: "live-turnout" });
    root.append(el("h1", { text: t("liveHeading") }), status,
      el("p", { class: "hint", id: "live-visibility" }), boards, turnout);
    const state = { timer: null, ticks: 0, titles: {}, nominations: [] };
    const refresh = async () => {
      if (document.hidden) return;
      try {
        if (!state.nominations.length) {
          state.nominations = (await get(`${base}/nominations`)).filter((n) => !n.archived);
          state.titles = Object.fromEntries(state.nominations.map((n) => [n.id, pick(n.title)]));
        }
        const list = await get(`${base}/leaderboards`);
        const ballots = list.reduce((sum, b) => sum + (b.total_ballots || b.total_votes), 0);
        boards.replaceChildren(el("p", { id: "live-ballots", text: t("liveBallots", { ballots: number(ballots) }) }),
          ...list.map((b) => board(b, state.titles)));
        root.querySelector("#live-visibility").textContent = t(resultsPublic(contest) ? "livePublic" : "liveHidden");
        status.textContent = t("liveUpdated", { when: new Date().toLocaleTimeString(currentLang()) });
        if (state.ticks % TURNOUT_EVERY === 0) {
          const series = await Promise.all(state.nominations.map((n) =>
            get(`${base}/nominations/${seg(n.id)}/timeseries?minutes=${MINUTES}`)));
          turnout.replaceChildren(turnoutChart(series), towns(await get(`${base}/map`)));
        }
        state.ticks += 1;
      } catch (error) { status.textContent = t("failed", { why: error.message }); }
    };
    refresh();
    state.timer = setInterval(refresh, BOARDS_MS);
    return () => clearInterval(state.timer);
  },
});
