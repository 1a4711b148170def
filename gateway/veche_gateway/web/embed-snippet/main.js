// /embed: pick a contest and nomination, get the two snippets (script, iframe) and a live preview.
import { get, seg } from "../shared/api.js";
import { $ } from "../shared/dom.js";
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

function escape(text) {
  return text.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
}

function render() {
  const contest = $("contest").value, nomination = $("nomination").value, lang = $("lang").value;
  const vote = $("vote").value.trim();
  if (!contest || !nomination) return;
  const board = `${contest}/${nomination}`;
  const voteAttribute = vote ? ` data-veche-vote="${escape(vote)}"` : "";
  $("script-snippet").textContent =
    `<div data-veche-leaderboard="${board}" data-lang="${lang}"${voteAttribute}></div>\n` +
    `<script src="${origin}/embed.js" async></script>`;
  const query = new URLSearchParams({ lang });
  if (vote) query.set("vote", vote);
  $("iframe-snippet").textContent =
    `<iframe src="${origin}/embed/contests/${contest}/nominations/${nomination}?${query}"\n` +
    `        title="Leaderboard" width="100%" height="360" loading="lazy" style="border:0; max-width:520px"></iframe>`;
  if (state.follower) state.follower.stop();
  state.follower = window.Veche.follow($("preview"), contest, nomination, { lang, vote: vote || undefined });
}

const asked = new URLSearchParams(location.search);  // the console links here with ?contest=&nomination=

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
for (const id of ["nomination", "lang", "vote"]) $(id).addEventListener("change", render);
for (const button of document.querySelectorAll(".copy")) {
  button.addEventListener("click", async () => {
    await navigator.clipboard.writeText($(button.dataset.copy).textContent);
    $("status").textContent = "Copied.";
  });
}
function fail(error) { $("status").textContent = `The contests could not be loaded (${error.message}).`; }
start().catch(fail);
