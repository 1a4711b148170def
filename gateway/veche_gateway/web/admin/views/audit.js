// The audit trail of operator actions: filters, oldest first, one page after another by the API's cursor.
import { get } from "../../shared/operator.js";
import { el } from "../../shared/dom.js";
import { addRows, field, table, values } from "../forms.js";
import { when, wordsOf } from "../../shared/i18n.js";
import { register } from "../registry.js";

const t = wordsOf("audit", {
  en: {
    navAudit: "Audit log", auditHeading: "Audit log (oldest first)", scope: "Which actions",
    scopeContest: "this contest", scopeAll: "all contests and the platform", scopePlatform: "municipalities and platform",
    operatorFilter: "Operator name", actionFilter: "Action (e.g. change_phase)", since: "From", until: "Before",
    show: "Show", colWhen: "When", colOperator: "Operator", colAction: "Action", colTarget: "Target",
    colOutcome: "Outcome", colDetails: "Details", done: "done", details: "request and answer", noEntries: "No entries.",
  },
  ru: {
    navAudit: "Журнал действий", auditHeading: "Журнал действий (сначала старые)", scope: "Какие действия",
    scopeContest: "этого конкурса", scopeAll: "все конкурсы и платформа", scopePlatform: "муниципалитеты и платформа",
    operatorFilter: "Имя оператора", actionFilter: "Действие (например, change_phase)", since: "С", until: "До",
    show: "Показать", colWhen: "Когда", colOperator: "Оператор", colAction: "Действие", colTarget: "Цель",
    colOutcome: "Результат", colDetails: "Подробности", done: "выполнено", details: "запрос и ответ",
    noEntries: "Записей нет.",
  },
});

function row(entry) {
  const target = Object.entries(entry.target).map(([k, v]) => `${k} ${v}`).join(", ");
  const ok = entry.status < 400;
  const detail = { change: entry.change, before: entry.before, after: entry.after };
  return el("tr", { "data-action": entry.action, "data-status": entry.status },
    el("td", { text: when(entry.at) }), el("td", { text: `${entry.operator} (${entry.role})` }),
    el("td", { text: entry.action }), el("td", { text: target }),
    el("td", { class: ok ? "up" : "down", text: ok ? t("done") : `${entry.status} ${entry.error_code || ""}` }),
    el("td", {}, el("details", {}, el("summary", { text: t("details") }),
      el("pre", { text: JSON.stringify(detail, null, 2) }))));
}

function query(v, contest) {
  const params = new URLSearchParams({ limit: "50" });
  if (v.scope === "contest" && contest) params.set("contest", contest);
  if (v.scope === "platform") params.set("contest", "_platform");
  for (const name of ["operator", "action"]) if (v[name]) params.set(name, v[name]);
  for (const name of ["since", "until"]) if (v[name]) params.set(name, new Date(v[name]).toISOString());
  return params;
}

function filterForm(ctx) {
  const scopes = [["contest", "scopeContest"], ["all", "scopeAll"], ["platform", "scopePlatform"]]
    .filter(([value]) => value !== "contest" || ctx.contest).map(([value, label]) => ({ value, label: t(label) }));
  return el("form", { class: "filters", role: "search" },
    field({ label: t("scope"), name: "scope", type: "select", options: scopes }),
    field({ label: t("operatorFilter"), name: "operator", maxlength: 64 }),
    field({ label: t("actionFilter"), name: "action", maxlength: 64 }),
    field({ label: t("since"), name: "since", type: "datetime-local" }),
    field({ label: t("until"), name: "until", type: "datetime-local" }),
    el("button", { type: "submit", text: t("show") }));
}

register({
  t, id: "audit", label: "navAudit", role: "observer", order: 90,
  render(root, ctx) {
    const form = filterForm(ctx);
    const holder = el("div", { id: "audit-entries" });
    const more = el("button", { type: "button", class: "secondary", hidden: true }, t("loadMore"));
    let listed = null;
    const load = (params, fresh) => get(`/admin/audit?${params}`).then((page) => {
      if (fresh) {
        const headings = ["colWhen", "colOperator", "colAction", "colTarget", "colOutcome", "colDetails"].map(t);
        const grid = table(headings, [], { id: "audit-table" });
        listed = grid;
        holder.replaceChildren(grid);
      }
      addRows(listed, page.entries.map(row));
      if (!listed.tBodies[0].rows.length) holder.replaceChildren(el("p", { text: t("noEntries") }));
      more.hidden = !page.more;
      params.set("cursor", page.next_cursor);
      more.onclick = () => load(params, false);
    }).catch((error) => ctx.say(t("failed", { why: error.message }), "error"));
    form.addEventListener("submit", (event) => { event.preventDefault(); load(query(values(form), ctx.contest?.id), true); });
    root.append(el("h1", { text: t("auditHeading") }), form, holder, more);
    load(query(values(form), ctx.contest?.id), true);
  },
});
