// The contest's voter roll: the claim checked against it, its size and turnout against it (per nomination), and
// the CSV upload (replace before voting opens, add while it is open), all or nothing with every bad line named.
import { seg } from "../../shared/api.js";
import { el } from "../../shared/dom.js";
import { when, wordsOf } from "../../shared/i18n.js";
import { get, patch } from "../../shared/operator.js";
import { field, table, values } from "../forms.js";
import { register } from "../registry.js";
import { upload } from "../transfer.js";
import { problems } from "./csv_upload.js";

const t = wordsOf("roll", {
  en: {
    chooseFile: "Choose a file first.",
    navRoll: "Voter roll", rollHeading: "Voter roll", rollClaim: "Claim of the voter's token checked against the roll",
    rollClaimHint: "e.g. sub or resident_id; identity mode jwt only; fixed once voting has begun.", rollSaveClaim: "Save claim",
    rollNone: "This contest has no voter roll: anyone with a valid identity may vote.",
    rollEmpty: "No roll uploaded yet: every voter is refused (403 not_on_roll) until one is.",
    rollState: "{entries} identifiers on the roll (last {mode} by {who}, {at}).", rollFile: "CSV file (UTF-8): header id, one identifier a line",
    rollHint: "Only keyed hashes are kept; the file's text is never stored or logged. A file with any bad line changes nothing.",
    rollMode: "What the upload does", rollReplace: "Replace the roll (before voting opens)", rollAdd: "Add to the roll",
    rollUpload: "Upload roll", rollSending: "Sending: {percent}%", rollJudging: "Sent; the server checks and enters every line…",
    rollDone: "{lines} lines: {added} added, {already} already on the roll; {entries} on the roll now.",
    rollRejected: "{count} problem(s) in the file; nothing was changed.", rollTurnout: "Turnout against the roll",
    colNomination: "Nomination", colBallots: "Ballots", colTurnout: "Turnout",
  },
  ru: {
    chooseFile: "Сначала выберите файл.",
    navRoll: "Список избирателей", rollHeading: "Список избирателей", rollClaim: "Поле токена избирателя, которое сверяется со списком",
    rollClaimHint: "например sub или resident_id; только режим jwt; после начала голосования не меняется.", rollSaveClaim: "Сохранить поле",
    rollNone: "У этого конкурса нет списка избирателей: голосовать может любой с действительной личностью.",
    rollEmpty: "Список ещё не загружен: до загрузки каждому избирателю отказано (403 not_on_roll).",
    rollState: "В списке {entries} идентификаторов (последнее изменение: {mode}, {who}, {at}).", rollFile: "Файл CSV (UTF-8): заголовок id, по идентификатору в строке",
    rollHint: "Хранятся только ключевые хэши; текст файла не сохраняется и не пишется в журналы. Файл с любой ошибкой ничего не меняет.",
    rollMode: "Что сделать с файлом", rollReplace: "Заменить список (до начала голосования)", rollAdd: "Добавить в список",
    rollUpload: "Загрузить список", rollSending: "Передано: {percent}%", rollJudging: "Файл передан; сервер проверяет и вносит строки…",
    rollDone: "Строк {lines}: добавлено {added}, уже были {already}; теперь в списке {entries}.",
    rollRejected: "Ошибок в файле: {count}; ничего не изменено.", rollTurnout: "Явка по списку",
    colNomination: "Номинация", colBallots: "Бюллетени", colTurnout: "Явка",
  },
});

const rollPath = (contest) => `/admin/contests/${seg(contest)}/roll`;

