/* An inline SVG map of municipalities from lat/lon: equirectangular, scaled to the points, no tiles. */
window.VecheMap = {
  draw: function (svg, practices, cities, loc) {
    "use strict";
    var NS = "http://www.w3.org/2000/svg", W = 400, H = 220, PAD = 24;
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    var seen = {}, points = [];
    practices.forEach(function (p) {
      var c = cities[p.municipality];
      if (c && !seen[c.id]) { seen[c.id] = true; points.push(c); }
    });
    var frame = document.createElementNS(NS, "rect");
    frame.setAttribute("class", "map-frame");
    frame.setAttribute("width", W);
    frame.setAttribute("height", H);
    svg.appendChild(frame);
    if (!points.length) return;
    var lats = points.map(function (c) { return c.lat; }), lons = points.map(function (c) { return c.lon; });
    var minLat = Math.min.apply(null, lats), maxLat = Math.max.apply(null, lats);
    var minLon = Math.min.apply(null, lons), maxLon = Math.max.apply(null, lons);
    var kx = Math.cos(((minLat + maxLat) / 2) * Math.PI / 180);
    var spanX = Math.max((maxLon - minLon) * kx, 1), spanY = Math.max(maxLat - minLat, 1);
    var scale = Math.min((W - 2 * PAD) / spanX, (H - 2 * PAD) / spanY);
    var midLon = (minLon + maxLon) / 2, midLat = (minLat + maxLat) / 2;
    points.forEach(function (c) {
      var x = W / 2 + (c.lon - midLon) * kx * scale, y = H / 2 - (c.lat - midLat) * scale;
      var group = document.createElementNS(NS, "g");
      group.setAttribute("class", "map-city");
      var dot = document.createElementNS(NS, "circle");
      dot.setAttribute("cx", x.toFixed(1));
      dot.setAttribute("cy", y.toFixed(1));
      dot.setAttribute("r", "5");
      var title = document.createElementNS(NS, "title");
      title.textContent = loc(c.name);
      dot.appendChild(title);
      var label = document.createElementNS(NS, "text");
      label.setAttribute("x", (x + 8).toFixed(1));
      label.setAttribute("y", (y + 4).toFixed(1));
      label.textContent = loc(c.name);
      group.appendChild(dot);
      group.appendChild(label);
      svg.appendChild(group);
    });
  }
};
