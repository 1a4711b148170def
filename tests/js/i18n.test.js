// The pages' words and content texts (web/shared/i18n.js): the pick of a content text follows the API's rule
// (the cases are shared with tests/unit/test_texts.py), plurals, the {name} format and the language choice.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { addTexts, format, languageOf, pick, plural, setContestLanguage, setLang, t } from "../../gateway/veche_gateway/web/shared/i18n.js";

const CASES = JSON.parse(readFileSync(new URL("../data/text_pick_cases.json", import.meta.url), "utf8"));

for (const { why, texts, languages, expected } of CASES) {
  test(`pick: ${why}`, () => {
    assert.equal(pick(texts, ...languages), expected);
  });
}

test("pick without languages reads the page's language, then the contest's", () => {
  const texts = { de: "Perm (de)", fr: "Perm (fr)", ru: "Пермь" };
  setLang("en");
  setContestLanguage("fr");
  assert.equal(pick(texts), "Perm (fr)");
  setLang("ru");
  assert.equal(pick(texts), "Пермь");
  setContestLanguage(null);
  setLang("en");
  assert.equal(pick(texts), "Perm (de)");
});

test("pick takes a plain string as it is and nothing as no text", () => {
  assert.equal(pick("Пермь", "en"), "Пермь");
  assert.equal(pick(null, "en"), "");
  assert.equal(pick(undefined), "");
});

test("plural forms follow each language's rules", () => {
  addTexts({ en: { votes: { one: "{n} vote", other: "{n} votes" } },
    ru: { votes: { one: "{n} голос", few: "{n} голоса", many: "{n} голосов", other: "{n} голоса" } } });
  setLang("ru");
  assert.deepEqual([1, 2, 5, 11, 21, 22, 25, 1500].map((n) => plural("votes", n)),
    ["1 голос", "2 голоса", "5 голосов", "11 голосов", "21 голос", "22 голоса", "25 голосов", "1\u00a0500 голосов"]);
  setLang("en");
  assert.deepEqual([0, 1, 2, 1500].map((n) => plural("votes", n)), ["0 votes", "1 vote", "2 votes", "1,500 votes"]);
});

test("a word missing in Russian falls back to English, then to its key; {name} is filled from vars", () => {
  addTexts({ en: { greet: "Hello, {name}! {name}?", only: "English only" }, ru: { greet: "Привет, {name}!" } });
  setLang("ru");
  assert.equal(t("greet", { name: "Пермь" }), "Привет, Пермь!");
  assert.equal(t("only"), "English only");
  assert.equal(t("noSuchWord"), "noSuchWord");
  setLang("en");
  assert.equal(t("greet", { name: "Perm" }), "Hello, Perm! Perm?");
  assert.equal(format("{a} and {b}", { a: 1 }), "1 and {b}");  // a name not given stays visible
});

test("the language: the first one asked for, Russian for any ru tag, English otherwise", () => {
  assert.equal(languageOf(null, "ru-RU", "en"), "ru");
  assert.equal(languageOf("en", "ru"), "en");
  assert.equal(languageOf("RU"), "ru");
  assert.equal(languageOf("de-DE"), "en");
  assert.equal(languageOf(null, undefined, ""), "en");
  setLang("de");
  assert.equal(t("greet", { name: "x" }), "Hello, x! x?");  // an unknown language is English
});
