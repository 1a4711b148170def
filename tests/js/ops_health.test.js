// What the operations view concludes from an overview (web/admin/ops_health.js): problems in order, trends.
import assert from "node:assert/strict";
import { test } from "node:test";
import { LAG_LIMIT, RECENT_DEAD_LETTER_S, RUNBOOK, Series, ageSeconds, problems } from "../../gateway/veche_gateway/web/admin/ops_health.js";

const ready = (service) => ({ service, ready: true, checks: { nats: true }, uptime_seconds: 5 });
const ledger = (more = {}) => ({ lag: 0, dead_letters: 0, messages_per_second: 0, last_sequence: 9, ...more });
const overview = (more = {}) => ({ services: ["gateway", "submissions", "voting", "results"].map(ready), ledger: ledger(), ...more });

test("a platform with every service ready, no lag and no dead letters has no problem", () => {
  assert.deepEqual(problems(overview()), []);
  assert.deepEqual(problems(overview({ ledger: ledger({ lag: LAG_LIMIT }) })), []);  // the alert's threshold is "above"
});

const letter = (secondsAgo) => ({ sequence: 7, at: new Date(Date.now() - secondsAgo * 1000).toISOString() });

test("each problem names its runbook section, services first", () => {
  const down = { service: "voting", ready: false, checks: {}, uptime_seconds: 0, error: "no service answers" };
  const letters = [letter(10), letter(600), letter(60), letter(RECENT_DEAD_LETTER_S + 60)];
  const found = problems(overview({ services: [ready("gateway"), down],
    ledger: ledger({ lag: LAG_LIMIT + 1, dead_letters: 4, recent_dead_letters: letters }) }));
  assert.deepEqual(found.map((p) => [p.kind, p.runbook]), [
    ["noAnswer", RUNBOOK.service], ["lag", RUNBOOK.lag], ["deadLetters", RUNBOOK.deadLetters]]);
  assert.equal(found[2].count, 3);  // of the last hour: the fourth is older
});

test("dead letters older than an hour are listed but no longer make the platform degraded", () => {
  const old = [letter(RECENT_DEAD_LETTER_S + 1), letter(5 * RECENT_DEAD_LETTER_S)];
  assert.deepEqual(problems(overview({ ledger: ledger({ dead_letters: 2, recent_dead_letters: old }) })), []);
});

test("a missing ledger is its own problem unless results itself does not answer", () => {
  assert.deepEqual(problems(overview({ ledger: null })).map((p) => p.kind), ["noLedger"]);
  const results = { service: "results", ready: false, checks: {}, uptime_seconds: 0, error: "no service answers" };
  assert.deepEqual(problems(overview({ services: [results], ledger: null })).map((p) => p.kind), ["noAnswer"]);
  assert.deepEqual(problems(overview({ services: [{ ...results, error: null }], ledger: null })).map((p) => p.kind),
    ["notReady"]);
});

test("a series says rising, falling or steady over its window, with a tolerance", () => {
  const series = new Series(60_000);
  assert.equal(series.trend(), "new");
  series.add(0, 100);
  assert.equal(series.trend(), "new");
  series.add(10_000, 105);
  assert.equal(series.trend(), "steady");  // within a tenth
  series.add(20_000, 150);
  assert.equal(series.trend(), "rising");
  assert.equal(series.change(), 50);
  series.add(90_000, 20);  // the readings older than a minute leave the window
  assert.deepEqual(series.values(), [20]);
  series.add(95_000, null);  // an unknown reading is not a zero
  assert.deepEqual(series.values(), [20]);
  series.add(100_000, 0.3);
  assert.equal(series.trend(), "falling");
  assert.equal(series.trend(50), "steady");  // the least tolerance: noise of a small rate
});

test("an age is whole seconds and never negative", () => {
  const now = Date.now();
  assert.equal(ageSeconds(new Date(now - 60_400).toISOString(), now), 60);
  assert.equal(ageSeconds(new Date(now + 60_000).toISOString(), now), 0);
});
