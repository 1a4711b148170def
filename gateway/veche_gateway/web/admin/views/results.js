// Results: recount (replay the ledger and compare with the live counts; admins) and the downloads of certified
// results (the certificate and the anonymised ballots; observers and up).
import { seg } from "../../shared/api.js";
import { get, post } from "../../shared/operator.js";
import { el } from "../../shared/dom.js";
import { table } from "../forms.js";
import { when, wordsOf } from "../../shared/i18n.js";
import { protocolPanel } from "../protocol_panel.js";
import { register } from "../registry.js";
import { download } from "../transfer.js";

const t = wordsOf("results", {
  en: {
    navResults: "Recount and exports", recountHeading: "Recount", recount: "Recount now",
    recountWhat: "Replays every ballot of this contest from the ledger into fresh tallies and compares them with the live counts. It may take a while.",
    recounting: "Recounting…", recountSame: "{messages} ledger message(s) replayed: no differences, the live counts equal the replay.",
    recountDiffers: "{messages} ledger message(s) replayed: {count} difference(s).", colPractice: "Practice",
    colLive: "Live", colRecounted: "Recounted", exportsHeading: "Certified results",
    notCertified: "No certificate yet: results are certified when they are published.",
    certified: "Certified {when}: {ballots} ballot(s), {annulled} annulled, ledger up to sequence {sequence}.",
    digest: "SHA-256 digest", getCertificate: "Download the certificate (JSON)", getBallotsJsonl: "Download the ballots (JSON lines)",
    getBallotsCsv: "Download the ballots (CSV)", downloaded: "Saved {name} ({size} bytes).",
    verifyHint: "Anyone can check the ballots against the certificate: veche verify CERTIFICATE.json BALLOTS.jsonl",
  },
  ru: {
    navResults: "Пересчёт и выгрузки", recountHeading: "Пересчёт", recount: "Пересчитать",
    recountWhat: "Заново проводит все голоса конкурса из реестра в новые счётчики и сравнивает их с текущими. Это может занять время.",
    recounting: "Пересчёт…", recountSame: "Из реестра проведено сообщений: {messages}; расхождений нет, текущие итоги равны пересчёту.",
    recountDiffers: "Из реестра проведено сообщений: {messages}; расхождений: {count}.", colPractice: "Практика",
    colLive: "Сейчас", colRecounted: "Пересчёт", exportsHeading: "Заверенные итоги",
    notCertified: "Сертификата пока нет: итоги заверяются при публикации.",
    certified: "Заверено {when}: голосов {ballots}, аннулировано {annulled}, реестр до номера {sequence}.",
    digest: "Дайджест SHA-256", getCertificate: "Скачать сертификат (JSON)", getBallotsJsonl: "Скачать голоса (JSON lines)",
    getBallotsCsv: "Скачать голоса (CSV)", downloaded: "Сохранён файл {name} ({size} байт).",
    verifyHint: "Любой может сверить голоса с сертификатом: veche verify CERTIFICATE.json BALLOTS.jsonl",
  },
});

function recountResult(report) {
  const messages = report.ledger_messages;
  if (!report.differences.length) return [el("p", { id: "recount-result", text: t("recountSame", { messages }) })];
  const rows = report.differences.map((d) => el("tr", {}, el("td", { text: d.nomination }), el("td", { text: d.practice }),
    el("td", { class: "num", text: d.live }), el("td", { class: "num", text: d.recounted })));
  return [el("p", { id: "recount-result", class: "error", text: t("recountDiffers", { messages, count: rows.length }) }),
    table(["colNomination", "colPractice", "colLive", "colRecounted"].map(t), rows)];
}

function recountPanel(contest, ctx) {
  const result = el("div", { "aria-live": "polite" });
  const button = el("button", { type: "button", id: "recount", text: t("recount"), disabled: !ctx.can("admin") });
  button.addEventListener("click", () => {
    button.disabled = true;
    button.setAttribute("aria-busy", "true");
    result.replaceChildren(el("p", { text: t("recounting") }));
    post(`/admin/contests/${seg(contest)}/recount`).then((report) => result.replaceChildren(...recountResult(report)))
      .catch((error) => result.replaceChildren(el("p", { class: "error", text: t("failed", { why: error.message }) })))
      .finally(() => { button.disabled = false; button.removeAttribute("aria-busy"); });
  });
  const readOnly = ctx.can("admin") ? null : el("p", { class: "hint", text: t("readOnly") });
  return el("section", { class: "panel", "aria-labelledby": "recount-heading" },
    el("h2", { id: "recount-heading", text: t("recountHeading") }), el("p", { class: "hint", text: t("recountWhat") }),
    readOnly, button, result);
}

function exportsPanel(chosen, root) {
  const contest = chosen.id;
  const status = el("p", { id: "export-status", role: "status" });
  const button = (label, path) => el("button", { type: "button", class: "secondary", onclick: () => download(path)
    .then((file) => { status.textContent = t("downloaded", { name: file.name, size: file.bytes.toLocaleString() }); })
    .catch((error) => { status.textContent = t("failed", { why: error.message }); }) }, t(label));
  const base = `/admin/contests/${seg(contest)}/exports`;
  const panel = el("section", { class: "panel", "aria-labelledby": "exports-heading" },
    el("h2", { id: "exports-heading", text: t("exportsHeading") }));
  get(`/contests/${seg(contest)}/certificate`).then((c) => {
    panel.append(el("p", { id: "certificate-summary", text: t("certified", { when: when(c.issued_at), ballots: c.ballots, annulled: c.annulled, sequence: c.ledger_last_sequence }) }),
      el("p", {}, `${t("digest")}: `, el("code", { text: c.digest_sha256 })),
      el("div", { class: "buttons" }, button("getCertificate", `${base}/certificate`),
        button("getBallotsJsonl", `${base}/ballots?format=jsonl`), button("getBallotsCsv", `${base}/ballots?format=csv`)),
      status, el("p", { class: "hint", text: t("verifyHint") }));
    root.append(protocolPanel(chosen, true));
  }).catch((error) => {
    panel.append(el("p", { id: "certificate-summary",
      text: error.code === "not_certified" ? t("notCertified") : t("failed", { why: error.message }) }));
    if (error.code === "not_certified") root.append(protocolPanel(chosen, false));
  });
  return panel;
}

register({
  t, id: "results", label: "navResults", role: "observer", order: 80, needsContest: true,
  render(root, ctx) {
    root.append(el("h1", { text: t("navResults") }), recountPanel(ctx.contest.id, ctx), exportsPanel(ctx.contest, root));
  },
});
