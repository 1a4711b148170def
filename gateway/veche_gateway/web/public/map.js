// The map of a nomination's municipalities: country outlines (world-atlas) and Russia's regions (Natural Earth
// admin-1), projected with d3-geo; markers sized by votes when results are visible; labels placed greedily,
// biggest first, so that none overlap. Labelled places are links (keyboard); every place is in the list below.
// d3 and topojson are the vendored scripts' globals (vendor/geo), fetched with the outlines when a map is first
// drawn: a phone, where the map starts folded, loads none of them unless the visitor opens it.
/* global d3, topojson */
import { el, svg as node } from "../shared/dom.js";

const PAD = 28, MAX_LABELS = 60, FONT = "12px system-ui";
const GEO = "/static/vendor/geo/";
const LIBRARIES = ["d3-array.min.js", "d3-geo.min.js", "topojson-client.min.js"];  // d3-geo needs d3-array first
let W = 800, H = 440;
let outlines = null, measure = null;

function libraries() {
  return Promise.all(LIBRARIES.map(function (name) {
    return new Promise(function (resolve, reject) {
      const script = el("script", { src: GEO + name, onload: resolve, onerror: reject });
      script.async = false;  /* run in the list's order */
      document.head.append(script);
    });
  }));
}

function load() {
  if (!outlines) {
    outlines = Promise.all([fetch(GEO + "countries.json"), fetch(GEO + "regions-ru.json"), libraries()])
      .then(function (answers) { return Promise.all(answers.slice(0, 2).map(function (a) { return a.json(); })); })
      .then(function (topo) {
        return { land: topojson.feature(topo[0], topo[0].objects.countries),
                 borders: topojson.mesh(topo[0], topo[0].objects.countries, function (a, b) { return a !== b; }),
                 regions: topojson.mesh(topo[1], topo[1].objects.regions, function (a, b) { return a !== b; }) };
      });
  }
  return outlines;
}


/* Azimuthal equal-area around the places' centre keeps Russia's shape; the whole world needs a world projection. */
function projection(places) {
  const points = { type: "MultiPoint", coordinates: places.map(function (p) { return [p.lon, p.lat]; }) };
  const centre = d3.geoCentroid(points);
  let spread = 0;
  places.forEach(function (p) { spread = Math.max(spread, d3.geoDistance(centre, [p.lon, p.lat])); });
  const wide = spread > 1.4;  /* about 80 degrees */
  const chosen = wide ? d3.geoNaturalEarth1() : d3.geoAzimuthalEqualArea().rotate([-centre[0], -centre[1]]);
  const near = spread < 0.07;  /* a few places close together: show at least a region around them */
  chosen.fitExtent([[PAD, PAD], [W - PAD, H - PAD]], near ? d3.geoCircle().center(centre).radius(4)() : points);
  return chosen.clipExtent([[0, 0], [W, H]]);
}

function textWidth(text) {
  if (!measure) { measure = document.createElement("canvas").getContext("2d"); measure.font = FONT; }
  return measure.measureText(text).width;
}

function overlaps(box, boxes) {
  for (let i = 0; i < boxes.length; i++) {
    const b = boxes[i];
    if (box.x < b.x + b.w && b.x < box.x + box.w && box.y < b.y + b.h && b.y < box.y + box.h) return true;
  }
  return false;
}

/* Right, left, above, below the marker: the first spot inside the map that touches no placed label. */
function placeLabel(place, boxes) {
  const w = textWidth(place.name) + 2, h = 14, r = place.r + 2;
  const spots = [[place.x + r, place.y - h / 2, "start"], [place.x - r - w, place.y - h / 2, "end"],
               [place.x - w / 2, place.y - r - h, "middle"], [place.x - w / 2, place.y + r, "middle"]];
  for (let i = 0; i < spots.length; i++) {
    const box = { x: spots[i][0], y: spots[i][1], w: w, h: h };
    if (box.x < 0 || box.y < 0 || box.x + box.w > W || box.y + box.h > H || overlaps(box, boxes)) continue;
    boxes.push(box);
    return { x: spots[i][2] === "start" ? box.x + 1 : spots[i][2] === "end" ? box.x + w - 1 : box.x + w / 2,
             y: box.y + 11, anchor: spots[i][2] };
  }
  return null;
}

function drawOutlines(svg, geo, path) {
  svg.appendChild(node("rect", { "class": "map-sea", width: W, height: H }));
  const base = node("g", { "aria-hidden": "true" });
  base.appendChild(node("path", { "class": "map-land", d: path(geo.land) || "" }));
  base.appendChild(node("path", { "class": "map-regions", d: path(geo.regions) || "" }));
  base.appendChild(node("path", { "class": "map-borders", d: path(geo.borders) || "" }));
  svg.appendChild(base);
}

function drawMarkers(svg, places) {
  const group = node("g", { "class": "map-markers", "aria-hidden": "true" });
  places.forEach(function (p) {
    const dot = node("circle", { cx: p.x.toFixed(1), cy: p.y.toFixed(1), r: p.r.toFixed(1), "data-place": p.id });
    dot.appendChild(node("title", {}, p.name + (p.votes === null ? "" : " · " + p.votesText)));
    group.appendChild(dot);
  });
  svg.appendChild(group);
}

function drawLabels(svg, places) {
  const group = node("g", { "class": "map-labels" }), boxes = [];
  let placed = 0;
  places.slice().sort(function (a, b) { return b.r - a.r; }).forEach(function (p) {
    if (placed >= MAX_LABELS) return;
    const at = placeLabel(p, boxes);
    if (!at) return;
    placed += 1;
    const link = node("a", { href: p.href, "class": "map-place", "aria-label": p.label });
    link.appendChild(node("text", { x: at.x.toFixed(1), y: at.y.toFixed(1), "text-anchor": at.anchor }, p.name));
    group.appendChild(link);
  });
  svg.appendChild(group);
}

/* places: [{id, name, lat, lon, votes (null while hidden), votesText, label, href}] */
export function drawMap(svg, places) {
  return load().then(function (geo) {
    /* The drawing is as wide as it is shown, so labels keep their size on a phone. */
    W = Math.round(Math.min(Math.max(svg.clientWidth || 800, 320), 1000));
    H = Math.round(W * (W < 600 ? 0.75 : 0.55));
    svg.setAttribute("viewBox", "0 0 " + W + " " + H);
    const started = performance.now();
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    const shown = places.filter(function (p) { return isFinite(p.lat) && isFinite(p.lon); });
    const project = shown.length ? projection(shown) : d3.geoNaturalEarth1().fitSize([W, H], geo.land);
    drawOutlines(svg, geo, d3.geoPath(project));
    const most = Math.max.apply(null, shown.map(function (p) { return p.votes || 0; }).concat([1]));
    const sized = shown.map(function (p) {
      const xy = project([p.lon, p.lat]) || [-99, -99];
      const r = p.votes === null ? 4 : 3 + 15 * Math.sqrt(Math.max(p.votes, 0) / most);
      return Object.assign({}, p, { x: xy[0], y: xy[1], r: r });
    }).sort(function (a, b) { return b.r - a.r; });  /* small markers on top of big ones */
    drawMarkers(svg, sized);
    drawLabels(svg, sized);
    svg.setAttribute("data-drawn-ms", (performance.now() - started).toFixed(1));
    svg.setAttribute("data-places", String(shown.length));
  });
}

