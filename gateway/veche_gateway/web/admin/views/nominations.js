// Nominations of the chosen contest: titles per language, display order, archive and restore.
import { seg } from "../../shared/api.js";
import { get, patch, post } from "../../shared/operator.js";
import { confirmAction } from "../dialog.js";
import { el } from "../../shared/dom.js";
import { field, table, values } from "../forms.js";
import { pick, wordsOf } from "../../shared/i18n.js";
import { guarded, liveLines } from "../live.js";
import { register } from "../registry.js";
import { CONTENT_LANGS, languageName, languagesOf, localizedFields, localizedValue } from "../texts.js";

const t = wordsOf("nominations", {
  en: {
    navNominations: "Nominations", nominationsHeading: "Nominations", colOrder: "Order", colState: "State",
    colActions: "Actions", active: "shown", archived: "archived", edit: "Edit", archive: "Archive", restore: "Restore",
    editNomination: "Edit nomination {title}", archiveNomination: "Archive nomination {title}",
    restoreNomination: "Restore nomination {title}", nominationTitle: "Title", order: "Order (smaller first)",
    newNomination: "New nomination", nominationId: "Id (letters, digits, - and _)", addNomination: "Add nomination",
    added: "Nomination {id} added.", noNominations: "No nominations yet.",
    save: "Save", colId: "Id", embed: "Embed", embedNomination: "Embed snippet for {title}",
    archiveWhat: "The nomination disappears from the public page; its practices and ballots are kept.",
    restoreWhat: "The nomination is shown on the public page again.",
    colBallot: "Ballot", single: "one practice", upTo: "{min}–{max} practices",
    maxChoices: "Most practices a ballot may approve (1: a single choice)", minChoices: "Fewest practices a ballot must approve",
    choicesHint: "Fixed once voting has begun.",
  },
  ru: {
    navNominations: "Номинации", nominationsHeading: "Номинации", colOrder: "Порядок", colState: "Состояние",
    colActions: "Действия", active: "показана", archived: "в архиве", edit: "Изменить", archive: "В архив",
    restore: "Вернуть", editNomination: "Изменить номинацию {title}", archiveNomination: "Убрать в архив {title}",
    restoreNomination: "Вернуть из архива {title}", nominationTitle: "Название", order: "Порядок (меньше — выше)",
    newNomination: "Новая номинация", nominationId: "Код (латиница, цифры, - и _)",
    addNomination: "Добавить номинацию", added: "Номинация {id} добавлена.", noNominations: "Номинаций пока нет.",
    save: "Сохранить", colId: "Код", embed: "Встроить",
    embedNomination: "Код для встраивания: {title}",
    archiveWhat: "Номинация исчезает с публичной страницы; её практики и голоса сохраняются.",
    restoreWhat: "Номинация снова видна на публичной странице.",
    colBallot: "Бюллетень", single: "одна практика", upTo: "{min}–{max} практик",
    maxChoices: "Сколько практик можно поддержать (1 — один выбор)", minChoices: "Сколько практик нужно поддержать как минимум",
    choicesHint: "После начала голосования не меняется.",
  },
});

const path = (contest, id = "") => `/admin/contests/${seg(contest)}/nominations${id ? `/${seg(id)}` : ""}`;

function edit(contest, nomination, ctx) {
  const title = pick(nomination.title) || nomination.id;
  return confirmAction({
    title: t("editNomination", { title }), body: liveLines(ctx.contest), confirm: t("save"),
    fields: [...languagesOf(nomination.title).map((lang) => ({ label: `${t("nominationTitle")} (${languageName(lang)})`,
      name: `title.${lang}`, value: nomination.title[lang] || "" })),
    { label: t("order"), name: "order", type: "number", min: 0, max: 10000, required: true, value: nomination.order },
    ...choiceFields(nomination)],
    run: (v) => patch(path(contest, nomination.id), { expected_version: nomination.version,
      title: localizedValue(v, "title", nomination.title), order: Number(v.order), ...choicesOf(v, nomination) }),
  }).then((done) => done && ctx.refresh().then(() => ctx.say(t("saved"))));
}

function choiceFields(nomination = { max_choices: 1, min_choices: 1 }) {
  return [
    { label: t("maxChoices"), name: "max_choices", type: "number", min: 1, max: 10, required: true, value: nomination.max_choices, hint: t("choicesHint") },
    { label: t("minChoices"), name: "min_choices", type: "number", min: 1, max: 10, required: true, value: nomination.min_choices },
  ];
}

