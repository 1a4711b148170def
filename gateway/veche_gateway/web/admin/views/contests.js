// Contests: every contest (drafts included) and, for admins, a form to create one.
import { post } from "../../shared/operator.js";
import { el } from "../../shared/dom.js";
import { field, table, values } from "../forms.js";
import { pick, when, wordsOf } from "../../shared/i18n.js";
import { identityFields, languageField, visibilityField } from "../contest_form.js";
import { register } from "../registry.js";
import { localizedFields, localizedValue } from "../texts.js";

const t = wordsOf("contests", {
  en: {
    navContests: "Contests", contestsHeading: "Contests", colId: "Id", colTitle: "Title", colPhase: "Phase",
    colVisibility: "Results", colIdentity: "Voters", colWindow: "Voting window", manage: "Manage",
    manageContest: "Manage {title}", createHeading: "New contest", contestId: "Id (letters, digits, - and _)",
    contestIdHint: "Made from the title; it is in the contest's addresses and cannot change later.",
    create: "Create contest", created: "Contest {id} created (draft: only operators see it).",
    needTitle: "Give the contest a title in at least one language.",
  },
  ru: {
    navContests: "Конкурсы", contestsHeading: "Конкурсы", colId: "Код", colTitle: "Название", colPhase: "Этап",
    colVisibility: "Итоги", colIdentity: "Избиратели", colWindow: "Окно голосования", manage: "Открыть",
    manageContest: "Открыть «{title}»", createHeading: "Новый конкурс",
    contestId: "Код (латиница, цифры, - и _)",
    contestIdHint: "Составлен из названия; он входит в адреса конкурса и потом не меняется.", create: "Создать конкурс",
    created: "Конкурс {id} создан (черновик: его видят только операторы).", needTitle: "Укажите название хотя бы на одном языке.",
  },
});

// Russian letters in ids, as the common passport transliteration writes them
const LATIN = { а: "a", б: "b", в: "v", г: "g", д: "d", е: "e", ё: "e", ж: "zh", з: "z", и: "i", й: "i", к: "k",
  л: "l", м: "m", н: "n", о: "o", п: "p", р: "r", с: "s", т: "t", у: "u", ф: "f", х: "kh", ц: "ts", ч: "ch",
  ш: "sh", щ: "shch", ъ: "", ы: "y", ь: "", э: "e", ю: "iu", я: "ia" };

/** An id from a title: "Городской опрос 2027" -> "gorodskoi-opros-2027" (letters, digits and -, at most 64). */
export function idFrom(title) {
  const latin = [...title.toLowerCase()].map((c) => LATIN[c] ?? c).join("");
  return latin.normalize("NFKD").replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 64).replace(/-+$/, "");
}

function row(contest, ctx) {
  const title = pick(contest.title) || contest.id;
  const manage = el("button", { type: "button", class: "secondary", "aria-label": t("manageContest", { title }),
    onclick: () => ctx.setContest(contest.id).then(() => ctx.go("contest")) }, t("manage"));
  const window = `${when(contest.opens_at)} – ${when(contest.closes_at)}`;
  return el("tr", { "data-contest": contest.id },
    el("td", { text: contest.id }), el("td", { text: title }), el("td", { class: "phase-cell", text: t(`phase_${contest.phase}`) }),
    el("td", { text: t(`vis_${contest.visibility}`) }), el("td", { text: t(`mode_${contest.identity_mode}`) }),
    el("td", { text: window }), el("td", {}, manage));
}

/** The id follows the title as it is typed, until the organiser writes an id of their own. */
function suggestId(form) {
  const id = form.querySelector("[name=id]");
  id.addEventListener("input", () => { id.dataset.edited = "true"; });
  form.querySelectorAll("[name^='title.']").forEach((input) => input.addEventListener("input", () => {
    if (id.dataset.edited) return;
    const titles = [...form.querySelectorAll("[name^='title.']")].map((i) => i.value).filter(Boolean);
    id.value = idFrom(titles[0] || "");
  }));
}

function createForm(ctx) {
  const form = el("form", { class: "stack", "aria-labelledby": "create-contest-heading" },
    el("h2", { id: "create-contest-heading", text: t("createHeading") }),
    localizedFields("title", t("contestTitle")),
    field({ label: t("contestId"), name: "id", required: true, pattern: "[A-Za-z0-9_\\-]{1,64}", autocomplete: "off",
      hint: t("contestIdHint") }),
    languageField("ru"), ...identityFields(), visibilityField("live"),
    el("button", { type: "submit", text: t("create") }));
  suggestId(form);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const v = values(form);
    const title = localizedValue(v, "title");
    if (!Object.keys(title).length) { ctx.say(t("needTitle"), "error"); return; }
    try {
      const { identity_mode, visibility, default_language } = v;
      const body = { id: v.id, title, identity_mode, visibility, default_language };
      if (identity_mode === "device") body.device_difficulty = Number(v.device_difficulty);
      const created = await post("/admin/contests", body);
      await ctx.setContest(created.id);  // reloads the list first: the new contest is chosen, never a fallback
      ctx.go("contest");
      ctx.say(t("created", { id: created.id }));
    } catch (error) { ctx.say(t("failed", { why: error.message }), "error"); }
  });
  return form;
}

register({
  t, id: "contests", label: "navContests", role: "observer", order: 10,
  render(root, ctx) {
    const rows = ctx.contests.map((c) => row(c, ctx));
    const headings = ["colId", "colTitle", "colPhase", "colVisibility", "colIdentity", "colWindow", "manage"].map(t);
    root.append(el("h1", { text: t("contestsHeading") }), table(headings, rows, { id: "contest-list" }));
    if (ctx.can("admin")) root.append(createForm(ctx));
  },
});
