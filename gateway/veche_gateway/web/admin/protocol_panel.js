// The results protocol of the chosen contest: a PDF per contest language to print and sign (preliminary until the
// results are certified), and once certified the public addresses of the page and the PDF.
import { seg } from "../shared/api.js";
import { el } from "../shared/dom.js";
import { addTexts, t } from "../shared/i18n.js";
import { languageName } from "./texts.js";
import { download } from "./transfer.js";

addTexts({
  en: {
    protocolHeading: "Results protocol", protocolPdf: "Protocol PDF ({language})",
    protocolFinal: "The certified results, with places, ties and annulments explained, the digest and room for signatures.",
    protocolPreliminary: "Preliminary: drawn from the current standings and marked as not certified. The final protocol comes with publication.",
    protocolPublic: "Published for everyone: page ({language})", protocolPublicPdf: "PDF ({language})",
  },
  ru: {
    protocolHeading: "Протокол итогов", protocolPdf: "Протокол, PDF ({language})",
    protocolFinal: "Заверенные итоги: места, ничьи и аннулирования с пояснениями, дайджест и место для подписей.",
    protocolPreliminary: "Предварительный: по текущему рейтингу, с пометкой «не заверен». Окончательный протокол — после публикации.",
    protocolPublic: "Опубликован для всех: страница ({language})", protocolPublicPdf: "PDF ({language})",
  },
});

/** The contest's languages: its default first, then every other its title is written in. */
export function contestLanguages(contest) {
  return [...new Set([contest.default_language, ...Object.keys(contest.title || {})])].filter((l) => l !== "und");
}

export function protocolPanel(contest, certified) {
  const status = el("p", { id: "protocol-status", role: "status" });
  const base = `/admin/contests/${seg(contest.id)}/exports/protocol`;
  const languages = contestLanguages(contest);
  const pdf = (lang) => el("button", { type: "button", class: "secondary", "data-lang": lang,
    onclick: () => download(`${base}?format=pdf&lang=${encodeURIComponent(lang)}`)
      .then((file) => { status.textContent = t("downloaded", { name: file.name, size: file.bytes.toLocaleString() }); })
      .catch((error) => { status.textContent = t("failed", { why: error.message }); }),
  }, t("protocolPdf", { language: languageName(lang) }));
  const published = `/api/v1/contests/${seg(contest.id)}/protocol`;
  const links = certified ? el("ul", { class: "protocol-links" }, languages.map((lang) => el("li", {},
    el("a", { href: `${published}?lang=${encodeURIComponent(lang)}`, text: t("protocolPublic", { language: languageName(lang) }) }), " · ",
    el("a", { href: `${published}?format=pdf&lang=${encodeURIComponent(lang)}`, text: t("protocolPublicPdf", { language: languageName(lang) }) })))) : null;
  return el("section", { class: "panel", id: "protocol", "aria-labelledby": "protocol-heading" },
    el("h2", { id: "protocol-heading", text: t("protocolHeading") }),
    el("p", { class: "hint", text: t(certified ? "protocolFinal" : "protocolPreliminary") }),
    el("div", { class: "buttons" }, languages.map(pdf)), status, links);
}
