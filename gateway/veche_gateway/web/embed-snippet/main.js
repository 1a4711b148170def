// /embed: pick a contest and nomination, get the two snippets (script, iframe) and a live preview.
import { get, seg } from "../shared/api.js";
import { $ } from "../shared/dom.js";
import { SIZES, choices, iframeSnippet, scriptSnippet } from "../shared/embed_snippet.js";
import { pick } from "../shared/i18n.js";

const origin = location.origin;
const state = { contests: [], follower: null };

const chosenContest = () => state.contests.find((c) => c.id === $("contest").value);

/** Items as options, titled in the snippet's language, then their contest's default language, then any. */
function fill(select, items, contestOf) {
  select.replaceChildren(...items.map((item) => {
    const contest = contestOf(item);
    return new Option(pick(item.title, $("lang").value, contest && contest.default_language) || item.id, item.id);
  }));
}

function render() {
  const wanted = { contest: $("contest").value, nomination: $("nomination").value, lang: $("lang").value,
    theme: $("theme").value, size: $("size").value, vote: $("vote").value };
  if (!wanted.contest || !wanted.nomination) return;
  $("script-snippet").textContent = scriptSnippet(origin, wanted);
  $("iframe-snippet").textContent = iframeSnippet(origin, wanted);
  if (state.follower) state.follower.stop();
  const preview = $("preview");
  preview.className = wanted.theme === "auto" ? "" : `veche-${wanted.theme}`;  // as the snippet's element
  preview.style.maxWidth = `${SIZES[choices(wanted).size].width}px`;
  state.follower = window.Veche.follow(preview, wanted.contest, wanted.nomination,
    { lang: wanted.lang, vote: wanted.vote.trim() || undefined });
}

const asked = new URLSearchParams(location.search);  // a link may name them: ?contest=&nomination=

async function pickContest() {
  const nominations = await get(`/contests/${seg($("contest").value)}/nominations`);
  fill($("nomination"), nominations, chosenContest);
  if (nominations.some((n) => n.id === asked.get("nomination"))) $("nomination").value = asked.get("nomination");
  render();
}

async function start() {
  const contests = await get("/contests");
  state.contests = contests;
  if (!contests.length) { $("status").textContent = "No public contest yet."; return; }
  fill($("contest"), contests, (contest) => contest);
  const open = contests.find((c) => c.id === asked.get("contest")) || contests.find((c) => c.phase === "voting_open");
  if (open) $("contest").value = open.id;
  await pickContest();
}

$("contest").addEventListener("change", () => pickContest().catch(fail));
for (const id of ["nomination", "lang", "theme", "size", "vote"]) $(id).addEventListener("change", render);
for (const button of document.querySelectorAll(".copy")) {
  button.addEventListener("click", async () => {
    await navigator.clipboard.writeText($(button.dataset.copy).textContent);
    $("status").textContent = "Copied.";
  });
}
function fail(error) { $("status").textContent = `The contests could not be loaded (${error.message}).`; }
start().catch(fail);
