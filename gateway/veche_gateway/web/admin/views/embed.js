// Embed: the snippet that puts a nomination's live leaderboard on another site (a city portal, a newspaper), with its
// theme, language and size chosen, a live preview of exactly that, and a copy button. The snippet comes from
// shared/embed_snippet.js, as on the public /embed page. Opened from a nomination's "Embed" link as #/embed/<id>.
import { seg } from "../../shared/api.js";
import { el } from "../../shared/dom.js";
import { currentLang, pick, wordsOf } from "../../shared/i18n.js";
import { FORMS, SIZES, THEMES, iframeSnippet, iframeSource, scriptSnippet } from "../../shared/embed_snippet.js";
import { get } from "../../shared/operator.js";
import { field, values } from "../forms.js";
import { register } from "../registry.js";

const t = wordsOf("embed", {
  en: {
    navEmbed: "Embed", heading: "Put a live leaderboard on another site",
    intro: "Choose how it looks, check the preview, copy the snippet into the other site's page. The board follows the vote live.",
    draft: "A draft contest is not public yet: the embed shows nothing until submissions open.",
    noNominations: "This contest has no nominations yet.",
    nomination: "Nomination", form: "Form", form_script: "Script (recommended)", form_iframe: "Iframe (where scripts are not allowed)",
    theme: "Theme", theme_auto: "The visitor's (light or dark)", theme_light: "Light", theme_dark: "Dark",
    language: "Language", size: "Size",
    size_small: "Small: {width} px wide", size_medium: "Medium: {width} px wide", size_large: "Large: {width} px wide",
    sizeIframe: " × {height} px high",
    vote: "“Vote” link", voteHint: "Empty: the nomination's page on this platform; none: no button; or the address of your own page.",
    snippet: "Snippet", copy: "Copy the snippet", copied: "Copied: paste it into the other site's page.",
    copyFailed: "The browser did not allow copying; select the snippet and copy it.",
    preview: "Preview (live, as visitors will see it)", frameTitle: "Leaderboard",
  },
  ru: {
    navEmbed: "Встраивание", heading: "Живой рейтинг на другом сайте",
    intro: "Выберите вид, проверьте предпросмотр и скопируйте код на страницу другого сайта. Рейтинг обновляется в ходе голосования.",
    draft: "Черновик ещё не публичен: встроенный рейтинг ничего не покажет, пока не открыт приём заявок.",
    noNominations: "В этом конкурсе пока нет номинаций.",
    nomination: "Номинация", form: "Способ", form_script: "Скрипт (рекомендуется)", form_iframe: "Iframe (где скрипты запрещены)",
    theme: "Тема", theme_auto: "Как у посетителя (светлая или тёмная)", theme_light: "Светлая", theme_dark: "Тёмная",
    language: "Язык", size: "Размер",
    size_small: "Маленький: ширина {width} px", size_medium: "Средний: ширина {width} px", size_large: "Большой: ширина {width} px",
    sizeIframe: ", высота {height} px",
    vote: "Ссылка «Голосовать»", voteHint: "Пусто: страница номинации на этой платформе; none: без кнопки; или адрес вашей страницы.",
    snippet: "Код", copy: "Скопировать код", copied: "Скопировано: вставьте на страницу другого сайта.",
    copyFailed: "Браузер не разрешил копирование; выделите код и скопируйте его.",
    preview: "Предпросмотр (живой, как увидят посетители)", frameTitle: "Рейтинг",
  },
});

const LANGUAGES = [{ value: "ru", label: "Русский" }, { value: "en", label: "English" }];

function controls(nominations, chosen) {
  const options = (list, word) => list.map((value) => ({ value, label: word(value) }));
  const size = (value) => t(`size_${value}`, SIZES[value]) + t("sizeIframe", SIZES[value]);
  return el("form", { id: "embed-form", class: "stack panel" }, el("fieldset", {},
    field({ label: t("nomination"), name: "nomination", type: "select", value: chosen,
      options: nominations.map((n) => ({ value: n.id, label: pick(n.title) || n.id })) }),
    field({ label: t("form"), name: "form", type: "select", options: options(FORMS, (f) => t(`form_${f}`)) }),
    field({ label: t("theme"), name: "theme", type: "select", options: options(THEMES, (v) => t(`theme_${v}`)) }),
    field({ label: t("language"), name: "lang", type: "select", options: LANGUAGES, value: currentLang() }),
    field({ label: t("size"), name: "size", type: "select", options: options(Object.keys(SIZES), size), value: "medium" }),
    field({ label: t("vote"), name: "vote", hint: t("voteHint"), inputmode: "url", autocomplete: "off", spellcheck: "false" })));
}

