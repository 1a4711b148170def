// The moderation queue: pending practices first (then any status on request), approve, reject with a reason,
// withdraw. Pages follow the API's cursor.
import { imageData, seg } from "../../shared/api.js";
import { get, patch, post, storedKey } from "../../shared/operator.js";
import { confirmAction } from "../dialog.js";
import { el } from "../../shared/dom.js";
import { field, values } from "../forms.js";
import { municipalitySearch } from "../municipality_search.js";
import { languageName, languagesOf, localizedFields, localizedValue } from "../texts.js";
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
    contactLine: "Contact for moderators (not public): ", edit: "Edit", editThis: "Edit {title}", save: "Save",
    editWhat: "Corrections for the municipality while the practice waits for moderation; the audit trail records them.", newPractice: "New practice on behalf of a municipality",
    newPracticeWhat: "For a municipality that sends its practice by mail or phone. It joins the queue as pending; " +
      "the audit trail records that you submitted it for the municipality.",
    practiceMunicipality: "Municipality", practiceMunicipalityHint: "Type part of its name or id, then pick it.",
    practiceNomination: "Nomination", practiceTitle: "Title", practiceSummary: "Summary",
    practiceDescription: "Description", practiceLinks: "Links, one a line (https://…)",
    practiceContact: "Contact e-mail for moderators (never published)", submitPractice: "Submit practice",
    submitted: "Practice “{title}” submitted for {municipality}; it waits in the queue below.",
    photosOf: "Photos of {title}", photoNoAlt: "(no description)", photoNotShown: "The photo could not be shown.",
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
    contactLine: "Контакт для модераторов (не публикуется): ", edit: "Изменить", editThis: "Изменить {title}",
    save: "Сохранить",
    editWhat: "Исправления за муниципалитет, пока практика ждёт модерации; журнал действий их записывает.", newPractice: "Новая практика от имени муниципалитета",
    newPracticeWhat: "Для муниципалитета, приславшего практику почтой или по телефону. Она встаёт в очередь на " +
      "модерацию; журнал действий записывает, что вы подали её за муниципалитет.",
    practiceMunicipality: "Муниципалитет", practiceMunicipalityHint: "Наберите часть названия или id и выберите.",
    practiceNomination: "Номинация", practiceTitle: "Название", practiceSummary: "Кратко",
    practiceDescription: "Описание", practiceLinks: "Ссылки, по одной в строке (https://…)",
    practiceContact: "E-mail для модераторов (не публикуется)", submitPractice: "Подать практику",
    submitted: "Практика «{title}» подана за {municipality}; она ждёт в очереди ниже.",
    photosOf: "Фотографии: {title}", photoNoAlt: "(без описания)", photoNotShown: "Фотографию не удалось показать.",
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

/** The photos the municipality uploaded, moderated with the practice: read with the operator's key (a pending
    practice's are not public), each with its text alternative shown, since that is published too. */
function photos(practice, title) {
  if (!(practice.photos || []).length) return null;
  return el("ul", { class: "card-photos", "aria-label": t("photosOf", { title }) }, practice.photos.map((photo) => {
    const image = el("img", { alt: photo.alt || t("photoNoAlt"), width: 120 });
    imageData(`/admin/practices/${seg(practice.id)}/photos/${seg(photo.id)}/thumb`, { key: storedKey() })
      .then((url) => { image.src = url; }).catch(() => { image.alt = t("photoNotShown"); });
    return el("li", {}, el("figure", {}, image, el("figcaption", { text: photo.alt || t("photoNoAlt") })));
  }));
}

/** The contact e-mail the practice gave: the page carries it for moderators only. */
function contact(address) {
  return address ? el("p", { class: "card-contact" }, t("contactLine"), el("a", { href: `mailto:${address}`, text: address })) : null;
}

function card(practice, names, ctx, page) {
  const title = pick(practice.title) || practice.id;
  const holder = el("li", { class: "card", "data-practice": practice.id, "data-status": practice.status });
  const replace = (next) => holder.replaceWith(card(next, names, ctx, page));
  const town = pick(page.municipality_names[practice.municipality]) || practice.municipality;
  const button = (action) => el("button", { type: "button", class: action === "approve" ? "" : "secondary",
    "aria-label": t(`${action}This`, { title }), onclick: () => act(practice, action, ctx, replace) }, t(action));
  const actions = !ctx.can("moderator") ? [] : practice.status === "pending" ? ["approve", "reject", "withdraw"]
    : practice.status === "approved" ? ["withdraw"] : [];
  holder.append(...[el("h3", { class: "card-title", text: title }),
    el("p", { class: "card-city", text: t("from", { municipality: town, nomination: names[practice.nomination] || practice.nomination }) }),
    contact(page.contacts[practice.id]),
    el("p", { class: "status", text: t(`status_${practice.status}`) }),
    practice.summary ? el("p", { class: "card-summary", text: pick(practice.summary) }) : null,
    details(practice, title),
    photos(practice, title),
    practice.reject_reason ? el("p", { class: "reason", text: t("reasonWas", { reason: practice.reject_reason }) }) : null,
    actions.length ? el("div", { class: "buttons" }, actions.map(button),
      practice.status === "pending" ? el("button", { type: "button", class: "secondary", "aria-label": t("editThis", { title }),
        onclick: () => edit(practice, ctx, replace) }, t("edit")) : null) : null].filter(Boolean));  // append(null) writes "null"
  return holder;
}

