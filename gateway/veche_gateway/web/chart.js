/* Votes over time for one nomination: plain SVG bars of net votes per interval, with the same numbers as a
   table and a one-sentence summary for screen readers. */
(function () {
  "use strict";
  var NS = "http://www.w3.org/2000/svg", W = 600, H = 160, LEFT = 40, BOTTOM = 22, BARS = 60, MINUTE = 60000;

  function node(tag, attrs, text) {
    var el = document.createElementNS(NS, tag);
    Object.keys(attrs || {}).forEach(function (k) { el.setAttribute(k, attrs[k]); });
    if (text !== undefined) el.textContent = text;
    return el;
  }

  /* Minutes -> at most BARS intervals of a round size, from the first vote to now. */
  function buckets(points, now) {
    if (!points.length) return { size: 1, list: [] };
    var first = Date.parse(points[0].minute), span = (now - first) / MINUTE + 1;
    var size = [1, 2, 5, 10, 15, 30, 60, 120].filter(function (s) { return span / s <= BARS; })[0] || 240;
    var start = Math.floor(first / (size * MINUTE)) * size * MINUTE, list = [];
    for (var at = start; at <= now; at += size * MINUTE) list.push({ at: at, votes: 0 });
    points.forEach(function (p) {
      var i = Math.floor((Date.parse(p.minute) - start) / (size * MINUTE));
      if (list[i]) list[i].votes += p.votes;
    });
    return { size: size, list: list };
  }

  function clock(at, lang) {
    return new Date(at).toLocaleTimeString(lang, { hour: "2-digit", minute: "2-digit" });
  }

  function bars(svg, list, lang) {
    var top = Math.max.apply(null, list.map(function (b) { return Math.abs(b.votes); }).concat([1]));
    var step = (W - LEFT) / list.length, base = H - BOTTOM, scale = (base - 8) / top;
    svg.appendChild(node("line", { "class": "chart-axis", x1: LEFT, x2: W, y1: base, y2: base }));
    svg.appendChild(node("text", { "class": "chart-tick", x: LEFT - 4, y: 12, "text-anchor": "end" },
                         top.toLocaleString(lang)));
    svg.appendChild(node("text", { "class": "chart-tick", x: LEFT - 4, y: base, "text-anchor": "end" }, "0"));
    list.forEach(function (b, i) {
      var h = Math.max(Math.abs(b.votes) * scale, b.votes ? 1 : 0);
      svg.appendChild(node("rect", { "class": b.votes < 0 ? "chart-bar chart-bar-minus" : "chart-bar",
        x: (LEFT + i * step + 1).toFixed(1), y: (base - h).toFixed(1), width: Math.max(step - 2, 1).toFixed(1),
        height: h.toFixed(1) }));
    });
    [0, list.length - 1].forEach(function (i, k) {
      svg.appendChild(node("text", { "class": "chart-tick", x: k ? W : LEFT, y: H - 6,
                                     "text-anchor": k ? "end" : "start" }, clock(list[i].at, lang)));
    });
  }

  function table(box, list, t, lang, votes) {
    var body = box.querySelector("tbody");
    body.textContent = "";
    list.filter(function (b) { return b.votes; }).forEach(function (b) {
      var row = document.createElement("tr");
      [clock(b.at, lang), votes(b.votes)].forEach(function (text) {
        var cell = document.createElement("td");
        cell.textContent = text;
        row.appendChild(cell);
      });
      body.appendChild(row);
    });
  }

  /* series: the API's TimeSeries; t: texts; votes(n): "5 votes" in the page's language. */
  function draw(box, series, hours, t, lang, votes) {
    var svg = box.querySelector("svg"), grouped = buckets(series.points, Date.now());
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    svg.setAttribute("viewBox", "0 0 " + W + " " + H);
    box.querySelector("figcaption").textContent = t("chartCaption", { size: grouped.size, hours: hours });
    var summary = box.querySelector(".chart-summary");
    if (!grouped.list.length) {
      summary.textContent = t("chartEmpty", { hours: hours });
    } else {
      var peak = grouped.list.reduce(function (a, b) { return b.votes > a.votes ? b : a; });
      var total = grouped.list.reduce(function (sum, b) { return sum + b.votes; }, 0);
      summary.textContent = t("chartSummary", { total: votes(total), buckets: grouped.list.length,
                                                peakAt: clock(peak.at, lang), peak: votes(peak.votes) });
      bars(svg, grouped.list, lang);
    }
    table(box, grouped.list, t, lang, votes);
    svg.setAttribute("data-bars", String(grouped.list.length));
  }

  window.VecheChart = { draw: draw };
})();