/** The widget's script (embed.js, a classic script: window.Veche), loaded once into the console for previews. */
let widget = null;
function loadWidget() {
  widget = widget || new Promise((resolve, reject) => {
    if (window.Veche) { resolve(window.Veche); return; }
    document.head.append(el("script", { src: "/embed.js", onload: () => resolve(window.Veche), onerror: reject }));
  });
  return widget;
}

/** The preview of exactly the chosen snippet: the element the script fills, or the iframe page at its size. */
async function preview(box, chosen, contest) {
  const wanted = { ...chosen, contest, title: t("frameTitle") };
  const { width, height } = SIZES[chosen.size];
  if (chosen.form === "iframe") {
    const frame = el("iframe", { id: "embed-frame", src: iframeSource(location.origin, wanted), title: t("frameTitle"),
      width: "100%", height, loading: "lazy", class: "embed-frame" });
    frame.style.maxWidth = `${width}px`;  // CSSOM, as the snippet's style attribute (the console's CSP has no inline style)
    box.replaceChildren(frame);
    return null;
  }
  const target = el("div", { id: "embed-target", class: chosen.theme === "auto" ? null : `veche-${chosen.theme}`,
    "data-lang": chosen.lang });
  target.style.maxWidth = `${width}px`;
  box.replaceChildren(target);
  const veche = await loadWidget();
  return veche.follow(target, contest, chosen.nomination, { lang: chosen.lang, vote: chosen.vote || undefined });
}

/** Fills root once the nominations are read; the returned state's stop() ends the preview's live board. */
async function fill(root, ctx, state) {
  const contest = ctx.contest;
  if (contest.phase === "draft") { root.append(el("p", { id: "embed-draft", text: t("draft") })); return; }
  const nominations = (await get(`/admin/contests/${seg(contest.id)}/nominations`)).filter((n) => !n.archived);
  if (!nominations.length) { root.append(el("p", { text: t("noNominations") })); return; }
  const asked = location.hash.split("/")[2];
  const form = controls(nominations, nominations.some((n) => n.id === asked) ? asked : nominations[0].id);
  const code = el("code", { id: "embed-snippet" });
  const status = el("p", { id: "embed-status", role: "status" });
  const box = el("div", { id: "embed-preview", class: "embed-preview" });
  const copy = el("button", { type: "button", id: "embed-copy", text: t("copy"), onclick: () =>
    navigator.clipboard.writeText(code.textContent).then(() => { status.textContent = t("copied"); },
      () => { status.textContent = t("copyFailed"); }) });
  root.append(form, el("h2", { text: t("snippet") }), el("pre", { class: "snippet" }, code), copy, status,
    el("h2", { text: t("preview") }), box);
  const update = async () => {
    const chosen = values(form);
    const wanted = { ...chosen, contest: contest.id, title: t("frameTitle") };
    code.textContent = chosen.form === "iframe" ? iframeSnippet(location.origin, wanted) : scriptSnippet(location.origin, wanted);
    status.textContent = "";
    const turn = ++state.turn;
    state.stop();
    const follower = await preview(box, chosen, contest.id);
    if (!follower) return;
    if (turn !== state.turn || state.left) follower.stop();  // a later choice (or leaving) came first
    else state.stop = () => follower.stop();
  };
  form.addEventListener("change", () => { update().catch((e) => ctx.say(t("failed", { why: e.message }), "error")); });
  await update();
}

register({
  t, id: "embed", label: "navEmbed", role: "observer", order: 32, needsContest: true,
  render(root, ctx) {
    root.append(el("h1", { text: t("heading") }), el("p", { class: "hint", text: t("intro") }));
    const state = { turn: 0, left: false, stop: () => {} };
    fill(root, ctx, state).catch((e) => ctx.say(t("failed", { why: e.message }), "error"));
    return () => { state.left = true; state.stop(); };
  },
});