/** The choices a form changed (none when unchanged: they are locked once voting has begun). */
function choicesOf(v, nomination = {}) {
  const wanted = { max_choices: Number(v.max_choices || 1), min_choices: Number(v.min_choices || 1) };
  return wanted.max_choices === nomination.max_choices && wanted.min_choices === nomination.min_choices ? {} : wanted;
}

function toggle(contest, nomination, ctx) {
  const title = pick(nomination.title) || nomination.id;
  const archive = !nomination.archived;
  return confirmAction({
    title: t(archive ? "archiveNomination" : "restoreNomination", { title }),
    body: [...liveLines(ctx.contest), t(archive ? "archiveWhat" : "restoreWhat")], confirm: t(archive ? "archive" : "restore"),
    run: () => patch(path(contest, nomination.id), { expected_version: nomination.version, archived: archive }),
  }).then((done) => done && ctx.refresh().then(() => ctx.say(t("saved"))));
}

function row(contest, n, ctx) {
  const title = pick(n.title) || n.id;
  const actions = ctx.can("admin") ? [
    el("button", { type: "button", class: "secondary", "aria-label": t("editNomination", { title }),
      onclick: () => edit(contest, n, ctx) }, t("edit")),
    el("button", { type: "button", class: "secondary", "aria-label": t(n.archived ? "restoreNomination" : "archiveNomination", { title }),
      onclick: () => toggle(contest, n, ctx) }, t(n.archived ? "restore" : "archive"))] : [];
  if (ctx.contest.phase !== "draft" && !n.archived) {  // a draft is not public: no embed shows it
    actions.push(el("a", { href: `#/embed/${n.id}`, class: "embed-link", "aria-label": t("embedNomination", { title }),
      text: t("embed") }));
  }
  return el("tr", { "data-nomination": n.id, class: n.archived ? "archived" : "" },
    el("td", { class: "num", text: n.order }), el("td", { text: n.id }),
    ...CONTENT_LANGS.map((lang) => el("td", { lang, text: n.title[lang] || "" })),
    el("td", { text: n.max_choices > 1 ? t("upTo", { min: n.min_choices, max: n.max_choices }) : t("single") }),
    el("td", { text: t(n.archived ? "archived" : "active") }), el("td", { class: "buttons" }, actions));
}

function createForm(contest, ctx, count) {
  const form = el("form", { class: "stack panel", "aria-labelledby": "new-nomination-heading" },
    el("h2", { id: "new-nomination-heading", text: t("newNomination") }),
    field({ label: t("nominationId"), name: "id", required: true, pattern: "[A-Za-z0-9_\\-]{1,64}", autocomplete: "off" }),
    localizedFields("title", t("nominationTitle")),
    field({ label: t("order"), name: "order", type: "number", min: 0, max: 10000, value: count }),
    ...choiceFields().map(field),
    el("button", { type: "submit", text: t("addNomination") }));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const v = values(form);
    try {
      const body = { id: v.id, title: localizedValue(v, "title"), order: Number(v.order || 0), ...choicesOf(v) };
      if (!await guarded(ctx.contest, [t("newNomination")], () => post(path(contest), body))) return;
      await ctx.refresh();
      ctx.say(t("added", { id: v.id }));
    } catch (error) { ctx.say(t("failed", { why: error.message }), "error"); }
  });
  return form;
}

register({
  t, id: "nominations", label: "navNominations", role: "observer", order: 30, needsContest: true,
  render(root, ctx) {
    const contest = ctx.contest.id;
    root.append(el("h1", { text: t("nominationsHeading") }));
    const holder = el("div", { text: t("loading") });
    root.append(holder);
    get(path(contest)).then((list) => {
      const titles = CONTENT_LANGS.map((l) => `${t("nominationTitle")} (${languageName(l)})`);
      const headings = [t("colOrder"), t("colId"), ...titles, t("colBallot"), t("colState"), t("colActions")];
      holder.replaceChildren(list.length ? table(headings, list.map((n) => row(contest, n, ctx)), { id: "nomination-list" })
        : el("p", { text: t("noNominations") }));
      if (ctx.can("admin")) root.append(createForm(contest, ctx, list.length));
    }).catch((error) => holder.replaceChildren(el("p", { class: "error", text: t("failed", { why: error.message }) })));
  },
});
