// What the operations view concludes from an overview (GET /admin/contests/{c}/ops): the problems, worst first, each
// with its runbook section in docs/operations.md, and the trend of a figure over the last minutes. No DOM here, so
// node's tests (tests/js/ops_health.test.js) import it as it is.

export const LAG_LIMIT = 1000;  // the ProjectorLagging alert's threshold (deploy/observability/alerts.yml)
export const TREND_MS = 5 * 60_000;  // how far back a tile's trend looks
// A dead letter stays in its stream for good (deny_delete): only one of the last hour makes the platform degraded.
export const RECENT_DEAD_LETTER_S = 3600;

// Sections of docs/operations.md ("## Runbook"); tests/unit/test_ops_runbook.py checks that each exists.
export const RUNBOOK = {
  service: "a-service-does-not-answer",
  ledger: "the-ledger-status-is-missing",
  lag: "leaderboards-lag-behind-the-ledger",
  deadLetters: "dead-letters",
  rate: "ledger-writes-per-second",
  sequence: "ledger-position",
};

/** The dead letters of an overview that arrived in the last hour. */
export function recentDeadLetters(view, now = Date.now()) {
  const list = (view.ledger && view.ledger.recent_dead_letters) || [];
  return list.filter((d) => ageSeconds(d.at, now) < RECENT_DEAD_LETTER_S);
}

/** The problems of an overview, worst first: [{ kind, runbook, ... }]; none means the platform is healthy. */
export function problems(view, now = Date.now()) {
  const found = [];
  for (const s of view.services || []) {
    if (!s.ready) found.push({ kind: s.error ? "noAnswer" : "notReady", service: s.service, runbook: RUNBOOK.service });
  }
  const ledger = view.ledger;
  if (!ledger) {
    if (!found.some((p) => p.service === "results")) found.push({ kind: "noLedger", runbook: RUNBOOK.ledger });
    return found;
  }
  if (ledger.lag > LAG_LIMIT) found.push({ kind: "lag", lag: ledger.lag, runbook: RUNBOOK.lag });
  const recent = recentDeadLetters(view, now).length;
  if (recent > 0) found.push({ kind: "deadLetters", count: recent, runbook: RUNBOOK.deadLetters });
  return found;
}

/** A figure's samples over the last TREND_MS: add(at, value) each refresh; trend() says where it is going. */
export class Series {
  constructor(windowMs = TREND_MS) { this.windowMs = windowMs; this.points = []; }

  add(at, value) {
    if (value === null || value === undefined) return;
    this.points.push([at, value]);
    while (this.points.length && this.points[0][0] < at - this.windowMs) this.points.shift();
  }

  values() { return this.points.map(([, value]) => value); }

  /** "new" (one sample yet), "rising", "falling" or "steady": the last value against the first of the window, with
   *  a tolerance of a tenth of the larger and at least `least` (noise of a rate that is never exactly flat). */
  trend(least = 0) {
    if (this.points.length < 2) return "new";
    const first = this.points[0][1], last = this.points[this.points.length - 1][1];
    const tolerance = Math.max(least, Math.max(Math.abs(first), Math.abs(last)) * 0.1);
    if (last - first > tolerance) return "rising";
    if (first - last > tolerance) return "falling";
    return "steady";
  }

  /** How much the figure changed over the window (last minus first), 0 with fewer than two samples. */
  change() {
    return this.points.length < 2 ? 0 : this.points[this.points.length - 1][1] - this.points[0][1];
  }
}

/** Seconds between two ISO times (or a time and now), never negative. */
export function ageSeconds(iso, now = Date.now()) {
  return Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
}
