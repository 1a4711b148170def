// The public contest page: nominations, map, practice cards, voting, live leaderboard, the voter's ballot.
import { all, call, get, seg } from "../shared/api.js";
import { $, el } from "../shared/dom.js";
import { chooseLang, currentLang, pick, setContestLanguage, setLang, t, translate, wireLangButtons } from "../shared/i18n.js";
import { chooseButton, isApproval, startChoosing, stopChoosing, titlesOf } from "./ballot.js";
import { ensureToken, loadAltcha, renderIdentity, savedToken, setupIdentity } from "./identity.js";
import { loadChart, loadResults, onBoard, redrawMap, reset, setupLive } from "./live.js";
import { nextToVote, offerNext, renderProgress } from "./progress.js";
import { offerProof } from "./proof.js";
import { renderTabs } from "./tabs.js";
import { idempotencyKey, markBallot, refusalText, voteFromCard } from "./vote.js";
import "./texts.js";

const params = new URLSearchParams(location.search);
// The page's address: /<lang>/contests/<contest>[/nominations/<nomination>] (the gateway moves old ?contest= links)
const [, pathLang, pathContest, pathNomination] =
  location.pathname.match(/^\/(ru|en)\/contests\/([A-Za-z0-9_-]+)(?:\/nominations\/([A-Za-z0-9_-]+))?/) || [];
const state = { contest: null, nominations: [], nomination: null, practices: [], cities: {}, follower: null,
  identity: null, voted: new Map() };

// What the server put in the page (veche_gateway/contest_page.py): the contest, its nominations, how voters prove
// who they are, the chosen nomination's practices and their places, as the API answers them; null without it.
const boot = JSON.parse(($("boot") || {}).textContent || "null");

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
  const items = state.nominations.map((n) => ({ id: n.id, label: pick(n.title),
    done: state.voted.has(n.id) ? t("votedHere") : null }));
  renderTabs($("nominations"), items, state.nomination, $("practices"), selectNomination);
}

/** The practice's own page (server-rendered, shareable): /<lang>/contests/<c>/nominations/<n>/practices/<p>. */
const practicePage = (p) =>
  `/${currentLang()}/contests/${seg(state.contest.id)}/nominations/${seg(p.nomination)}/practices/${seg(p.id)}`;

function voteButton(p, city, open, item) {
  return el("button", { type: "button", class: "vote", disabled: !open, "data-practice": p.id,
    "data-state": open ? "idle" : "closed", "aria-describedby": `status-${p.id}`,
    "aria-label": t("voteFor", { title: pick(p.title), city }),
    onpointerdown: loadAltcha, onfocus: loadAltcha, onclick: () => castVote(p, item), text: t("vote") });
}

function card(p, open) {
  const city = pick((state.cities[p.municipality] || {}).name) || p.municipality;
  const item = el("li", { class: "card", id: `practice-${p.id}`, "data-practice": p.id, "data-title": pick(p.title),
    "data-city": city },
    el("h3", { class: "card-title" }, el("a", { href: practicePage(p) }, pick(p.title))),
    el("p", { class: "card-city", text: city }),
    pick(p.summary) ? el("p", { class: "card-summary", text: pick(p.summary) }) : null);
  item.append(isApproval(currentNomination()) ? chooseButton(p, city, open) : voteButton(p, city, open, item),
    el("p", { class: "vote-status", id: `status-${p.id}`, role: "status" }));
  return item;
}

function renderCards() {
  const open = state.contest.phase === "voting_open";
  $("cards").replaceChildren(...state.practices.map((p) => card(p, open)));
  if (isApproval(currentNomination())) startChoosing(currentNomination(), state.practices, open, castSet);
  else stopChoosing();
  redrawMap();
}

/** One practice from its card: the card shows every step (vote.js), then the next nomination is offered. */
async function castVote(practice, item) {
  const key = idempotencyKey();
  const send = (token) => call("POST", `${nominationPath()}/votes`,
    { body: { practices: [practice.id] }, token, headers: { "Idempotency-Key": key } });
  const nomination = state.nomination;
  if (!await voteFromCard(item, ensureToken, send, refusalText)) return;
  await loadBallot();
  if (state.nomination !== nomination) return;
  const next = nextToVote(state.nominations, state.voted, nomination);
  offerNext(item, next, next ? pick(next.title) : "", (id) => { selectNomination(id); $("practices").focus(); });
}

