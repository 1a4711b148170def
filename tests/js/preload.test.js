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
