// Invitations (admins): issue a municipality's invitation key for its representative's page (/municipality), show
// it once, list a municipality's invitations and revoke one. The API keeps only the key's SHA-256.
import { seg } from "../../shared/api.js";
import { get, post } from "../../shared/operator.js";
import { confirmAction } from "../dialog.js";
import { el } from "../../shared/dom.js";
import { field, table, values } from "../forms.js";
import { wordsOf } from "../../shared/i18n.js";
import { municipalitySearch } from "../municipality_search.js";
import { register } from "../registry.js";

const t = wordsOf("invitations", {
  en: {
    navInvitations: "Invitations", invitationsHeading: "Municipality invitations",
    invitationsHint: "A representative signs in at /municipality with the key and submits that municipality's practices.",
    invMunicipality: "Municipality", invMunicipalityHint: "Type part of its name or id, then pick it.",
    invDays: "Valid for (days)", invIssue: "Issue invitation",
    invShow: "Show invitations", invKey: "Invitation key (shown this once)", invCopy: "Copy",
    invCopied: "Copied.", invIssued: "Invitation issued for {municipality}: give the key to its representative now.",
    invColIssued: "Issued", invColBy: "By", invColExpires: "Expires", invColState: "State", invColActions: "Actions",
    invActive: "active", invRevoked: "revoked", invExpired: "expired", invRevoke: "Revoke",
    invRevokeTitle: "Revoke this invitation?", invRevokeBody: "Its key stops working at once; issue a new one if needed.",
    invRevokedSaid: "Invitation revoked.", invNone: "No invitations for this municipality.",
  },
  ru: {
    navInvitations: "Приглашения", invitationsHeading: "Приглашения муниципалитетов",
    invitationsHint: "Представитель входит с ключом на странице /municipality и подаёт практики своего муниципалитета.",
    invMunicipality: "Муниципалитет", invMunicipalityHint: "Наберите часть названия или id и выберите.", invDays: "Срок действия (дней)", invIssue: "Выдать приглашение",
    invShow: "Показать приглашения", invKey: "Ключ приглашения (показывается один раз)", invCopy: "Копировать",
    invCopied: "Скопировано.", invIssued: "Приглашение для {municipality} выдано: передайте ключ представителю сейчас.",
    invColIssued: "Выдано", invColBy: "Кем", invColExpires: "Действует до", invColState: "Состояние",
    invColActions: "Действия", invActive: "действует", invRevoked: "отозвано", invExpired: "истекло",
    invRevoke: "Отозвать", invRevokeTitle: "Отозвать приглашение?",
    invRevokeBody: "Ключ перестанет действовать сразу; при необходимости выдайте новый.",
    invRevokedSaid: "Приглашение отозвано.", invNone: "У этого муниципалитета нет приглашений.",
  },
});

const when = (iso) => new Date(iso).toLocaleString();

function stateOf(invitation) {
  if (invitation.revoked_at) return t("invRevoked");
  return new Date(invitation.expires_at) <= new Date() ? t("invExpired") : t("invActive");
}

function keyBox(issued, ctx) {
  const id = `issued-key-${issued.invitation.id}`;
  const input = el("input", { id, type: "text", readonly: true, value: issued.key, class: "issued-key" });
  const copy = el("button", { type: "button", class: "secondary", text: t("invCopy"),
    onclick: () => navigator.clipboard.writeText(issued.key).then(() => ctx.say(t("invCopied"))) });
  return el("div", { class: "field" }, el("label", { for: id, text: t("invKey") }), input, copy);
}

function listOf(municipality, holder, ctx) {
  return get(`/admin/municipalities/${seg(municipality)}/invitations`).then((found) => {
    if (!found.length) { holder.replaceChildren(el("p", { text: t("invNone") })); return; }
    const rows = found.map((inv) => el("tr", { "data-invitation": inv.id },
      el("td", { text: when(inv.issued_at) }), el("td", { text: inv.issued_by }), el("td", { text: when(inv.expires_at) }),
      el("td", { class: "state", text: stateOf(inv) }),
      el("td", {}, inv.revoked_at ? null : el("button", { type: "button", class: "danger", text: t("invRevoke"),
        "aria-label": `${t("invRevoke")}: ${when(inv.issued_at)}`,
        onclick: () => revoke(inv, () => listOf(municipality, holder, ctx), ctx) }))));
    const headings = ["invColIssued", "invColBy", "invColExpires", "invColState", "invColActions"].map((k) => t(k));
    holder.replaceChildren(table(headings, rows, { id: "invitation-table" }));
  }).catch((error) => ctx.say(t("failed", { why: error.message }), "error"));
}

function revoke(invitation, reload, ctx) {
  confirmAction({
    title: t("invRevokeTitle"), body: t("invRevokeBody"), confirm: t("invRevoke"), danger: true,
    run: () => post(`/admin/invitations/${seg(invitation.id)}/revoke`),
  }).then((done) => { if (done) { ctx.say(t("invRevokedSaid")); reload(); } });
}

register({
  t, id: "invitations", label: "navInvitations", role: "admin", order: 65,
  render(root, ctx) {
    const issuedHolder = el("div", { id: "issued" });
    const listHolder = el("div", { id: "invitation-list" });
    const form = el("form", { class: "filters" },
      municipalitySearch({ label: t("invMunicipality"), hint: t("invMunicipalityHint") }),
      field({ label: t("invDays"), name: "days", type: "number", min: 1, max: 366, value: "90" }),
      el("button", { type: "submit", text: t("invIssue") }),
      el("button", { type: "button", class: "secondary", text: t("invShow"),
        onclick: () => { const m = values(form).municipality; if (m) listOf(m, listHolder, ctx); } }));
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const { municipality, days } = values(form);
      post(`/admin/municipalities/${seg(municipality)}/invitations`, { valid_days: Number(days || 90) })
        .then((issued) => {
          issuedHolder.replaceChildren(keyBox(issued, ctx));
          ctx.say(t("invIssued", { municipality }));
          issuedHolder.querySelector("input").focus();
          return listOf(municipality, listHolder, ctx);
        })
        .catch((error) => ctx.say(t("failed", { why: error.message }), "error"));
    });
    root.append(el("h1", { text: t("invitationsHeading") }), el("p", { class: "hint", text: t("invitationsHint") }),
      form, issuedHolder, listHolder);
  },
});