/** An approval set, confirmed in ballot.js; true once it is accepted. */
async function castSet(practices) {
  let accepted = false;
  try {
    const token = await ensureToken();
    if (!token) return false;
    await call("POST", `${nominationPath()}/votes`,
      { body: { practices }, token, headers: { "Idempotency-Key": idempotencyKey() } });
    say(t("voted"));
    accepted = true;
  } catch (error) {
    say(refusalText(error));
  }
  loadBallot();
  return accepted;
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

const chosenOf = (ballot) => (ballot ? ballot.practices || [ballot.practice] : []);

/** The voter's ballot in each nomination (one small request each, only for a voter with a token). */
async function loadAllBallots() {
  const token = savedToken();
  if (!token) return;
  const ballots = await Promise.all(state.nominations.map((n) =>
    get(`/contests/${seg(state.contest.id)}/nominations/${seg(n.id)}/my-ballot`, { token }).catch(() => null)));
  state.nominations.forEach((n, i) => { if (ballots[i]) state.voted.set(n.id, chosenOf(ballots[i])); });
  renderProgress(state.nominations, state.voted);
  renderNominations();
}

async function loadBallot() {
  const token = savedToken();
  const ballot = token ? await get(`${nominationPath()}/my-ballot`, { token }).catch(() => null) : null;
  const chosen = ballot && state.practices.find((p) => chosenOf(ballot).includes(p.id));
  $("ballot-text").textContent = ballotText(ballot, chosen);
  offerProof(ballot, state.contest.phase === "results_published");
  if (ballot) state.voted.set(state.nomination, chosenOf(ballot));
  const counted = ballot && ballot.counted !== false ? chosenOf(ballot) : [];
  if (isApproval(currentNomination())) {
    document.querySelectorAll(".card").forEach((c) => c.classList.toggle("chosen", counted.includes(c.dataset.practice)));
    if (ballot) {  // one ballot per nomination: nothing left to choose
      stopChoosing();
      document.querySelectorAll("#cards .choose").forEach((b) => { b.disabled = true; b.dataset.open = "false"; });
    }
  } else {
    const one = counted.length ? state.practices.find((p) => p.id === counted[0]) : null;
    markBallot(document.querySelectorAll(".card"), one ? one.id : null, one ? pick(one.title) : "",
      state.contest.phase === "voting_open");
  }
  renderProgress(state.nominations, state.voted);
  renderNominations();
}

/** The municipalities of these practices not yet known, asked by id (at most 100 a request). */
async function loadPlaces(practices) {
  const missing = [...new Set(practices.map((p) => p.municipality))].filter((id) => !state.cities[id]);
  for (let i = 0; i < missing.length; i += 100) {
    const ids = missing.slice(i, i + 100).map((id) => `ids=${seg(id)}`).join("&");
    const page = await get(`/municipalities?${ids}&limit=100`);
    page.items.forEach((m) => { state.cities[m.id] = m; });
  }
}

/** Arriving from a practice's page (?practice=): its card in view and its vote button focused, once. */
function focusAsked() {
  const asked = params.get("practice");
  const button = asked && document.querySelector(`#practice-${CSS.escape(asked)} .vote`);
  if (!button) return;
  params.delete("practice");
  button.scrollIntoView({ block: "center" });
  button.focus();
}

/** The nomination's practices: those the page came with, else the API's. */
function practicesOf(id) {
  if (boot && boot.contest.id === state.contest.id && boot.nomination === id) {
    Object.assign(state.cities, boot.places);
    return Promise.resolve(boot.practices);
  }
  return all(`/contests/${seg(state.contest.id)}/practices?nomination=${seg(id)}`, { limit: 1000 });
}

function selectNomination(id) {
  state.nomination = id;
  renderNominations();
  const search = params.has("practice") ? `?practice=${seg(params.get("practice"))}` : "";
  history.replaceState(null, "", `/${currentLang()}/contests/${seg(state.contest.id)}/nominations/${seg(id)}` +
    search + location.hash);
  if (state.follower) state.follower.stop();
  reset();
  state.follower = window.Veche.follow($("board"), state.contest.id, id, { lang: currentLang(), live: false, vote: "none" });
  practicesOf(id).then(async (practices) => {
    await loadPlaces(practices);
    if (state.nomination !== id) return;
    state.practices = practices;
    renderCards();
    focusAsked();
    loadBallot();
    loadResults();
  });
  loadChart();
}

/** The contest of the address (else the open one, else any), its nominations and identity: the page's, or the API's. */
async function contestOf(wanted) {
  if (boot && boot.contest.id === wanted) return [boot.contest, boot.nominations, boot.identity];
  const contests = await get("/contests");
  const contest = contests.find((c) => c.id === wanted) || contests.find((c) => c.phase === "voting_open") || contests[0];
  if (!contest) return [null, [], null];
  return [contest, ...await Promise.all([get(`/contests/${seg(contest.id)}/nominations`),
    get(`/contests/${seg(contest.id)}/identity`)])];
}

async function start() {
  const [contest, nominations, identity] = await contestOf(pathContest || params.get("contest"));
  if (!contest) { $("contest-title").textContent = t("noContest"); return; }
  state.contest = contest;
  setContestLanguage(contest.default_language);
  state.nominations = nominations;
  state.identity = identity;
  setupIdentity(state.contest, state.identity, say);
  renderTexts();
  const first = state.nominations.find((n) => n.id === (pathNomination || params.get("nomination"))) ||
    state.nominations[0];
  if (first) selectNomination(first.id);
  loadAllBallots();
}

wireLangButtons(() => {
  renderTexts();
  if (state.nomination) selectNomination(state.nomination);
});
document.addEventListener("veche-identity", () => { if (state.nomination) { loadBallot(); loadAllBallots(); } });
$("board").addEventListener("veche:leaderboard", (event) => onBoard(event.detail));
setupLive(state);
setLang(pathLang || chooseLang());
renderTexts();
start().catch((error) => say(t("failed", { why: error.message })));
