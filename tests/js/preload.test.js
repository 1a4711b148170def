// The public pages name their whole module graph as modulepreload links (index.html, practice-vote.html), so a phone asks
// for every module at once instead of discovering imports level by level: the list must be exactly what main.js imports.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

const WEB = join(dirname(fileURLToPath(import.meta.url)), "../../gateway/veche_gateway/web");

/** Every module path (relative to web/) that entry imports, directly or not, entry included. */
function graph(entry, seen = new Set()) {
  if (seen.has(entry)) return seen;
  seen.add(entry);
  const source = readFileSync(join(WEB, entry), "utf8");
  for (const [, spec] of source.matchAll(/^import\s+(?:[^"']*?\s+from\s+)?["'](\.[^"']+)["'];?$/gm)) {
    graph(relative(WEB, join(WEB, dirname(entry), spec)), seen);
  }
  return seen;
}

for (const [page, entry] of [["index.html", "public/main.js"], ["practice-vote.html", "practice/main.js"]]) {
  test(`${page} preloads exactly the modules ${entry} imports, directly or not`, () => {
    const html = readFileSync(join(WEB, page), "utf8");
    const preloaded = [...html.matchAll(/<link rel="modulepreload" href="\/static\/([^"]+)">/g)].map((m) => m[1]);
    assert.deepEqual(preloaded.slice().sort(), [...graph(entry)].sort());
    assert.equal(new Set(preloaded).size, preloaded.length, "a module preloaded twice");
  });
}

/** The word keys a module says: t("key", ...) and t(cond ? "a" : "b"). */
function saidWords(entry) {
  const source = readFileSync(join(WEB, entry), "utf8");
  const keys = [...source.matchAll(/\bt\(\s*"(\w+)"/g)].map((m) => m[1]);
  for (const [, a, b] of source.matchAll(/\bt\([^()]*?\?\s*"(\w+)"\s*:\s*"(\w+)"\s*\)/g)) keys.push(a, b);
  return keys;
}

test("a practice's page has every word its modules say, in both languages, without the contest page's list", async () => {
  globalThis.customElements = { whenDefined: () => new Promise(() => {}) };  // identity.js waits for ALTCHA's widget
  const modules = [...graph("practice/main.js")];
  assert.ok(!modules.includes("public/texts.js"), "the practice page loads the contest page's word list");
  const i18n = await import(join(WEB, "shared/i18n.js"));
  for (const entry of modules.filter((m) => readFileSync(join(WEB, m), "utf8").includes("addTexts({"))) {
    await import(join(WEB, entry));
  }
  const keys = modules.flatMap(saidWords);
  assert.ok(keys.includes("yourVote") && keys.includes("needSignIn"), "the scan found the vote box's words");
  for (const lang of ["en", "ru"]) {
    i18n.setLang(lang);
    assert.deepEqual(keys.filter((key) => i18n.t(key) === key), [], `words missing in ${lang}`);
  }
});
