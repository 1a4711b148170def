// The embed snippets (web/shared/embed_snippet.js): only what embed.js and the iframe page read, escaped.
import assert from "node:assert/strict";
import { test } from "node:test";
import { attribute, choices, iframeSnippet, iframeSource, scriptSnippet } from "../../gateway/veche_gateway/web/shared/embed_snippet.js";

const ORIGIN = "https://vote.example.org";
const BOARD = { contest: "forum", nomination: "n1" };

test("the script snippet is an element the widget reads and the widget's script", () => {
  assert.equal(scriptSnippet(ORIGIN, { ...BOARD, lang: "ru" }),
    '<div data-veche-leaderboard="forum/n1" data-lang="ru" style="max-width:520px"></div>\n' +
    '<script src="https://vote.example.org/embed.js" async></script>');
  const dark = scriptSnippet(ORIGIN, { ...BOARD, lang: "en", theme: "dark", size: "small", vote: "none" });
  assert.match(dark, /^<div data-veche-leaderboard="forum\/n1" data-lang="en" class="veche-dark" data-veche-vote="none" style="max-width:320px">/);
});

test("the iframe snippet carries lang, theme and vote in its address, at the chosen size", () => {
  const wanted = { ...BOARD, lang: "en", theme: "light", size: "large", vote: "https://city.example/vote?a=1&b=\"2\"" };
  assert.equal(iframeSource(ORIGIN, wanted),
    "https://vote.example.org/embed/contests/forum/nominations/n1?lang=en&theme=light&vote=https%3A%2F%2Fcity.example%2Fvote%3Fa%3D1%26b%3D%222%22");
  const snippet = iframeSnippet(ORIGIN, { ...wanted, title: 'Votes "live" <now>' });
  assert.match(snippet, /^<iframe src="https:\/\/vote\.example\.org\/embed\/contests\/forum\/nominations\/n1\?lang=en&amp;theme=light&amp;vote=/);
  assert.match(snippet, /title="Votes &quot;live&quot; &lt;now&gt;" width="100%" height="480" loading="lazy" style="border:0; max-width:720px"><\/iframe>$/);
  assert.doesNotMatch(iframeSnippet(ORIGIN, { ...BOARD, lang: "ru" }), /theme=|vote=/);  // the visitor's theme, the platform's link
});

test("a vote address cannot leave its attribute", () => {
  const snippet = scriptSnippet(ORIGIN, { ...BOARD, lang: "en", vote: '"><script>alert(1)</script>' });
  assert.ok(snippet.includes('data-veche-vote="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"'));
  assert.equal(attribute("a&b"), "a&amp;b");
});

test("choices fall back to what the widget knows", () => {
  assert.equal(choices({ ...BOARD, size: "toString" }).size, "medium");
  assert.deepEqual(choices({ ...BOARD, lang: "de", theme: "pink", size: "huge", vote: "  " }),
    { ...BOARD, lang: "en", theme: "auto", size: "medium", vote: "", title: "Leaderboard" });
});