function summary(roll) {
  if (!roll.claim) return el("p", { id: "roll-state", text: t("rollNone") });
  if (!roll.head) return el("p", { id: "roll-state", text: t("rollEmpty") });
  const h = roll.head;
  const state = el("p", { id: "roll-state", text: t("rollState", { entries: h.entries, mode: h.mode, who: h.updated_by, at: when(h.updated_at) }) });
  const rows = Object.entries(roll.turnout).map(([n, v]) => el("tr", {}, el("td", { text: n }),
    el("td", { class: "num", text: v.ballots }), el("td", { class: "num", text: `${(100 * v.share).toFixed(1)}%` })));
  if (!rows.length) return state;
  return el("div", {}, state, el("h2", { text: t("rollTurnout") }),
    table([t("colNomination"), t("colBallots"), t("colTurnout")], rows, { id: "roll-turnout" }));
}

function claimForm(ctx, roll) {
  const form = el("form", { class: "stack panel", id: "roll-claim" },
    field({ label: t("rollClaim"), name: "claim", value: roll.claim || "", pattern: "[A-Za-z0-9_.:\\-]{1,64}", hint: t("rollClaimHint") }),
    el("button", { type: "submit", class: "secondary", text: t("rollSaveClaim") }));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      await patch(`/admin/contests/${seg(ctx.contest.id)}`, { expected_version: ctx.contest.version, roll_claim: values(form).claim || null });
      await ctx.refresh();
      ctx.say(t("saved"));
    } catch (error) { ctx.say(t("failed", { why: error.message }), "error"); }
  });
  return form;
}

function uploadForm(ctx, refresh) {
  const voting = ["voting_open", "voting_closed"].includes(ctx.contest.phase);
  const form = el("form", { class: "stack panel", id: "roll-upload" },
    field({ label: t("rollFile"), name: "file", type: "file", accept: ".csv,text/csv", hint: t("rollHint") }),
    field({ label: t("rollMode"), name: "mode", type: "select", value: voting ? "add" : "replace",
      options: [{ value: "replace", label: t("rollReplace") }, { value: "add", label: t("rollAdd") }] }),
    el("button", { type: "submit", text: t("rollUpload") }));
  const status = el("p", { id: "roll-status", role: "status", "aria-live": "polite" });
  const outcome = el("div", { id: "roll-problems" });
  form.append(status, outcome);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const file = form.elements.file.files[0];
    if (!file) { status.textContent = t("chooseFile"); form.elements.file.focus(); return; }
    const query = `?contest=${encodeURIComponent(ctx.contest.id)}&mode=${values(form).mode}`;
    const progress = (loaded, total) => {
      const percent = total ? Math.round((100 * loaded) / total) : 100;
      const stage = percent < 100 ? t("rollSending", { percent: Math.floor(percent / 10) * 10 }) : t("rollJudging");
      if (status.textContent !== stage) status.textContent = stage;
    };
    outcome.replaceChildren();
    upload(`/admin/roll-uploads${query}`, file, "text/csv", progress)
      .then((done) => { status.textContent = t("rollDone", done); refresh(); })
      .catch((error) => {
        status.textContent = error.errors.length ? t("rollRejected", { count: error.errors.length }) : t("failed", { why: error.message });
        if (error.errors.length) outcome.replaceChildren(problems(error.errors));
      });
  });
  return form;
}

register({
  t, id: "roll", label: "navRoll", role: "observer", order: 35, needsContest: true,
  render(root, ctx) {
    root.append(el("h1", { text: t("rollHeading") }));
    const state = el("div", { text: t("loading") });
    root.append(state);
    const refresh = () => get(rollPath(ctx.contest.id)).then((roll) => state.replaceChildren(summary(roll)))
      .catch((error) => state.replaceChildren(el("p", { class: "error", text: t("failed", { why: error.message }) })));
    get(rollPath(ctx.contest.id)).then((roll) => {
      state.replaceChildren(summary(roll));
      if (!ctx.can("admin")) return;
      root.append(claimForm(ctx, roll));
      if (roll.claim) root.append(uploadForm(ctx, refresh));
    }).catch((error) => state.replaceChildren(el("p", { class: "error", text: t("failed", { why: error.message }) })));
  },
});
