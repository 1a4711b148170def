// Words and content texts of every page. Each page (and each console view) adds its words with addTexts(), so
// they live next to the code that shows them; content fields (titles, names) are language -> text maps, read
// with pick(). Nothing here runs at import, so node's tests import it as it is.
export const LANGS = ["ru", "en"];
const STORED = "veche-lang";
const words = { en: {}, ru: {} };
let lang = "en";
let contestLanguage = null;

/** The first language asked for, as one of LANGS: Russian for any "ru…" tag, English otherwise. */
export function languageOf(...wanted) {
  const first = wanted.find(Boolean) || "en";
  return first.toLowerCase().startsWith("ru") ? "ru" : "en";
}

/** The visitor's language: ?lang= in the address, then their last choice on any page, then the browser's. */
export function chooseLang() {
  return languageOf(new URLSearchParams(location.search).get("lang"), localStorage.getItem(STORED),
    navigator.language);
}

export function addTexts(more) {
  for (const code of LANGS) Object.assign(words[code], more[code] || {});
}

export function currentLang() { return lang; }

export function setLang(code) {
  lang = LANGS.includes(code) ? code : "en";
  if (typeof document !== "undefined") document.documentElement.lang = lang;
}

/** The language buttons (.lang with data-lang) switch the page and remember the choice; then onChange(lang). */
export function wireLangButtons(onChange) {
  document.querySelectorAll(".lang").forEach((button) => button.addEventListener("click", () => {
    setLang(button.dataset.lang);
    localStorage.setItem(STORED, lang);
    onChange(lang);
  }));
}

/** {name} in text replaced from vars; a name vars lacks stays as it is. */
export function format(text, vars = {}) {
  return text.replace(/\{(\w+)\}/g, (all, name) => (name in vars ? String(vars[name]) : all));
}

/** The word for key in the current language (English if missing), with {name} replaced from vars. */
export function t(key, vars = {}) {
  return format(words[lang][key] ?? words.en[key] ?? key, vars);
}

/**
 * A part's own words (a console view's): its keys live under `namespace`, so two parts may each say "rejected"
 * in their own way. The t it returns reads the part's words first, then the page's common ones.
 */
export function wordsOf(namespace, more) {
  const scoped = {};
  for (const code of LANGS) {
    scoped[code] = Object.fromEntries(Object.entries(more[code] || {}).map(([key, text]) => [`${namespace}.${key}`, text]));
  }
  addTexts(scoped);
  return (key, vars = {}) => {
    const own = `${namespace}.${key}`;
    return own in words.en || own in words[lang] ? t(own, vars) : t(key, vars);
  };
}

/** "1 vote", "3 голоса", "5 голосов": key names the forms ({one, few, many, other}) the language's rules pick from. */
export function plural(key, n) {
  const forms = words[lang][key] ?? words.en[key];
  const form = forms[new Intl.PluralRules(lang).select(n)] ?? forms.other;
  return form.replace("{n}", n.toLocaleString(lang));
}

/** The chosen contest's default language: the fallback of content texts after the page's language. */
export function setContestLanguage(tag) { contestLanguage = tag || null; }

/**
 * A content text: a plain string, or a BCP 47 tag -> text map read by the API's fallback order
 * (veche_shared/contracts/texts.py, pick): each language asked for (exact tag, then its base language:
 * "en-GB" -> "en"), then any text of the map. Asked for nothing, the page's language, then the contest's.
 */
export function pick(texts, ...languages) {
  if (texts === null || texts === undefined) return "";
  if (typeof texts === "string") return texts;
  const wanted = languages.length ? languages : [lang, contestLanguage];
  for (const language of wanted.filter(Boolean)) {
    for (const tag of [language, language.split("-")[0]]) if (texts[tag]) return texts[tag];
  }
  return Object.values(texts).find(Boolean) || "";
}

export function when(iso) {
  if (!iso) return "–";
  return new Date(iso).toLocaleString(lang === "ru" ? "ru-RU" : "en-GB", { dateStyle: "medium", timeStyle: "short" });
}

/** Fills every [data-t] element of root with its word and marks the pressed language button. */
export function translate(root = document) {
  root.querySelectorAll("[data-t]").forEach((node) => { node.textContent = t(node.dataset.t); });
  root.querySelectorAll(".lang").forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.lang === lang)));
}
