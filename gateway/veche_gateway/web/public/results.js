// After publication: the certified results (the certificate, its digest, the standings of the nomination) and
// how anyone checks them with `veche verify`, from the certificate and the organiser's anonymised ballots.
import { BASE, get, seg } from "../shared/api.js";
import { el } from "../shared/dom.js";
import { currentLang, plural, t } from "../shared/i18n.js";

function facts(cert) {
  const lang = currentLang();
  const list = el("dl", { class: "cert-facts" });
  [["certDigest", cert.digest_sha256], ["certBallots", cert.ballots.toLocaleString(lang)],
    ["certAnnulled", cert.annulled.toLocaleString(lang)],
    ["certSequence", cert.ledger_last_sequence.toLocaleString(lang)],
    ["certIssued", new Date(cert.issued_at).toLocaleString(lang)]].forEach(([key, value]) => {
    const digest = key === "certDigest";
    list.append(el("dt", { text: t(key) }),
      el("dd", { class: digest ? "cert-digest" : null }, el(digest ? "code" : "span", { text: value })));
  });
  return list;
}

/** The nomination's certified standings, most votes first. */
export function standingsOf(cert, nomination) {
  const counted = cert.standings[nomination] || {};
  return Object.keys(counted).sort((a, b) => counted[b] - counted[a]).map((practice) => [practice, counted[practice]]);
}

function standings(cert, nomination, titles) {
  const table = el("table", { class: "cert-standings" });
  table.createTHead().insertRow().append(el("th", { scope: "col", text: t("certPractice") }),
    el("th", { scope: "col", text: t("certVotes") }));
  const body = table.createTBody();
  standingsOf(cert, nomination).forEach(([practice, votes]) => {
    body.insertRow().append(el("th", { scope: "row", text: titles[practice] || practice }),
      el("td", { text: plural("votes", votes) }));
  });
  return table;
}

function howToVerify(url, ballots) {
  return el("div", { class: "verify" },
    el("h3", { text: t("verifyHow") }),
    el("ol", {},
      el("li", {}, `${t("verifyStep1")} `, el("pre", {}, el("code", { text: `curl -o certificate.json ${url}` }))),
      el("li", {}, `${t("verifyStep2")} `, el("pre", {}, el("code", { text: `curl -o ballots.jsonl ${ballots}` }))),
      el("li", {}, `${t("verifyStep3")} `,
        el("pre", {}, el("code", { text: "veche verify certificate.json ballots.jsonl" })))));
}

/** Fills section (hidden until a certificate exists); titles: practice id -> title of this nomination. */
export function showResults(section, contest, nomination, titles) {
  const path = `/contests/${seg(contest)}/certificate`, ballots = `/contests/${seg(contest)}/ballots`;
  return get(path).catch(() => null).then((cert) => {
    const body = section.querySelector(".cert-body");
    body.textContent = "";
    section.hidden = false;
    if (!cert) { body.append(el("p", { text: t("certMissing") })); return; }
    body.append(facts(cert), standings(cert, nomination, titles),
      el("a", { class: "cert-download", href: BASE + path, download: "certificate.json", text: t("certDownload") }),
      el("a", { class: "cert-download", href: BASE + ballots, download: "ballots.jsonl", text: t("ballotsDownload") }),
      howToVerify(location.origin + BASE + path, location.origin + BASE + ballots));
  });
}
