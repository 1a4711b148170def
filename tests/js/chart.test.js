// The public page's chart of votes over time (web/public/chart.js): minutes grouped into round intervals.
import assert from "node:assert/strict";
import { test } from "node:test";
import { buckets } from "../../gateway/veche_gateway/web/public/chart.js";

const MINUTE = 60_000;
const at = (ms) => new Date(ms).toISOString();
// a "now" on a whole hour, from the real clock: the grouping depends on the span, never on the date
const NOW = Math.floor(Date.now() / (60 * MINUTE)) * 60 * MINUTE;

test("no votes: no intervals", () => {
  assert.deepEqual(buckets([], NOW), { size: 1, list: [] });
});

test("a short span keeps one-minute intervals up to now", () => {
  const grouped = buckets([{ minute: at(NOW - 10 * MINUTE), votes: 3 }, { minute: at(NOW), votes: 2 }], NOW);
  assert.equal(grouped.size, 1);
  assert.equal(grouped.list.length, 11);
  assert.deepEqual([grouped.list[0].votes, grouped.list[10].votes], [3, 2]);
});

test("a day is at most 60 bars of a round size, and every vote is counted once", () => {
  const points = [0, 1, 2, 500, 1439].map((m) => ({ minute: at(NOW - (1439 - m) * MINUTE), votes: m === 500 ? -1 : 4 }));
  const grouped = buckets(points, NOW);
  assert.equal(grouped.size, 30);
  assert.ok(grouped.list.length <= 60, `${grouped.list.length} bars`);
  assert.equal(grouped.list.reduce((sum, b) => sum + b.votes, 0), 4 * 4 - 1);  // a withdrawn vote counts -1
  assert.equal(grouped.list[0].at % (30 * MINUTE), 0);  // intervals start on the round size
});
