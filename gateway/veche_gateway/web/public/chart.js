// Votes over time for one nomination: plain SVG bars of net votes per interval, with the same numbers as a
// table and a one-sentence summary for screen readers.
import { el, svg } from "../shared/dom.js";
import { currentLang, plural, t } from "../shared/i18n.js";

const W = 600, H = 160, LEFT = 40, BOTTOM = 22, BARS = 60, MINUTE = 60000;
const votes = (n) => plural("votes", n);

/** The API's points ({minute, votes}) as at most BARS intervals of a round size, from the first vote to now. */
export function buckets(points, now) {
  if (!points.length) return { size: 1, list: [] };
  const first = Date.parse(points[0].minute), span = (now - first) / MINUTE + 1;
  const size = [1, 2, 5, 10, 15, 30, 60, 120].find((s) => span / s <= BARS) || 240;
  const start = Math.floor(first / (size * MINUTE)) * size * MINUTE, list = [];
  for (let at = start; at <= now; at += size * MINUTE) list.push({ at, votes: 0 });
  points.forEach((p) => {
    const i = Math.floor((Date.parse(p.minute) - start) / (size * MINUTE));
    if (list[i]) list[i].votes += p.votes;
  });
  return { size, list };
}

function clock(at) {
  return new Date(at).toLocaleTimeString(currentLang(), { hour: "2-digit", minute: "2-digit" });
}

function bars(picture, list) {
  const top = Math.max(...list.map((b) => Math.abs(b.votes)), 1);
  const step = (W - LEFT) / list.length, base = H - BOTTOM, scale = (base - 8) / top;
  picture.append(svg("line", { class: "chart-axis", x1: LEFT, x2: W, y1: base, y2: base }),
    svg("text", { class: "chart-tick", x: LEFT - 4, y: 12, "text-anchor": "end" }, top.toLocaleString(currentLang())),
    svg("text", { class: "chart-tick", x: LEFT - 4, y: base, "text-anchor": "end" }, "0"));
  list.forEach((b, i) => {
    const h = Math.max(Math.abs(b.votes) * scale, b.votes ? 1 : 0);
    picture.append(svg("rect", { class: b.votes < 0 ? "chart-bar chart-bar-minus" : "chart-bar",
      x: (LEFT + i * step + 1).toFixed(1), y: (base - h).toFixed(1), width: Math.max(step - 2, 1).toFixed(1),
      height: h.toFixed(1) }));
  });
  [0, list.length - 1].forEach((i, k) => {
    picture.append(svg("text", { class: "chart-tick", x: k ? W : LEFT, y: H - 6, "text-anchor": k ? "end" : "start" },
      clock(list[i].at)));
  });
}

function table(box, list) {
  box.querySelector("tbody").replaceChildren(...list.filter((b) => b.votes).map((b) =>
    el("tr", {}, el("td", { text: clock(b.at) }), el("td", { text: votes(b.votes) }))));
}

/** series: the API's TimeSeries, drawn into the figure box over the last `hours`. */
export function drawChart(box, series, hours) {
  const picture = box.querySelector("svg"), grouped = buckets(series.points, Date.now());
  picture.replaceChildren();
  picture.setAttribute("viewBox", `0 0 ${W} ${H}`);
  box.querySelector("figcaption").textContent = t("chartCaption", { size: grouped.size, hours });
  const summary = box.querySelector(".chart-summary");
  if (!grouped.list.length) {
    summary.textContent = t("chartEmpty", { hours });
  } else {
    const peak = grouped.list.reduce((a, b) => (b.votes > a.votes ? b : a));
    const total = grouped.list.reduce((sum, b) => sum + b.votes, 0);
    summary.textContent = t("chartSummary", { total: votes(total), buckets: grouped.list.length,
      peakAt: clock(peak.at), peak: votes(peak.votes) });
    bars(picture, grouped.list);
  }
  table(box, grouped.list);
  picture.setAttribute("data-bars", String(grouped.list.length));
}
