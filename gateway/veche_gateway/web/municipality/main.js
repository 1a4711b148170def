// The /municipality page: a representative signs in with the invitation key (kept in this tab's sessionStorage,
// never in a URL), sees the municipality's practices with their moderation status, and submits, edits, withdraws
// and resubmits them, and adds photos to a pending one (photos.js). Everything goes through /api/v1/municipality.
import { all, call } from "../shared/api.js";
import { $, el } from "../shared/dom.js";
import { chooseLang, currentLang, pick, setLang, t, translate, wireLangButtons } from "../shared/i18n.js";
import { closePhotos, openPhotos } from "./photos.js";
import "./texts.js";

const KEY = "veche-municipality-key";
const FIELDS = { title: "p-title", summary: "p-summary", description: "p-description", links: "p-links",
  contact: "p-contact", nomination: "target" };
const ACTIONS = { pending: ["edit", "photos", "withdraw"], approved: ["withdraw"], rejected: ["resubmit"], withdrawn: ["resubmit"] };
const state = { key: sessionStorage.getItem(KEY), desk: null, practices: [], editing: null };

const say = (message) => { $("error").textContent = ""; $("message").textContent = message; };
const fail = (message) => { $("message").textContent = ""; $("error").textContent = message; };
const api = (method, path, body) => call(method, "/municipality" + path, { body, key: state.key });

/** A content text of a contest open now (its default language is the fallback), or of another one. */
function text(value, contest) {
  const open = (state.desk ? state.desk.open_contests : []).find((o) => o.contest.id === contest);
  return pick(value, currentLang(), open ? open.contest.default_language : null);
}

function applyLang() {
  translate();
  if (state.desk) { renderWho(); renderTargets(); renderPractices(); setMode(state.editing); }
}

function signIn(key) {
  state.key = key;
  return api("GET", "").then((desk) => {
    sessionStorage.setItem(KEY, key);
    state.desk = desk;
    $("signin").hidden = true;
    $("desk").hidden = false;
    renderWho();
    renderTargets();
    return loadPractices();
  }).catch((refused) => {
    sessionStorage.removeItem(KEY);
    state.key = null;
    if (refused.status === 429) fail(t("limited", { s: refused.retryAfter || "60" }));
    else fail(t("badKey", { why: refused.message }));
  });
}

function signOut() {
  sessionStorage.removeItem(KEY);
  state.key = state.desk = state.editing = null;
  closePhotos();
  $("desk").hidden = true;
  $("signin").hidden = false;
  $("key").value = "";
  $("who").textContent = t("signedOut");
  $("key").focus();
}

function loadPractices() {
  return all("/municipality/practices", { key: state.key }).then((items) => {
    state.practices = items;
    renderPractices();
  });
}

function renderWho() {
  const until = new Date(state.desk.invitation.expires_at).toLocaleDateString(currentLang());
  $("who").textContent = t("signedIn", { city: pick(state.desk.municipality.name), until });
}

function names() {  // titles of contests and nominations open now, by id
  const found = { contests: {}, nominations: {} };
  state.desk.open_contests.forEach((open) => {
    const id = open.contest.id;
    found.contests[id] = text(open.contest.title, id);
    open.nominations.forEach((n) => { found.nominations[`${id}/${n.id}`] = text(n.title, id); });
  });
  return found;
}

function renderTargets() {
  const select = $("target"), chosen = select.value;
  select.replaceChildren(...state.desk.open_contests.map((open) => {
    const group = el("optgroup", { label: text(open.contest.title, open.contest.id) });
    group.append(...open.nominations.map((n) =>
      el("option", { value: `${open.contest.id}/${n.id}`, text: text(n.title, open.contest.id) })));
    return group;
  }));
  if (chosen) select.value = chosen;
  $("no-open").hidden = state.desk.open_contests.length > 0;
}

function practiceRow(p, titles) {
  const title = text(p.title, p.contest);
  const buttons = (ACTIONS[p.status] || []).map((action) => {
    const label = action === "photos" ? t("do_photos", { n: (p.photos || []).length }) : t(`do_${action}`);
    return el("button", { type: "button", class: "secondary", "aria-label": `${label}: ${title}`,
      onclick: () => act(action, p) }, label);
  });
  return el("tr", { "data-practice": p.id, "data-status": p.status },
    el("td", { text: titles.contests[p.contest] || p.contest }),
    el("td", { text: titles.nominations[`${p.contest}/${p.nomination}`] || p.nomination }),
    el("td", { text: title }),
    el("td", { class: `status status-${p.status}`, text: t(`status_${p.status}`) }),
    el("td", { class: "reason", text: p.reject_reason || "" }),
    el("td", {}, buttons));
}

