// Helpers for content maps in forms: a language -> text map edited as one field per language.
import { t } from "../shared/i18n.js";
import { field } from "./forms.js";

export const CONTENT_LANGS = ["ru", "en"];

/** The languages a text is edited in: Russian, English and any other its map already has. */
export function languagesOf(value) {
  return [...new Set([...CONTENT_LANGS, ...Object.keys(value || {})])];
}

export function languageName(tag) {
  const key = `lang_${tag}`;
  return t(key) === key ? tag : t(key);
}

/** One labelled input per language, named `${name}.${lang}`, e.g. title.ru and title.en. */
export function localizedFields(name, label, value = {}, attrs = {}) {
  return languagesOf(value).map((lang) => field({
    label: `${label} (${languageName(lang)})`, name: `${name}.${lang}`, value: (value || {})[lang] || "",
    lang: lang === "und" ? null : lang, ...attrs,
  }));
}

/** The map of form values name.<lang> (an emptied field drops its language: the API takes no empty texts). */
export function localizedValue(values, name, before = {}) {
  const map = { ...(before || {}) };
  for (const lang of languagesOf(before)) {
    const text = values[`${name}.${lang}`];
    if (text) map[lang] = text; else delete map[lang];
  }
  return map;
}

/** Whether two content maps say the same. */
export function sameText(a, b) {
  return JSON.stringify(Object.entries(a || {}).sort()) === JSON.stringify(Object.entries(b || {}).sort());
}
