// Contests: every contest (drafts included) and, for admins, a form to create one.
import { post } from "../../shared/operator.js";
import { el } from "../../shared/dom.js";
import { field, table, values } from "../forms.js";
import { addTexts, pick, t, when } from "../../shared/i18n.js";
import { register } from "../registry.js";
import { localizedFields, localizedValue } from "../texts.js";

addTexts({
  en: {
    navContests: "Contests", contestsHeading: "Contests", colId: "Id", colTitle: "Title", colPhase: "Phase",
    colVisibility: "Results", colIdentity: "Voters", colWindow: "Voting window", manage: "Manage",
    manageContest: "Manage {title}", createHeading: "New contest", contestId: "Id (letters, digits, - and _)",
    contestTitle: "Title", identityMode: "How voters prove who they are", visibility: "Results are shown",
    create: "Create contest", created: "Contest {id} created (draft: only operators see it).",
    mode_jwt: "token or sign-in from the organiser (jwt)", mode_device: "anonymous poll, one device one vote",
    vis_live: "live, while voting", vis_after_close: "after voting closes", vis_hidden: "only when published",
    needTitle: "Give the contest a title in at least one language.",
    defaultLanguage: "Language of texts given without one (BCP 47 tag, e.g. ru)",
  },
  ru: {
    navContests: "Конкурсы", contestsHeading: "Конкурсы", colId: "Код", colTitle: "Название", colPhase: "Этап",
    colVisibility: "Итоги", colIdentity: "Избиратели", colWindow: "Окно голосования", manage: "Открыть",
    manageContest: "Открыть «{title}»", createHeading: "Новый конкурс",
    contestId: "Код (латиница, цифры, - и _)", contestTitle: "Название",
    identityMode: "Как избиратель подтверждает личность", visibility: "Итоги видны", create: "Создать конкурс",
    created: "Конкурс {id} создан (черновик: его видят только операторы).",
    mode_jwt: "токен или вход через организатора (jwt)", mode_device: "анонимный опрос, одно устройство — один голос",
    vis_live: "сразу, во время голосования", vis_after_close: "после закрытия голосования",
    vis_hidden: "только после публикации", needTitle: "Укажите название хотя бы на одном языке.",
    defaultLanguage: "Язык текстов, поданных без указания языка (тег BCP 47, например ru)",
  },
});

export const MODES = ["jwt", "device"];
export const VISIBILITIES = ["live", "after_close", "hidden"];
// BCP 47 in canonical case, as veche_shared/contracts/texts.py LANGUAGE_TAG (an HTML pattern: no anchors)
export const LANGUAGE_TAG = "[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?(-([a-z0-9]{5,8}|[0-9][a-z0-9]{3})){0,2}";

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

function createForm(ctx) {
  const options = (names, prefix) => names.map((value) => ({ value, label: t(`${prefix}_${value}`) }));
  const form = el("form", { class: "stack", "aria-labelledby": "create-contest-heading" },
    el("h2", { id: "create-contest-heading", text: t("createHeading") }),
    field({ label: t("contestId"), name: "id", required: true, pattern: "[A-Za-z0-9_\\-]{1,64}", autocomplete: "off" }),
    localizedFields("title", t("contestTitle")),
    field({ label: t("identityMode"), name: "identity_mode", type: "select", options: options(MODES, "mode") }),
    field({ label: t("visibility"), name: "visibility", type: "select", options: options(VISIBILITIES, "vis") }),
    field({ label: t("defaultLanguage"), name: "default_language", value: "ru", required: true, pattern: LANGUAGE_TAG }),
    el("button", { type: "submit", text: t("create") }));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const v = values(form);
    const title = localizedValue(v, "title");
    if (!Object.keys(title).length) { ctx.say(t("needTitle"), "error"); return; }
    try {
      const { identity_mode, visibility, default_language } = v;
      const created = await post("/admin/contests", { id: v.id, title, identity_mode, visibility, default_language });
      await ctx.setContest(created.id);  // reloads the list first: the new contest is chosen, never a fallback
      ctx.go("contest");
      ctx.say(t("created", { id: created.id }));
    } catch (error) { ctx.say(t("failed", { why: error.message }), "error"); }
  });
  return form;
}

register({
  id: "contests", label: "navContests", role: "observer", order: 10,
  render(root, ctx) {
    const rows = ctx.contests.map((c) => row(c, ctx));
    const headings = ["colId", "colTitle", "colPhase", "colVisibility", "colIdentity", "colWindow", "manage"].map(t);
    root.append(el("h1", { text: t("contestsHeading") }), table(headings, rows, { id: "contest-list" }));
    if (ctx.can("admin")) root.append(createForm(ctx));
  },
});