function renderPractices() {
  const titles = names();
  $("practices").replaceChildren(...state.practices.map((p) => practiceRow(p, titles)));
  $("none").hidden = state.practices.length > 0;
  $("practices-table").hidden = state.practices.length === 0;
}

function act(action, practice) {
  if (action === "photos") { openPhotos(practice, state.key, text(practice.title, practice.contest), loadPractices); return; }
  if (action !== "withdraw") { setMode({ action, practice }); $("p-title").focus(); return; }
  if (!window.confirm(t("confirmWithdraw", { title: text(practice.title, practice.contest) }))) return;
  api("POST", `/practices/${practice.id}/withdraw`, { expected_version: practice.version })
    .then((p) => { say(t("withdrawn", { title: text(p.title, p.contest) })); return loadPractices(); })
    .catch(showRefusal);
}

function setMode(editing) {
  state.editing = editing;
  const p = editing && editing.practice;
  $("form-heading").textContent = p ? t(`${editing.action}Practice`, { title: text(p.title, p.contest) })
    : t("newPractice");
  $("save").textContent = t(p ? (editing.action === "edit" ? "save" : "resubmit") : "submit");
  $("cancel").hidden = !p;
  $("target-field").hidden = !!p;
  clearErrors();
  if (!p) return;
  // the form edits the page language's text of each field (what the page shows if that one is missing)
  $("p-title").value = text(p.title, p.contest);
  $("p-summary").value = text(p.summary, p.contest);
  $("p-description").value = text(p.description, p.contest);
  $("p-links").value = (p.links || []).join("\n");
  $("p-contact").value = "";
}

function clearForm() {
  ["p-title", "p-summary", "p-description", "p-links", "p-contact"].forEach((id) => { $(id).value = ""; });
  setMode(null);
}

function clearErrors() {
  Object.values(FIELDS).forEach((id) => {
    $(id).removeAttribute("aria-invalid");
    $(`${id}-error`).textContent = "";
  });
}

function markField(field, message) {
  const id = FIELDS[field];
  if (!id) return false;
  $(id).setAttribute("aria-invalid", "true");
  $(`${id}-error`).textContent = message;
  return true;
}

function showRefusal(refused) {
  let marked = false;
  (refused.errors || []).forEach((e) => { marked = markField(String((e.loc || []).slice(-1)[0]), e.msg) || marked; });
  if (marked) { fail(t("fixFields")); document.querySelector("[aria-invalid=true]").focus(); return; }
  if (refused.status === 401) signOut();
  fail(t("failed", { why: refused.message }));
}

function withText(old, value) {  // the practice's language map with the text in the page's language set (or dropped)
  const map = { ...(old && typeof old === "object" ? old : {}) };
  if (value) map[currentLang()] = value; else delete map[currentLang()];
  return map;
}

function formBody() {
  const p = state.editing ? state.editing.practice : {};
  const body = { title: withText(p.title, $("p-title").value.trim()),
    summary: withText(p.summary, $("p-summary").value.trim()),
    description: withText(p.description, $("p-description").value.trim()),
    links: $("p-links").value.split("\n").map((l) => l.trim()).filter(Boolean) };
  if ($("p-contact").value.trim()) body.contact = $("p-contact").value.trim();
  return body;
}

function request(editing, body) {
  if (editing) {
    const path = `/practices/${editing.practice.id}${editing.action === "resubmit" ? "/resubmit" : ""}`;
    return api(editing.action === "resubmit" ? "POST" : "PATCH", path, { ...body, expected_version: editing.practice.version });
  }
  const [contest, nomination] = $("target").value.split("/");
  return api("POST", `/contests/${contest}/practices`, { nomination, ...body });
}

function save(event) {
  event.preventDefault();
  clearErrors();
  const editing = state.editing;
  if (!$("p-title").value.trim()) {
    markField("title", t("required"));
    fail(t("fixFields"));
    $("p-title").focus();
    return;
  }
  if (!editing && !$("target").value) { markField("nomination", t("required")); fail(t("fixFields")); return; }
  const done = editing ? (editing.action === "edit" ? "saved" : "resubmitted") : "submitted";
  request(editing, formBody())
    .then((p) => { clearForm(); say(t(done, { title: text(p.title, p.contest) })); return loadPractices(); })
    .catch(showRefusal);
}

$("signin").addEventListener("submit", (event) => {
  event.preventDefault();
  const key = $("key").value.trim();
  if (key) signIn(key);
});
$("signout").addEventListener("click", signOut);
$("practice-form").addEventListener("submit", save);
$("cancel").addEventListener("click", clearForm);
wireLangButtons(applyLang);
setLang(chooseLang());
applyLang();
if (state.key) signIn(state.key);
