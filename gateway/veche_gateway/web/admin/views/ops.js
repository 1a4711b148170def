// Operations: is the platform healthy, in one sentence first; then what each figure counts, for the whole platform or
// this contest, where it is going, and what to do (a runbook section of docs/operations.md, the Grafana dashboard);
// dead letters with their age, contest and next step. One overview every 5 s, nothing while the tab is hidden.
import { seg } from "../../shared/api.js";
import { el, svg } from "../../shared/dom.js";
import { currentLang, pick, plural, wordsOf } from "../../shared/i18n.js";
import { get } from "../../shared/operator.js";
import { table } from "../forms.js";
import { LAG_LIMIT, RUNBOOK, Series, ageSeconds, problems, recentDeadLetters } from "../ops_health.js";
import { register } from "../registry.js";
import { OPS_WORDS } from "./ops_words.js";

const REFRESH_MS = 5_000;
const t = wordsOf("ops", OPS_WORDS);
const number = (n, digits = 0) => Number(n).toLocaleString(currentLang(), { maximumFractionDigits: digits });

// Each tile: what it counts (words tile_<id> and what_<id>), for the platform or this contest, when it is bad.
const TILES = [
  { id: "rate", scope: "platform", of: (v) => v.ledger && v.ledger.messages_per_second, digits: 1, least: 0.5,
    runbook: RUNBOOK.rate },
  { id: "lag", scope: "platform", of: (v) => v.ledger && v.ledger.lag, least: 10, bad: (n) => n > LAG_LIMIT,
    runbook: RUNBOOK.lag },
  { id: "deadLetters", scope: "platform", of: (v) => v.ledger && v.ledger.dead_letters,
    bad: (n, v) => recentDeadLetters(v).length > 0, runbook: RUNBOOK.deadLetters },
  { id: "moderation", scope: "contest", of: (v) => v.moderation && v.moderation.pending, view: "moderation" },
  { id: "sequence", scope: "platform", of: (v) => v.ledger && v.ledger.last_sequence, runbook: RUNBOOK.sequence },
];  // fmt: skip

/** A link to a runbook section where the deployment publishes docs/operations.md, else the section's name. */
function runbook(links, anchor) {
  if (links && links.runbook) {
    return el("a", { class: "runbook", href: `${links.runbook}#${anchor}`, "data-runbook": anchor, text: t("whatToDo") });
  }
  return el("span", { class: "runbook hint", "data-runbook": anchor, text: t("runbookAt", { section: anchor }) });
}

function spark(values) {
  if (values.length < 2) return null;
  const top = Math.max(...values), bottom = Math.min(...values), span = top - bottom || 1;
  const points = values.map((v, i) => `${(i / (values.length - 1)) * 100},${28 - ((v - bottom) / span) * 26}`);
  return svg("svg", { class: "spark", viewBox: "0 0 100 30", preserveAspectRatio: "none", "aria-hidden": "true" },
    svg("polyline", { points: points.join(" ") }));
}

function tile(spec, view, series) {
  const value = spec.of(view);
  const known = value !== null && value !== undefined;
  const state = !known ? "unknown" : spec.bad && spec.bad(value, view) ? "bad" : "ok";
  const trend = series.trend(spec.least);
  const next = spec.view ? el("a", { href: `#/${spec.view}`, text: t(`goto_${spec.view}`) }) : runbook(view.links, spec.runbook);
  return el("section", { class: "tile", id: `tile-${spec.id}`, "data-state": state, "aria-labelledby": `tile-${spec.id}-title` },
    el("h3", { id: `tile-${spec.id}-title`, text: t(`tile_${spec.id}`) }),
    el("p", { class: "scope", text: t(`scope_${spec.scope}`) }),
    el("p", { class: "value", text: known ? number(value, spec.digits) : t("noAnswer") }),
    el("p", { class: "trend", "data-trend": trend, text: t(`trend_${trend}`) }),
    spark(series.values()),
    el("p", { class: "what", text: t(`what_${spec.id}`, { limit: number(LAG_LIMIT) }) }),
    next);
}

/** A problem in words: "results does not answer", "3 ledger messages could not be counted (dead letters)". */
function said(p) {
  return t(`problem_${p.kind}`, { ...p, lag: number(p.lag || 0), messages: plural("ops.messages", p.count || 0) });
}

function statusLine(found) {
  return found.length ? t("degraded", { what: found.map(said).join("; ") }) : t("allGood");
}

function problemList(found, links) {
  return el("ul", { id: "ops-problems", class: "problems" }, found.map((p) => el("li", { "data-problem": p.kind },
    said(p), " · ", runbook(links, p.runbook))));
}

function duration(seconds) {
  const s = Math.floor(seconds), d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600), m = Math.floor((s % 3600) / 60);
  return d ? t("daysHours", { d, h }) : h ? t("hoursMinutes", { h, m }) : m ? t("minutes", { m }) : t("seconds", { s });
}

