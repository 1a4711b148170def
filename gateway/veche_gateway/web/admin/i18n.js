// The console's words in Russian and English. Each view adds its own with addTexts(), so a view's texts live in
// its file; content fields (titles, names) are language -> text maps, read with pick().
const LANGS = ["en", "ru"];
const KEY = "veche-lang";
const texts = { en: {}, ru: {} };
let lang = chooseLang();

function chooseLang() {
  const wanted = localStorage.getItem(KEY) || navigator.language || "en";
  return wanted.toLowerCase().startsWith("ru") ? "ru" : "en";
}

export function addTexts(more) {
  for (const code of LANGS) Object.assign(texts[code], more[code] || {});
}

export function currentLang() { return lang; }

export function setLang(code) {
  lang = LANGS.includes(code) ? code : "en";
  localStorage.setItem(KEY, lang);
  document.documentElement.lang = lang;
}

/** The text for key in the current language (English if missing), with {name} replaced from vars. */
export function t(key, vars = {}) {
  const text = texts[lang][key] ?? texts.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (all, name) => (name in vars ? String(vars[name]) : all));
}

let contestLanguage = null;

/** The chosen contest's default language: the fallback of content texts after the page's language. */
export function setContestLanguage(tag) { contestLanguage = tag || null; }

/**
 * A content text: a plain string, or a BCP 47 tag -> text map read by the API's fallback order
 * (veche_shared/contracts/texts.py): the page's language, then the contest's default language (each exact, then
 * its base language), then any text of the map.
 */
export function pick(value) {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  for (const wanted of [lang, contestLanguage].filter(Boolean)) {
    for (const tag of [wanted, wanted.split("-")[0]]) if (value[tag]) return value[tag];
  }
  return Object.values(value).find(Boolean) || "";
}

export function when(iso) {
  if (!iso) return "–";
  return new Date(iso).toLocaleString(lang === "ru" ? "ru-RU" : "en-GB", { dateStyle: "medium", timeStyle: "short" });
}

/** Fills every [data-t] element of root with its text. */
export function translate(root = document) {
  root.querySelectorAll("[data-t]").forEach((node) => { node.textContent = t(node.dataset.t); });
}

addTexts({
  en: {
    skip: "Skip to content", brand: "Veche · organisers' console", signInHeading: "Sign in",
    keyLabel: "Operator key", signIn: "Sign in", signOut: "Sign out",
    keyHint: "The key stays in this tab only and is forgotten when you close it.",
    contest: "Contest", noContests: "no contests yet", cancel: "Cancel", confirm: "Confirm",
    signedInAs: "{name} · {role}", roleAdmin: "admin", roleModerator: "moderator", roleObserver: "observer",
    readOnly: "Your role can look but not change this.", badKey: "The key was not accepted: {why}",
    failed: "Not done: {why}", saved: "Saved.", loading: "Loading…", loadMore: "Show more",
    required: "Fill this in.", signedOut: "Signed out.", expired: "Your key is no longer accepted; sign in again.",
    chooseContest: "Choose a contest first (or create one under Contests).", pickContest: "— choose a contest —",
    liveNow: "live: voting open", contestNow: "Working on:",
    oidcSignIn: "Sign in with the organiser's account", sign_in_error_no_role: "Your account has no role in this console.",
    signInFailed: "Signing in did not succeed ({why}).",
    phase_draft: "draft", phase_submissions_open: "submissions open", phase_voting_open: "voting open",
    phase_voting_closed: "voting closed", phase_results_published: "results published",
  },
  ru: {
    skip: "К содержимому", brand: "Вече · пульт организатора", signInHeading: "Вход",
    keyLabel: "Ключ оператора", signIn: "Войти", signOut: "Выйти",
    keyHint: "Ключ хранится только в этой вкладке и забывается, когда вы её закроете.",
    contest: "Конкурс", noContests: "конкурсов пока нет", cancel: "Отмена", confirm: "Подтвердить",
    signedInAs: "{name} · {role}", roleAdmin: "администратор", roleModerator: "модератор",
    roleObserver: "наблюдатель", readOnly: "Ваша роль позволяет смотреть, но не изменять.",
    badKey: "Ключ не принят: {why}", failed: "Не выполнено: {why}", saved: "Сохранено.", loading: "Загрузка…",
    loadMore: "Показать ещё", required: "Заполните это поле.", signedOut: "Вы вышли.",
    expired: "Ключ больше не принимается; войдите снова.",
    chooseContest: "Сначала выберите конкурс (или создайте его в разделе «Конкурсы»).",
    pickContest: "— выберите конкурс —", liveNow: "идёт голосование", contestNow: "Вы работаете с:",
    oidcSignIn: "Войти через учётную запись организатора", sign_in_error_no_role: "У вашей учётной записи нет роли в этом пульте.",
    signInFailed: "Войти не удалось ({why}).",
    phase_draft: "черновик", phase_submissions_open: "приём заявок", phase_voting_open: "идёт голосование",
    phase_voting_closed: "голосование завершено", phase_results_published: "итоги опубликованы",
  },
});

addTexts({
  en: { lang_ru: "Russian", lang_en: "English" },
  ru: { lang_ru: "по-русски", lang_en: "по-английски" },
});
