// Helpers for content maps in forms: a language -> text map edited as one field per language.
import { t } from "./i18n.js";
import { field } from "./dom.js";

export const CONTENT_LANGS = ["ru", "en"];

/** One labelled input per language, named `${name}.${lang}`, e.g. title.ru and title.en. */
export function localizedFields(name, label, value = {}, attrs = {}) {
  return CONTENT_LANGS.map((lang) => field({
    label: `${label} (${t(`lang_${lang}`)})`, name: `${name}.${lang}`, value: (value || {})[lang] || "", lang, ...attrs,
  }));
}

/** The map of form values name.<lang>, over the languages the text already had (an empty field drops one). */
export function localizedValue(values, name, before = {}) {
  const map = { ...(before || {}) };
  for (const lang of CONTENT_LANGS) {
    const text = values[`${name}.${lang}`];
    if (text) map[lang] = text; else delete map[lang];
  }
  return map;
}

/** Whether two content maps say the same. */
export function sameText(a, b) {
  return JSON.stringify(Object.entries(a || {}).sort()) === JSON.stringify(Object.entries(b || {}).sort());
}
