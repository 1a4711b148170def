// The public page's announcements of rank changes (web/public/news.js): only changes in the order are news.
import assert from "node:assert/strict";
import { test } from "node:test";
import { rankNews } from "../../gateway/veche_gateway/web/public/news.js";

const board = (ranks, visible = true) => ({ visible, entries: Object.entries(ranks).map(([practice, rank]) => ({ practice, rank })) });

test("the first board of a nomination is no news, but its ranks are remembered", () => {
  assert.deepEqual(rankNews(null, board({ a: 1, b: 2 })), { ranks: { a: 1, b: 2 }, news: null });
});

test("a new sole leader is news", () => {
  const { news } = rankNews({ a: 1, b: 2 }, board({ b: 1, a: 2 }));
  assert.deepEqual(news, { key: "leader", practice: "b", rank: 1 });
});

test("the same leader with changed numbers is no news", () => {
  assert.equal(rankNews({ a: 1, b: 2, c: 3 }, board({ a: 1, b: 2, c: 3 })).news, null);
});

test("drawing level at the top is a tie, not a new leader", () => {
  const { news } = rankNews({ a: 1, b: 2 }, board({ a: 1, b: 1 }));
  assert.deepEqual(news, { key: "tied", practice: "b", rank: 1 });
});

test("breaking a tie at the top makes a sole leader, whichever of the two it is", () => {
  assert.deepEqual(rankNews({ a: 1, b: 1 }, board({ a: 1, b: 2 })).news, { key: "leader", practice: "a", rank: 1 });
  assert.deepEqual(rankNews({ a: 1, b: 1 }, board({ b: 1, a: 2 })).news, { key: "leader", practice: "b", rank: 1 });
});

test("moving up into the top three is news; moving up below it is not", () => {
  assert.deepEqual(rankNews({ a: 1, b: 2, c: 3, d: 4 }, board({ a: 1, b: 2, d: 3, c: 4 })).news,
    { key: "rankUp", practice: "d", rank: 3 });
  assert.equal(rankNews({ a: 1, b: 2, c: 3, d: 4, e: 5 }, board({ a: 1, b: 2, c: 3, e: 4, d: 5 })).news, null);
});

test("moving up to share a place in the top three is a tie", () => {
  assert.deepEqual(rankNews({ a: 1, b: 2, c: 3 }, board({ a: 1, b: 2, c: 2 })).news, { key: "tied", practice: "c", rank: 2 });
});

test("a hidden board says nothing, even when the order behind it changed", () => {
  const { ranks, news } = rankNews({ a: 1, b: 2 }, board({ b: 1, a: 2 }, false));
  assert.equal(news, null);
  assert.deepEqual(ranks, { b: 1, a: 2 });
});
