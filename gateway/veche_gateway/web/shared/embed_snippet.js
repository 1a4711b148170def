// The snippets that put a live leaderboard on another site (docs/embedding.md), made from one set of choices: what
// the /embed page and the console's embed helper show, preview and copy. Only what the widget reads: embed.js takes
// data-veche-leaderboard, data-lang, data-veche-vote and a veche-light / veche-dark class on the element or a parent;
// the iframe page (embed-page.js) takes ?lang, ?theme and ?vote. No DOM here: node's tests import it as it is.

export const SIZES = {
  small: { width: 320, height: 300 },
  medium: { width: 520, height: 360 },
  large: { width: 720, height: 480 },
};
export const THEMES = ["auto", "light", "dark"];
export const FORMS = ["script", "iframe"];

/** Text for an HTML attribute value in double quotes. */
export function attribute(text) {
  return String(text).replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/**
 * The choices made whole: { contest, nomination, lang: "ru" | "en", theme: auto | light | dark,
 * size: small | medium | large, vote: "" (the nomination's page) | a URL | "none", title }.
 */
export function choices(wanted) {
  return {
    contest: wanted.contest, nomination: wanted.nomination, lang: wanted.lang === "ru" ? "ru" : "en",
    theme: THEMES.includes(wanted.theme) ? wanted.theme : "auto", size: Object.hasOwn(SIZES, wanted.size || "") ? wanted.size : "medium",
    vote: (wanted.vote || "").trim(), title: wanted.title || "Leaderboard",
  };
}

/** The iframe page's address for these choices. */
export function iframeSource(origin, wanted) {
  const c = choices(wanted);
  const query = new URLSearchParams({ lang: c.lang });
  if (c.theme !== "auto") query.set("theme", c.theme);
  if (c.vote) query.set("vote", c.vote);
  return `${origin}/embed/contests/${c.contest}/nominations/${c.nomination}?${query}`;
}

/** The script snippet: an element the widget fills, and the widget's script. */
export function scriptSnippet(origin, wanted) {
  const c = choices(wanted);
  const theme = c.theme === "auto" ? "" : ` class="veche-${c.theme}"`;
  const vote = c.vote ? ` data-veche-vote="${attribute(c.vote)}"` : "";
  return `<div data-veche-leaderboard="${c.contest}/${c.nomination}" data-lang="${c.lang}"${theme}${vote}` +
    ` style="max-width:${SIZES[c.size].width}px"></div>\n<script src="${origin}/embed.js" async></script>`;
}

/** The iframe snippet: the iframe page at the chosen size. */
export function iframeSnippet(origin, wanted) {
  const c = choices(wanted);
  const { width, height } = SIZES[c.size];
  return `<iframe src="${attribute(iframeSource(origin, c))}"\n        title="${attribute(c.title)}" width="100%" ` +
    `height="${height}" loading="lazy" style="border:0; max-width:${width}px"></iframe>`;
}
