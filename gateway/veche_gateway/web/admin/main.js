// The console's shell: language, sign-in with an operator key, the contest picker, navigation and the router.
import { get } from "../shared/api.js";
import { $, el } from "../shared/dom.js";
import { chooseLang, pick, setContestLanguage, setLang, t, translate, wireLangButtons } from "../shared/i18n.js";
import { landed } from "../shared/landing.js";
import * as session from "../shared/operator.js";
import { addressed, allViews, viewOf } from "./registry.js";
import "./views/index.js";
import "./words.js";
const CONTEST = "veche-console-contest";
// shown: the view on screen; next: the view go() is opening; messageFor: the view a message belongs to
const state = { contests: [], leave: null, shown: null, next: null, messageFor: null };

/** A message for the view on screen (or the one go() opens): it stays until another view is shown. */
function say(text, kind = "info") {
  $("message").textContent = text;
  $("message").dataset.kind = kind;
  state.messageFor = state.next || state.shown;
}

/** The contest this tab chose, or null. Never a guess: with nothing chosen, views that need one say so. */
function chosenContest() {
  const id = sessionStorage.getItem(CONTEST);
  const found = state.contests.find((c) => c.id === id) || null;
  setContestLanguage(found && found.default_language);
  return found;
}

const ctx = {
  get contest() { return chosenContest(); },
  get contests() { return state.contests; },
  get operator() { return session.current(); },
  can: session.can,
  say,
  reload: () => reloadContests(),
  refresh: () => reloadContests().then(show),
  /** Choose a contest by id (one just created too: the list is reloaded first when it does not have it yet). */
  async setContest(id) {
    sessionStorage.setItem(CONTEST, id);
    if (!state.contests.some((c) => c.id === id)) await reloadContests();
    else fillPicker();
  },
  go(id) { state.next = id; if (location.hash === `#/${id}`) show(); else location.hash = `#/${id}`; },
};

function visibleViews() { return allViews().filter((v) => session.can(v.role)); }

/** The picker shows the chosen contest, or asks for one: it never stores a contest nobody chose. */
function fillPicker() {
  const picker = $("contest-picker");
  const chosen = chosenContest();
  const prompt = chosen ? [] : [el("option", { value: "", text: t(state.contests.length ? "pickContest" : "noContests") })];
  picker.replaceChildren(...prompt, ...state.contests.map((c) =>
    el("option", { value: c.id, text: `${pick(c.title) || c.id} (${t(`phase_${c.phase}`)})` })));
  picker.value = chosen ? chosen.id : "";
  showStatus(chosen);
}

/** The header line naming the chosen contest and its phase; a contest with voting open is marked live. */
function showStatus(contest) {
  const status = $("contest-status");
  status.hidden = !contest;
  if (!contest) { status.replaceChildren(); delete status.dataset.contest; delete status.dataset.phase; return; }
  status.dataset.contest = contest.id;
  status.dataset.phase = contest.phase;
  status.classList.toggle("live", contest.phase === "voting_open");
  status.replaceChildren(el("span", { class: "status-title", text: pick(contest.title) || contest.id }),
    el("span", { class: "phase-badge", text: t(contest.phase === "voting_open" ? "liveNow" : `phase_${contest.phase}`) }));
}

function fillNav(current) {
  $("views").replaceChildren(...visibleViews().map((view) => el("li", {},
    el("a", { href: `#/${view.id}`, "aria-current": view.id === current ? "page" : null, text: view.t(view.label) }))));
}

async function reloadContests() {
  state.contests = await session.get("/admin/contests");
  fillPicker();
}

/** Shows the addressed view (or the first one the role may open). */
function show() {
  const views = visibleViews();
  const view = viewOf(addressed()) && session.can(viewOf(addressed()).role) ? viewOf(addressed()) : views[0];
  if (state.leave) { state.leave(); state.leave = null; }
  if (state.messageFor !== view.id) say("");  // the last view's news is not this one's
  state.shown = view.id;
  state.next = null;
  state.messageFor = view.id;
  fillNav(view.id);
  const root = el("div");  // a fresh one per render: a slower render of the view left behind fills a detached node
  $("view").replaceChildren(root);
  document.title = `${view.t(view.label)} · Veche`;
  if (view.needsContest && !ctx.contest) { root.append(el("p", { text: t("chooseContest") })); return; }
  const leave = view.render(root, ctx);
  if (typeof leave === "function") state.leave = leave;
}

function signedIn(operator) {
  $("sign-in").hidden = true;
  $("console").hidden = false;
  $("sign-out").hidden = false;
  $("who").textContent = t("signedInAs", { name: operator.name, role: t(`role${cap(operator.role)}`) });
  $("who").dataset.role = operator.role;
  return reloadContests().then(show);
}

function signedOut(text) {
  session.signOut();
  if (state.leave) { state.leave(); state.leave = null; }
  $("console").hidden = true;
  $("sign-out").hidden = true;
  $("sign-in").hidden = false;
  $("who").textContent = "";
  showStatus(null);
  $("view").replaceChildren();
  if (text !== undefined) say(text);
}

const cap = (word) => word.charAt(0).toUpperCase() + word.slice(1);

function applyLang() {
  translate();
  if (session.current()) { signedIn(session.current()).catch((e) => say(t("failed", { why: e.message }), "error")); }
}

function wire() {
  $("key-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const key = $("key").value;
    $("key").value = "";
    session.signIn(key).then((operator) => { say(""); return signedIn(operator); })
      .catch((error) => say(t("badKey", { why: error.message }), "error"));
  });
  $("sign-out").addEventListener("click", () => { signedOut(t("signedOut")); $("key").focus(); });
  $("contest-picker").addEventListener("change", (event) => {
    if (!event.target.value) return;
    say("");  // news about the contest left behind
    ctx.setContest(event.target.value).then(show);
  });
  wireLangButtons(applyLang);
  window.addEventListener("hashchange", () => { if (session.current()) { show(); $("view").focus(); } });
  session.onUnauthenticated(() => signedOut(t("expired")));
}

/** A link naming a contest (/admin?contest=…#/ops, where the old /ops address leads) chooses it for this tab. */
function fromAddress() {
  const params = new URLSearchParams(location.search);
  if (!params.get("contest")) return;
  sessionStorage.setItem(CONTEST, params.get("contest"));
  params.delete("contest");
  history.replaceState(null, "", location.pathname + (params.size ? `?${params}` : "") + location.hash);
}

/** A session from the organiser's OpenID sign-in arrives in the fragment: take it, then drop it from the address. */
function fromSignIn() {
  const found = new URLSearchParams(location.hash.slice(1));
  if (!found.has("session") && !found.has("sign_in_error")) return null;
  history.replaceState(null, "", location.pathname + location.search);
  if (!landed(found)) return null;
  if (found.has("sign_in_error")) {
    const code = found.get("sign_in_error");
    say(code === "no_role" ? t("sign_in_error_no_role") : t("signInFailed", { why: code }), "error");
    return null;
  }
  return found.get("session");
}

wire();
fromAddress();
setLang(chooseLang());
applyLang();
get("/console/sign-in-methods").then((m) => { $("oidc").hidden = !m.methods.includes("oidc"); }).catch(() => {});
const arrived = fromSignIn();
(arrived ? session.signIn(arrived) : session.resume())
  .then((operator) => (operator ? signedIn(operator) : signedOut()))
  .catch((error) => { signedOut(t("badKey", { why: error.message })); });
