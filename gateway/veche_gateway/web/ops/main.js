// The /ops page: a contest and its overview refreshed every second, for an operator signed in once for /ops and the
// console alike (shared/operator.js: the key or OpenID session stays in this tab only).
import { get as publicGet, seg } from "../shared/api.js";
import { $, el } from "../shared/dom.js";
import { pick } from "../shared/i18n.js";
import * as operator from "../shared/operator.js";

const REFRESH_MS = 1000;
const AUDIT_EVERY = 5;  // refreshes between two reads of the audit trail
const AUDIT_SHOWN = 20;
const state = { contest: null, titles: {}, timer: null, busy: false, ticks: 0, audit: [], cursor: 1 };

const say = (message) => { $("message").textContent = message; };
const text = (texts) => pick(texts, "en");  // the page is in English; other languages are the fallback
const why = (error) => `${error.status} ${error.message}`;  // status and the problem document's detail
const number = (value) => (value === null || value === undefined ? "–" : Number(value).toLocaleString("en"));

function duration(seconds) {
  const s = Math.floor(seconds), d = Math.floor(s / 86400), h = Math.floor(s % 86400 / 3600);
  const m = Math.floor(s % 3600 / 60);
  return d ? `${d}d ${h}h` : h ? `${h}h ${m}m` : m ? `${m}m ${s % 60}s` : `${s}s`;
}

function tile(id, value, bad) {
  $(id).textContent = value;
  $(id).parentNode.classList.toggle("bad", !!bad);
}

function serviceRow(s) {
  const partitions = s.partitions ? ` (partitions ${s.partitions.join(", ")})` : "";
  const checks = Object.keys(s.checks).map((k) => k + (s.checks[k] ? " ✓" : " ✗"));
  return el("tr", { "data-service": s.service, "data-ready": String(s.ready), "data-instance": s.instance || "" },
    el("td", { text: s.service }),
    el("td", { text: (s.instance || "–") + partitions }),
    el("td", { class: s.ready ? "up" : "down", text: s.ready ? "ready" : (s.error ? "no answer" : "not ready") }),
    el("td", { text: s.error || checks.join(", ") }),
    el("td", { class: "num", text: s.error ? "–" : duration(s.uptime_seconds) }));
}

function boardCard(b, hidden) {
  const head = el("h3", {}, state.titles[b.nomination] || b.nomination);
  if (hidden) head.append(el("span", { class: "badge", text: "hidden from the public" }));
  const top = el("tr", {}, ["#", "Practice", "Votes", "Share", "Last hour"].map((h) => el("th", { text: h })));
  const rows = b.entries.map((e) => el("tr", { "data-practice": e.practice },
    el("td", { class: "num", text: e.rank }),
    el("td", { text: `${text(e.title)} — ${text(e.municipality_name)}` }),
    el("td", { class: "num votes", text: number(e.votes) }),
    el("td", { class: "num", text: `${(e.share * 100).toFixed(1)}%` }),
    el("td", { class: "num", text: (e.change_last_hour > 0 ? "+" : "") + e.change_last_hour })));
  return el("section", { class: "board", "data-nomination": b.nomination }, head,
    el("p", { text: `${number(b.total_votes)} votes · version ${b.version}` }),
    el("table", { class: "grid" }, top, rows));
}

function render(view) {
  const ledger = view.ledger;
  tile("rate", ledger ? ledger.messages_per_second.toFixed(1) : "–", !ledger);
  tile("lag", ledger ? number(ledger.lag) : "–", !ledger || ledger.lag > 1000);
  tile("dead-letters", ledger ? number(ledger.dead_letters) : "–", !ledger || ledger.dead_letters > 0);
  tile("sequence", ledger ? number(ledger.last_sequence) : "–", !ledger);
  tile("moderation", view.moderation ? number(view.moderation.pending) : "–", !view.moderation);
  $("services").replaceChildren(...view.services.map(serviceRow));
  $("boards").replaceChildren(...(view.leaderboards
    ? view.leaderboards.map((b) => boardCard(b, view.results_public === false))
    : [el("p", { class: "down", text: "the results service does not answer" })]));
  if (view.details) $("contest-title").textContent = text(view.details.title);
  const details = view.details;
  $("updated").textContent = (details ? `${details.phase.replace("_", " ")} · results ` +
    `${details.visibility.replace("_", " ")} · ` : "") + `updated ${new Date(view.generated_at).toLocaleTimeString("en-GB")}`;
}

function renderAudit() {
  $("audit").replaceChildren(...state.audit.slice().reverse().map((a) => el("tr", { "data-action": a.action },
    el("td", { text: new Date(a.at).toLocaleString("en-GB") }),
    el("td", { text: `${a.operator} (${a.role})` }),
    el("td", { text: a.action }),
    el("td", { text: Object.keys(a.target).map((k) => `${k} ${a.target[k]}`).join(", ") }),
    el("td", { class: a.status < 400 ? "up" : "down", text: a.status < 400 ? "done" : `${a.status} ${a.error_code || ""}` }))));
}

function refreshAudit() {
  const contest = state.contest;
  operator.get(`/admin/audit?limit=500&contest=${seg(contest)}&cursor=${state.cursor}`).then((page) => {
    if (contest !== state.contest) return;
    state.audit = state.audit.concat(page.entries).slice(-AUDIT_SHOWN);
    state.cursor = page.next_cursor;
    renderAudit();
    if (page.more) refreshAudit();
  }).catch((error) => say(`Could not read the audit trail: ${why(error)}`));
}

function refresh() {
  if (!operator.storedKey() || !state.contest || state.busy) return;
  if (state.ticks++ % AUDIT_EVERY === 0) refreshAudit();
  state.busy = true;
  operator.get(`/admin/contests/${seg(state.contest)}/ops`)
    .then((view) => { render(view); say(""); })
    .catch((error) => {
      say(`Could not refresh: ${why(error)}`);
      if (error.status === 401 || error.status === 403) stop();
    })
    .finally(() => { state.busy = false; });
}

function stop() { clearInterval(state.timer); state.timer = null; $("updated").textContent = "not signed in"; }

function start() {
  stop();
  Object.assign(state, { titles: {}, audit: [], cursor: 1, ticks: 0 });
  publicGet(`/contests/${seg(state.contest)}/nominations`).then((list) => {
    list.forEach((n) => { state.titles[n.id] = text(n.title); });
  }).catch(() => { /* titles are a nicety: ids are shown instead */ });
  refresh();
  state.timer = setInterval(refresh, REFRESH_MS);
}

$("signin").addEventListener("submit", (event) => {
  event.preventDefault();
  const key = $("key").value;
  $("key").value = "";
  state.contest = $("contest").value;
  if (!key) { start(); return; }
  operator.signIn(key).then(start).catch((error) => { stop(); say(`Could not sign in: ${why(error)}`); });
});
$("contest").addEventListener("change", () => { state.contest = $("contest").value; start(); });
operator.onUnauthenticated(() => operator.signOut());

publicGet("/contests").then((contests) => {
  const wanted = new URLSearchParams(location.search).get("contest");
  $("contest").append(...contests.map((c) => el("option", { value: c.id, text: `${text(c.title)} (${c.phase})` })));
  if (wanted) $("contest").value = wanted;
  state.contest = $("contest").value || null;
  if (!contests.length) say("No contests yet.");
  if (operator.storedKey()) start();
}).catch((error) => say(`Could not list contests: ${why(error)}`));
