// The moderation queue: pending practices first (then any status on request), approve, reject with a reason,
// withdraw. Pages follow the API's cursor.
import { seg } from "../../shared/api.js";
import { get, post } from "../../shared/operator.js";
import { confirmAction } from "../dialog.js";
import { el } from "../../shared/dom.js";
import { field } from "../forms.js";
import { pick, wordsOf } from "../../shared/i18n.js";
import { register } from "../registry.js";

const t = wordsOf("moderation", {
  en: {
    navModeration: "Moderation", moderationHeading: "Moderation queue", statusFilter: "Status",
    nominationFilter: "Nomination", allNominations: "all nominations", anyStatus: "any status",
    status_pending: "pending", status_approved: "approved", status_rejected: "rejected", status_withdrawn: "withdrawn",
    approve: "Approve", reject: "Reject", withdraw: "Withdraw", approveThis: "Approve {title}",
    rejectThis: "Reject {title}", withdrawThis: "Withdraw {title}", reason: "Reason (the municipality sees it)",
    rejectWhat: "The practice is not admitted to the vote; the reason is kept with it.",
    withdrawWhat: "The practice leaves the contest (allowed while the contest accepts submissions).",
    approved: "Approved: {title}.", rejected: "Rejected: {title}.", withdrawn: "Withdrawn: {title}.",
    queueEmpty: "Nothing here.", from: "{municipality} · {nomination}", reasonWas: "Reason: {reason}",
    more: "Description and links of {title}",
  },
  ru: {
    navModeration: "Модерация", moderationHeading: "Очередь модерации", statusFilter: "Статус",
    nominationFilter: "Номинация", allNominations: "все номинации", anyStatus: "любой статус",
    status_pending: "на модерации", status_approved: "одобрена", status_rejected: "отклонена",
    status_withdrawn: "отозвана", approve: "Одобрить", reject: "Отклонить", withdraw: "Отозвать",
    approveThis: "Одобрить {title}", rejectThis: "Отклонить {title}", withdrawThis: "Отозвать {title}",
    reason: "Причина (её увидит муниципалитет)",
    rejectWhat: "Практика не допускается к голосованию; причина сохраняется вместе с ней.",
    withdrawWhat: "Практика выходит из конкурса (можно, пока конкурс принимает заявки).",
    approved: "Одобрена: {title}.", rejected: "Отклонена: {title}.", withdrawn: "Отозвана: {title}.",
    queueEmpty: "Здесь ничего нет.", from: "{municipality} · {nomination}", reasonWas: "Причина: {reason}",
    more: "Описание и ссылки: {title}",
  },
});

const STATUSES = ["pending", "approved", "rejected", "withdrawn"];
const DONE = { approve: "approved", reject: "rejected", withdraw: "withdrawn" };

function act(practice, action, ctx, replace) {
  const title = pick(practice.title) || practice.id;
  const send = (body) => post(`/admin/practices/${seg(practice.id)}/${action}`, { expected_version: practice.version, ...body });
  const asked = action === "approve" ? send({}).catch((error) => { ctx.say(t("failed", { why: error.message }), "error"); return null; })
    : confirmAction({
      title: t(`${action}This`, { title }), body: t(`${action}What`), confirm: t(action), danger: true,
      fields: action === "reject" ? [{ label: t("reason"), name: "reason", type: "textarea", required: true, maxlength: 1000 }] : [],
      run: (v) => send(action === "reject" ? { reason: v.reason } : {}),
    });
  return asked.then((done) => { if (done) { replace(done); ctx.say(t(DONE[action], { title })); } });
}

/** What a moderator reads before deciding: the description and the links (opened in a new tab, never followed). */
function details(practice, title) {
  const text = pick(practice.description);
  if (!text && !practice.links.length) return null;
  const links = practice.links.map((href) => el("li", {}, el("a", { href, rel: "noopener noreferrer nofollow", target: "_blank", text: href })));
  return el("details", {}, el("summary", { text: t("more", { title }) }),
    text ? el("p", { class: "description", text }) : null, links.length ? el("ul", {}, links) : null);
}

function card(practice, names, ctx) {
  const title = pick(practice.title) || practice.id;
  const holder = el("li", { class: "card", "data-practice": practice.id, "data-status": practice.status });
  const replace = (next) => holder.replaceWith(card(next, names, ctx));
  const button = (action) => el("button", { type: "button", class: action === "approve" ? "" : "secondary",
    "aria-label": t(`${action}This`, { title }), onclick: () => act(practice, action, ctx, replace) }, t(action));
  const actions = !ctx.can("moderator") ? [] : practice.status === "pending" ? ["approve", "reject", "withdraw"]
    : practice.status === "approved" ? ["withdraw"] : [];
  holder.append(...[el("h3", { class: "card-title", text: title }),
    el("p", { class: "card-city", text: t("from", { municipality: practice.municipality, nomination: names[practice.nomination] || practice.nomination }) }),
    el("p", { class: "status", text: t(`status_${practice.status}`) }),
    practice.summary ? el("p", { class: "card-summary", text: pick(practice.summary) }) : null,
    details(practice, title),
    practice.reject_reason ? el("p", { class: "reason", text: t("reasonWas", { reason: practice.reject_reason }) }) : null,
    actions.length ? el("div", { class: "buttons" }, actions.map(button)) : null].filter(Boolean));  // append(null) writes "null"
  return holder;
}

function filters(nominations, onChange) {
  const status = field({ label: t("statusFilter"), name: "status", type: "select",
    options: [...STATUSES.map((s) => ({ value: s, label: t(`status_${s}`) })), { value: "", label: t("anyStatus") }] });
  const nomination = field({ label: t("nominationFilter"), name: "nomination", type: "select",
    options: [{ value: "", label: t("allNominations") }, ...nominations.map((n) => ({ value: n.id, label: pick(n.title) || n.id }))] });
  const form = el("form", { class: "filters", role: "search" }, status, nomination);
  form.addEventListener("change", () => onChange(form.status.value, form.nomination.value));
  return form;
}

register({
  t, id: "moderation", label: "navModeration", role: "observer", order: 40, needsContest: true,
  render(root, ctx) {
    const contest = ctx.contest.id;
    const list = el("ul", { class: "cards", id: "queue", "aria-labelledby": "moderation-heading" });
    const more = el("button", { type: "button", class: "secondary", hidden: true }, t("loadMore"));
    const names = {};
    let query = null;
    const load = (cursor) => {
      const params = new URLSearchParams({ ...query, limit: "50", ...(cursor ? { cursor } : {}) });
      for (const [k, v] of [...params]) if (!v) params.delete(k);
      return get(`/admin/contests/${seg(contest)}/practices?${params}`).then((page) => {
        if (!cursor) list.replaceChildren();
        list.append(...page.items.map((p) => card(p, names, ctx)));
        if (!list.children.length) list.append(el("li", { text: t("queueEmpty") }));
        more.hidden = !page.next_cursor;
        more.onclick = () => load(page.next_cursor);
      }).catch((error) => ctx.say(t("failed", { why: error.message }), "error"));
    };
    root.append(el("h1", { id: "moderation-heading", text: t("moderationHeading") }));
    get(`/admin/contests/${seg(contest)}/nominations`).then((nominations) => {
      nominations.forEach((n) => { names[n.id] = pick(n.title) || n.id; });
      root.append(filters(nominations, (status, nomination) => { query = { status, nomination }; load(); }), list, more);
      query = { status: "pending", nomination: "" };
      return load();
    }).catch((error) => ctx.say(t("failed", { why: error.message }), "error"));
  },
});
