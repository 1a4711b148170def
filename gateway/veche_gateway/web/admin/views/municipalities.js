// Municipalities: search and a paged list; admins upload a CSV file (all or nothing) with a progress bar, then
// read the server's verdict: how many rows are new or already registered, or every bad line.
import { get } from "../../shared/operator.js";
import { el } from "../../shared/dom.js";
import { addRows, field, table } from "../forms.js";
import { pick, wordsOf } from "../../shared/i18n.js";
import { register } from "../registry.js";
import { csvUpload } from "./csv_upload.js";

const t = wordsOf("municipalities", {
  en: {
    navMunicipalities: "Municipalities", municipalitiesHeading: "Municipalities", search: "Search by name or id",
    find: "Find", colId: "Id", colName: "Name", colCountry: "Country", colRegion: "Region", colPlace: "Lat, lon",
    colPopulation: "Population", noMunicipalities: "No municipalities match.", shown: "{count} shown",
  },
  ru: {
    navMunicipalities: "Муниципалитеты", municipalitiesHeading: "Муниципалитеты", search: "Поиск по названию или id",
    find: "Найти", colId: "Id", colName: "Название", colCountry: "Страна", colRegion: "Регион", colPlace: "Шир., долг.",
    colPopulation: "Население", noMunicipalities: "Подходящих муниципалитетов нет.", shown: "показано: {count}",
  },
});

const PAGE = 50;

/** One page of the list in id order (the public API's cursor paging; q matches the id or a name in any language). */
async function municipalityPage(q, cursor) {
  const params = new URLSearchParams({ limit: String(PAGE) });
  if (q) params.set("q", q);
  if (cursor) params.set("cursor", cursor);
  const page = await get(`/municipalities?${params}`);
  return { items: page.items, next: page.next_cursor };
}

function row(m) {
  const number = (value) => (value === null || value === undefined ? "–" : value.toLocaleString());
  return el("tr", { "data-municipality": m.id },
    el("td", { text: m.id }), el("td", { text: pick(m.name) }), el("td", { text: m.country }),
    el("td", { text: pick(m.region) || "–" }), el("td", { class: "num", text: `${m.lat}, ${m.lon}` }),
    el("td", { class: "num", text: number(m.population) }));
}

function listSection(ctx) {
  const form = el("form", { class: "filters", role: "search" },
    field({ label: t("search"), name: "q", type: "search", maxlength: 200 }), el("button", { type: "submit", text: t("find") }));
  const holder = el("div", { id: "municipality-list" });
  const more = el("button", { type: "button", class: "secondary", hidden: true }, t("loadMore"));
  const count = el("p", { class: "hint", "aria-live": "polite" });
  let listed = null, latest = 0;
  const load = (q, cursor) => {
    const asked = ++latest;  // only the last request counts: a slower first list must not replace a search
    return municipalityPage(q, cursor).then((page) => (asked === latest ? show(q, cursor, page) : null))
      .catch((error) => ctx.say(t("failed", { why: error.message }), "error"));
  };
  const show = (q, cursor, page) => {
    if (!cursor) {
      const headings = ["colId", "colName", "colCountry", "colRegion", "colPlace", "colPopulation"].map(t);
      const grid = table(headings, [], { id: "municipality-table" });
      listed = grid;
      holder.replaceChildren(grid);
    }
    addRows(listed, page.items.map(row));
    if (!listed.tBodies[0].rows.length) holder.replaceChildren(el("p", { text: t("noMunicipalities") }));
    count.textContent = t("shown", { count: listed.tBodies[0].rows.length });
    more.hidden = !page.next;
    more.onclick = () => load(q, page.next);
  };
  form.addEventListener("submit", (event) => { event.preventDefault(); load(form.elements.q.value.trim(), null); });
  load("", null);
  return { nodes: [form, holder, count, more], reload: () => load(form.elements.q.value.trim(), null) };
}

register({
  t, id: "municipalities", label: "navMunicipalities", role: "observer", order: 60,
  render(root, ctx) {
    const list = listSection(ctx);
    root.append(el("h1", { text: t("municipalitiesHeading") }));
    if (ctx.can("admin")) root.append(csvUpload(ctx, list.reload));
    root.append(...list.nodes);
  },
});
