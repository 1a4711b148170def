// Annulment: choose the ballots (by vote ids, one voter's hash, or an address hash within a time range), preview
// what would be annulled (a dry run: nothing is written), then confirm with a reason. Admins only.
import { seg } from "../../shared/api.js";
import { post } from "../../shared/operator.js";
import { confirmAction } from "../dialog.js";
import { el } from "../../shared/dom.js";
import { field, table, values } from "../forms.js";
import { wordsOf } from "../../shared/i18n.js";
import { register } from "../registry.js";

const t = wordsOf("annulment", {
  en: {
    navAnnulment: "Annulment", annulmentHeading: "Annul ballots", selector: "Which ballots",
    byVoteIds: "by vote ids", byVoter: "every ballot of one voter (voter hash)", byAddress: "from one address in a time range (IP hash)",
    voteIds: "Vote ids, one a line", voterHash: "Voter hash (64 hex digits)", ipHash: "IP hash (64 hex digits)",
    castFrom: "Cast from", castUntil: "Cast before", preview: "Preview (nothing is written)",
    previewed: "{annulled} ballot(s) would be annulled ({matched} found, {already} annulled before).",
    colNomination: "Nomination", colBallots: "Ballots", annulCount: "Annul {count} ballot(s)…",
    annulTitle: "Annul {count} ballot(s)?", annulWhat: "They leave the count of every leaderboard at once. An annulment is recorded in the ledger and cannot be undone.",
    annulReason: "Reason (kept in the ledger and the audit log)", annulDone: "Annulled {annulled} ballot(s).",
    nothingToAnnul: "Nothing to annul.", adminOnly: "Only an admin may annul ballots.",
  },
  ru: {
    navAnnulment: "Аннулирование", annulmentHeading: "Аннулировать голоса", selector: "Какие голоса",
    byVoteIds: "по id голосов", byVoter: "все голоса одного избирателя (хеш избирателя)", byAddress: "с одного адреса за период (хеш IP)",
    voteIds: "Id голосов, по одному в строке", voterHash: "Хеш избирателя (64 шестнадцатеричные цифры)",
    ipHash: "Хеш IP (64 шестнадцатеричные цифры)", castFrom: "Поданы с", castUntil: "Поданы до",
    preview: "Предпросмотр (ничего не записывается)",
    previewed: "Будет аннулировано голосов: {annulled} (найдено {matched}, аннулировано ранее {already}).",
    colNomination: "Номинация", colBallots: "Голоса", annulCount: "Аннулировать голоса ({count})…",
    annulTitle: "Аннулировать голоса ({count})?", annulWhat: "Они сразу выйдут из подсчёта всех рейтингов. Аннулирование записывается в реестр и не может быть отменено.",
    annulReason: "Причина (сохраняется в реестре и журнале действий)", annulDone: "Аннулировано голосов: {annulled}.",
    nothingToAnnul: "Аннулировать нечего.", adminOnly: "Аннулировать голоса может только администратор.",
  },
});

const HEX = "[0-9a-f]{64}";

function selection(v) {
  if (v.selector === "vote_ids") return { vote_ids: v.vote_ids.split(/\s+/).filter(Boolean) };
  if (v.selector === "voter_hash") return { voter_hash: v.voter_hash };
  return { ip_hash: v.ip_hash, cast_from: new Date(v.cast_from).toISOString(), cast_until: new Date(v.cast_until).toISOString() };
}

function filters() {
  const choices = [["vote_ids", "byVoteIds"], ["voter_hash", "byVoter"], ["ip_hash", "byAddress"]]
    .map(([value, label]) => ({ value, label: t(label) }));
  const groups = {
    vote_ids: [field({ label: t("voteIds"), name: "vote_ids", type: "textarea", required: true })],
    voter_hash: [field({ label: t("voterHash"), name: "voter_hash", pattern: HEX, required: true, spellcheck: "false" })],
    ip_hash: [field({ label: t("ipHash"), name: "ip_hash", pattern: HEX, required: true, spellcheck: "false" }),
      field({ label: t("castFrom"), name: "cast_from", type: "datetime-local", required: true }),
      field({ label: t("castUntil"), name: "cast_until", type: "datetime-local", required: true })],
  };
  const sets = Object.fromEntries(Object.entries(groups).map(([name, fields]) => [name, el("fieldset", { "data-selector": name }, fields)]));
  const picker = field({ label: t("selector"), name: "selector", type: "select", options: choices });
  const show = (name) => Object.entries(sets).forEach(([key, set]) => { set.hidden = key !== name; set.disabled = key !== name; });
  picker.querySelector("select").addEventListener("change", (event) => show(event.target.value));
  show("vote_ids");
  return [picker, ...Object.values(sets)];
}

function report(answer) {
  const rows = Object.entries(answer.by_nomination).map(([n, count]) => el("tr", {}, el("td", { text: n }), el("td", { class: "num", text: count })));
  return [el("p", { id: "annul-preview-count", text: t("previewed", { annulled: answer.annulled, matched: answer.matched, already: answer.already_annulled }) }),
    rows.length ? table([t("colNomination"), t("colBallots")], rows) : null];
}

register({
  t, id: "annulment", label: "navAnnulment", role: "admin", order: 70, needsContest: true,
  render(root, ctx) {
    const contest = ctx.contest.id;
    const send = (chosen, dryRun, reason) => post(`/admin/contests/${seg(contest)}/annulments`, { ...chosen, dry_run: dryRun, reason });
    const form = el("form", { class: "stack panel", id: "annul-form" }, ...filters(),
      el("div", { class: "buttons" }, el("button", { type: "submit", class: "secondary", text: t("preview") })));
    const preview = el("div", { id: "annul-preview", "aria-live": "polite" });
    const clear = () => preview.replaceChildren();
    form.addEventListener("input", clear);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const chosen = selection(values(form));
      send(chosen, true, "preview (dry run)").then((answer) => {
        const confirm = el("button", { type: "button", class: "danger", id: "annul-confirm", disabled: !answer.annulled,
          text: t("annulCount", { count: answer.annulled }) });
        confirm.addEventListener("click", () => confirmAction({
          title: t("annulTitle", { count: answer.annulled }), body: t("annulWhat"), confirm: t("annulCount", { count: answer.annulled }),
          danger: true, fields: [{ label: t("annulReason"), name: "reason", type: "textarea", required: true, maxlength: 1000 }],
          run: (v) => send(chosen, false, v.reason),
        }).then((done) => { if (done) { preview.replaceChildren(el("p", { id: "annul-done", text: t("annulDone", done) })); ctx.say(t("annulDone", done)); } }));
        preview.replaceChildren(...report(answer), answer.annulled ? confirm : el("p", { text: t("nothingToAnnul") }));
      }).catch((error) => ctx.say(t("failed", { why: error.message }), "error"));
    });
    root.append(el("h1", { text: t("annulmentHeading") }), form, preview);
  },
});
