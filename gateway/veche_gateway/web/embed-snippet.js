/* /embed: pick a contest and nomination, get the two snippets (script, iframe) and a live preview. */
const $ = (id) => document.getElementById(id);
const origin = location.origin;
let follower = null;

async function json(path) {
  const answer = await fetch("/api/v1" + path);
  if (!answer.ok) throw new Error(String(answer.status));
  return answer.json();
}

function title(texts, lang) {
  if (!texts || typeof texts === "string") return texts || "";
  return texts[lang] || texts.en || texts.ru || Object.values(texts)[0] || "";
}

function fill(select, items, lang) {
  select.textContent = "";
  for (const item of items) select.append(new Option(title(item.title, lang) || item.id, item.id));
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
  if (follower) follower.stop();
  follower = window.Veche.follow($("preview"), contest, nomination, { lang, vote: vote || undefined });
}

async function pickContest() {
  const nominations = await json(`/contests/${encodeURIComponent($("contest").value)}/nominations`);
  fill($("nomination"), nominations, $("lang").value);
  render();
}

async function start() {
  const contests = await json("/contests");
  if (!contests.length) { $("status").textContent = "No public contest yet."; return; }
  fill($("contest"), contests, $("lang").value);
  const open = contests.find((c) => c.phase === "voting_open");
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