function services(list) {
  const rows = list.map((s) => el("tr", { "data-service": s.service, "data-ready": String(s.ready) },
    el("td", { text: s.service }),
    el("td", { text: (s.instance || "–") + (s.partitions ? ` (${t("partitions")} ${s.partitions.join(", ")})` : "") }),
    el("td", { class: s.ready ? "up" : "down", text: t(s.ready ? "ready" : s.error ? "noAnswer" : "notReady") }),
    el("td", { text: s.error || Object.entries(s.checks).map(([k, ok]) => `${k} ${ok ? "✓" : "✗"}`).join(", ") }),
    el("td", { text: s.error ? "–" : duration(s.uptime_seconds) })));
  return table([t("service"), t("instance"), t("state"), t("checks"), t("upFor")], rows, { id: "ops-services" });
}

function deadLetters(list, ctx, view) {
  if (!list.length) return el("p", { id: "dead-letters-none", text: t("noDeadLetters") });
  const title = (id) => (ctx.contests.find((c) => c.id === id) ? pick(ctx.contests.find((c) => c.id === id).title) : id);
  const rows = list.map((d) => el("tr", { "data-sequence": d.sequence, "data-kind": d.kind },
    el("td", { text: t("ago", { age: duration(ageSeconds(d.at)) }) }),
    el("td", { text: d.contest ? `${title(d.contest)}${d.contest === view.contest ? ` (${t("thisContest")})` : ""}${d.nomination ? ` · ${d.nomination}` : ""}` : "–" }),
    el("td", { text: `${t(`kind_${d.kind}`)} (${d.reason})` }),
    el("td", {}, t(`next_${d.kind}`, { seq: d.sequence, dlseq: d.dead_letter_sequence }), " ", runbook(view.links, RUNBOOK.deadLetters))));
  return table([t("when"), t("contestNomination"), t("why"), t("nextStep")], rows, { id: "dead-letter-list" });
}

function onwards(view) {
  const grafana = view.links && view.links.grafana
    ? el("a", { id: "grafana-link", href: view.links.grafana, rel: "noopener", text: t("grafana") })
    : el("span", { id: "grafana-link", class: "hint", text: t("noGrafana") });
  return el("p", { class: "ops-links" }, grafana, " · ", el("a", { href: "#/live", text: t("goto_live") }), " · ",
    el("a", { href: "#/audit", text: t("goto_audit") }));
}

/** The links of root that lead to href and read text (several "What to do" links may lead to one section). */
const sameLinks = (root, href, text) => [...root.querySelectorAll("a[href]")]
  .filter((a) => a.getAttribute("href") === href && a.textContent === text);

/** Where a keyboard user is inside root (which of the same links), so a refresh does not take the focus away. */
function focusOf(root) {
  const active = document.activeElement;
  if (!active || !root.contains(active) || !active.matches("a[href]")) return null;
  const [href, text] = [active.getAttribute("href"), active.textContent];
  return { href, text, index: sameLinks(root, href, text).indexOf(active) };
}

function refocus(root, focused) {
  if (!focused) return;
  const same = sameLinks(root, focused.href, focused.text);
  const target = same[Math.min(focused.index, same.length - 1)];
  if (target) target.focus();
}

register({
  t, id: "ops", label: "navOps", role: "observer", order: 85,
  render(root, ctx) {
    const contest = ctx.contest;  // none chosen: the platform's part alone
    const tiles = TILES.filter((spec) => contest || spec.scope === "platform");
    const address = contest ? `/admin/contests/${seg(contest.id)}/ops` : "/admin/ops";
    const series = Object.fromEntries(tiles.map((spec) => [spec.id, new Series()]));
    const status = el("p", { id: "ops-status", class: "ops-status", role: "status", "data-state": "unknown", text: t("loading") });
    const body = el("div", { id: "ops-body" });
    const updated = el("p", { id: "ops-updated", class: "hint" });
    root.append(el("h1", { text: t("heading") }), status, updated, contest ? "" : el("p", { class: "hint", id: "ops-platform-only", text: t("platformOnly") }), body);
    const refresh = async () => {
      if (document.hidden) return;
      try {
        const view = await get(address);
        const at = Date.parse(view.generated_at);
        for (const spec of tiles) series[spec.id].add(at, spec.of(view));
        const found = problems(view);
        status.dataset.state = found.length ? "degraded" : "ok";
        status.textContent = statusLine(found);
        updated.textContent = t("updated", { when: new Date(at).toLocaleTimeString(currentLang()) });
        const focused = focusOf(body);
        body.replaceChildren(found.length ? problemList(found, view.links) : "", onwards(view),
          el("div", { class: "tiles" }, tiles.map((spec) => tile(spec, view, series[spec.id]))),
          el("h2", { text: t("deadLettersHeading") }),
          deadLetters(view.ledger ? view.ledger.recent_dead_letters : [], ctx, view),
          el("h2", { text: t("servicesHeading") }), services(view.services));
        refocus(body, focused);
      } catch (error) {
        status.dataset.state = "unknown";
        status.textContent = t("unknown", { why: error.message });
      }
    };
    refresh();
    const timer = setInterval(refresh, REFRESH_MS);
    return () => clearInterval(timer);
  },
});