/** An organiser corrects a pending practice for its municipality (audited as edit_practice_for_municipality). */
function edit(practice, ctx, replace) {
  const texts = (name, label, type) => languagesOf(practice[name]).map((lang) => ({ type, name: `${name}.${lang}`,
    label: `${t(label)} (${languageName(lang)})`, value: (practice[name] || {})[lang] || "" }));
  return confirmAction({
    title: t("editThis", { title: pick(practice.title) || practice.id }), body: t("editWhat"), confirm: t("save"),
    fields: [...texts("title", "practiceTitle"), ...texts("summary", "practiceSummary", "textarea"),
      ...texts("description", "practiceDescription", "textarea"),
      { label: t("practiceLinks"), name: "links", type: "textarea", value: practice.links.join("\n") }],
    run: (v) => patch(`/admin/practices/${seg(practice.id)}`, { expected_version: practice.version,
      title: localizedValue(v, "title", practice.title), summary: localizedValue(v, "summary", practice.summary),
      description: localizedValue(v, "description", practice.description), links: v.links.split(/\s+/).filter(Boolean) }),
  }).then((done) => { if (done) { replace(done); ctx.say(t("saved")); } });
}

function practiceForm(contest, nominations, ctx, showQueue) {
  const form = el("form", { class: "stack panel", id: "new-practice", "aria-labelledby": "new-practice-heading" },
    el("h2", { id: "new-practice-heading", text: t("newPractice") }), el("p", { class: "hint", text: t("newPracticeWhat") }),
    municipalitySearch({ label: t("practiceMunicipality"), hint: t("practiceMunicipalityHint") }),
    field({ label: t("practiceNomination"), name: "nomination", type: "select",
      options: nominations.filter((n) => !n.archived).map((n) => ({ value: n.id, label: pick(n.title) || n.id })) }),
    localizedFields("title", t("practiceTitle")),
    localizedFields("summary", t("practiceSummary"), {}, { type: "textarea" }),
    localizedFields("description", t("practiceDescription"), {}, { type: "textarea" }),
    field({ label: t("practiceLinks"), name: "links", type: "textarea" }),
    field({ label: t("practiceContact"), name: "contact", type: "email" }),
    el("button", { type: "submit", text: t("submitPractice") }));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const v = values(form);
    const body = { municipality: v.municipality, nomination: v.nomination, title: localizedValue(v, "title"),
      summary: localizedValue(v, "summary"), description: localizedValue(v, "description"),
      links: v.links.split(/\s+/).filter(Boolean), ...(v.contact ? { contact: v.contact } : {}) };
    try {
      const made = await post(`/admin/contests/${seg(contest)}/practices`, body);
      form.reset();
      await showQueue();
      ctx.say(t("submitted", { title: pick(made.title), municipality: v.municipality }));
      const shown = document.querySelector(`#queue [data-practice="${CSS.escape(made.id)}"]`);
      if (shown) { shown.scrollIntoView({ block: "center" }); shown.classList.add("just-made"); }
    } catch (error) { ctx.say(t("failed", { why: error.message }), "error"); }
  });
  return form;
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
        list.append(...page.items.map((p) => card(p, names, ctx, page)));
        if (!list.children.length) list.append(el("li", { text: t("queueEmpty") }));
        more.hidden = !page.next_cursor;
        more.onclick = () => load(page.next_cursor);
      }).catch((error) => ctx.say(t("failed", { why: error.message }), "error"));
    };
    root.append(el("h1", { id: "moderation-heading", text: t("moderationHeading") }));
    get(`/admin/contests/${seg(contest)}/nominations`).then((nominations) => {
      nominations.forEach((n) => { names[n.id] = pick(n.title) || n.id; });
      const filterForm = filters(nominations, (status, nomination) => { query = { status, nomination }; load(); });
      root.append(filterForm, list, more);
      if (ctx.can("moderator") && nominations.length) {
        root.append(practiceForm(contest, nominations, ctx, () => {
          filterForm.status.value = "pending";
          filterForm.nomination.value = "";
          query = { status: "pending", nomination: "" };
          return load();
        }));
      }
      query = { status: "pending", nomination: "" };
      return load();
    }).catch((error) => ctx.say(t("failed", { why: error.message }), "error"));
  },
});
