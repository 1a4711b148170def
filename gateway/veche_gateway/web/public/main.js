// The public contest page: nominations, map, practice cards, voting, live leaderboard, the voter's ballot.
import { all, call, get, seg } from "../shared/api.js";
import { $, el } from "../shared/dom.js";
import { chooseLang, currentLang, pick, setContestLanguage, setLang, t, translate, wireLangButtons } from "../shared/i18n.js";
import { chooseButton, isApproval, startChoosing, stopChoosing, titlesOf } from "./ballot.js";
import { ensureToken, renderIdentity, savedToken, setupIdentity } from "./identity.js";
import { loadChart, loadResults, onBoard, redrawMap, reset, setupLive } from "./live.js";
import { renderTabs } from "./tabs.js";
import "./texts.js";

const params = new URLSearchParams(location.search);
const state = { contest: null, nominations: [], nomination: null, practices: [], cities: {}, follower: null,
  identity: null };

const say = (text) => { $("message").textContent = text; };
const nominationPath = () => `/contests/${seg(state.contest.id)}/nominations/${seg(state.nomination)}`;
const currentNomination = () => state.nominations.find((n) => n.id === state.nomination);

function renderTexts() {
  translate();
  if (!state.contest) return;
  $("contest-title").textContent = pick(state.contest.title);
  $("contest-description").textContent = pick(state.contest.description);
  $("contest-phase").textContent = t(`phase_${state.contest.phase}`);
  document.title = `${pick(state.contest.title)} — Veche`;
  if (state.identity) renderIdentity();
  renderNominations();
}

function renderNominations() {
  const items = state.nominations.map((n) => ({ id: n.id, label: pick(n.title) }));
  renderTabs($("nominations"), items, state.nomination, $("practices"), selectNomination);
}

function card(p, open) {
  const city = pick((state.cities[p.municipality] || {}).name) || p.municipality;
  return el("li", { class: "card", id: `practice-${p.id}` },
    el("h3", { class: "card-title", text: pick(p.title) }),
    el("p", { class: "card-city", text: city }),
    pick(p.summary) ? el("p", { class: "card-summary", text: pick(p.summary) }) : null,
    isApproval(currentNomination()) ? chooseButton(p, city, open) :
      el("button", { type: "button", class: "vote", disabled: !open, "data-practice": p.id,
        "aria-label": t("voteFor", { title: pick(p.title), city }), onclick: () => castVote([p.id]), text: t("vote") }));
}

function renderCards() {
  const open = state.contest.phase === "voting_open";
  $("cards").replaceChildren(...state.practices.map((p) => card(p, open)));
  if (isApproval(currentNomination())) startChoosing(currentNomination(), state.practices, open, castVote);
  else stopChoosing();
  redrawMap();
}

/** Cast one ballot of these practices (one, or an approval set); true once it is accepted. */
async function castVote(practices) {
  let accepted = false;
  try {
    const token = await ensureToken();
    if (!token) return false;
    const key = `web-${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
    await call("POST", `${nominationPath()}/votes`,
      { body: { practices }, token, headers: { "Idempotency-Key": key } });
    say(t("voted"));
    accepted = true;
  } catch (error) {
    say(refusalText(error));
  }
  loadBallot();
  return accepted;
}

function refusalText(error) {
  if (error.code === "already_voted") return t("already");
  if (error.status === 401 || error.status === 403) return t("badToken");
  if (error.status === 429) return t("limited", { s: error.retryAfter || "1" });
  return t("failed", { why: error.message });
}

function ballotText(ballot, chosen) {
  const title = chosen ? pick(chosen.title) : ballot && ballot.practice;
  if (!ballot) return t("noBallot");
  if (ballot.practices && ballot.practices.length > 1) {
    const titles = titlesOf(ballot.practices, state.practices);
    if (ballot.counted === false) return t("ballotSetAnnulled", { titles, reason: ballot.annulment ? ballot.annulment.reason : "" });
    return t("ballotForSet", { titles });
  }
  if (ballot.counted === false) return t("ballotAnnulled", { title, reason: ballot.annulment ? ballot.annulment.reason : "" });
  return chosen ? t("ballotFor", { title }) : t("noBallot");
}

function loadBallot() {
  const token = savedToken();
  if (!token) { $("ballot-text").textContent = t("noBallot"); return; }
  get(`${nominationPath()}/my-ballot`, { token }).catch(() => null).then((ballot) => {
    const chosen = ballot && state.practices.find((p) => p.id === ballot.practice);
    $("ballot-text").textContent = ballotText(ballot, chosen);
    const counted = ballot && ballot.counted !== false ? ballot.practices || [] : [];
    document.querySelectorAll(".card").forEach((c) => {
      c.classList.toggle("chosen", counted.some((id) => c.id === `practice-${id}`));
    });
    if (ballot && isApproval(currentNomination())) {  // one ballot per nomination: nothing left to choose
      stopChoosing();
      document.querySelectorAll("#cards .choose").forEach((b) => { b.disabled = true; b.dataset.open = "false"; });
    }
  });
}

function selectNomination(id) {
  state.nomination = id;
  renderNominations();
  const url = new URL(location.href);
  url.searchParams.set("nomination", id);
  history.replaceState(null, "", url);
  if (state.follower) state.follower.stop();
  reset();
  state.follower = window.Veche.follow($("board"), state.contest.id, id, { lang: currentLang(), live: false, vote: "none" });
  all(`/contests/${seg(state.contest.id)}/practices?nomination=${seg(id)}`, { limit: 1000 }).then((practices) => {
    state.practices = practices;
    renderCards();
    loadBallot();
    loadResults();
  });
  loadChart();
}

async function start() {
  const contests = await get("/contests");
  const wanted = params.get("contest");
  const contest = contests.find((c) => c.id === wanted) || contests.find((c) => c.phase === "voting_open") || contests[0];
  if (!contest) { $("contest-title").textContent = t("noContest"); return; }
  state.contest = contest;
  setContestLanguage(contest.default_language);
  const [nominations, cities, identity] = await Promise.all([get(`/contests/${seg(contest.id)}/nominations`),
    all("/municipalities", { limit: 1000 }), get(`/contests/${seg(contest.id)}/identity`)]);
  state.nominations = nominations;
  cities.forEach((m) => { state.cities[m.id] = m; });
  state.identity = identity;
  setupIdentity(state.contest, state.identity, say);
  renderTexts();
  const first = state.nominations.find((n) => n.id === params.get("nomination")) || state.nominations[0];
  if (first) selectNomination(first.id);
}

wireLangButtons(() => {
  renderTexts();
  if (state.nomination) selectNomination(state.nomination);
});
document.addEventListener("veche-identity", () => { if (state.nomination) loadBallot(); });
$("board").addEventListener("veche:leaderboard", (event) => onBoard(event.detail));
setupLive(state);
setLang(chooseLang());
renderTexts();
start().catch((error) => say(t("failed", { why: error.message })));
