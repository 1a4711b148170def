// A practice's own page: its Vote button casts the ballot here, through the same steps as a card of the contest
// page (public/vote.js: the button shows the check and the sending, then "✓ Your vote"; the status line says what
// happened). The identity box is the contest page's (public/identity.js), and the page's HTML says how voters
// prove who they are, so the button works as soon as these modules ran; ALTCHA loads on the first vote intent.
// The page loads only the words it says (those of vote.js and identity.js), not the contest page's list.
import { all, call, get, seg } from "../shared/api.js";
import { $ } from "../shared/dom.js";
import { pick, setLang } from "../shared/i18n.js";
import { ensureToken, loadAltcha, savedToken, setupIdentity } from "../public/identity.js";
import { idempotencyKey, markBallot, refusalText, sayAtCard, voteFromCard } from "../public/vote.js";

const box = $("vote-box");
const { contest, nomination, practice } = $("practice").dataset;
const nominationPath = `/contests/${seg(contest)}/nominations/${seg(nomination)}`;
const button = box.querySelector(".vote");

/** The title of the practice voted for, when it is another one (one request, only for someone who voted). */
async function titleOf(id) {
  if (id === practice) return "";
  const practices = await all(`/contests/${seg(contest)}/practices?nomination=${seg(nomination)}`, { limit: 1000 });
  const found = practices.find((p) => p.id === id);
  return found ? pick(found.title) : id;
}

/** The voter's ballot in this nomination, shown on the button ("✓ Your vote" or who they voted for). */
async function showBallot() {
  const token = savedToken();
  const ballot = token ? await get(`${nominationPath}/my-ballot`, { token }).catch(() => null) : null;
  const chosen = ballot && ballot.counted !== false ? (ballot.practices || [ballot.practice])[0] : null;
  if (chosen) markBallot([box], chosen, await titleOf(chosen), true);
}

async function vote() {
  const key = idempotencyKey();
  const send = (token) => call("POST", `${nominationPath}/votes`,
    { body: { practices: [practice] }, token, headers: { "Idempotency-Key": key } });
  if (await voteFromCard(box, ensureToken, send, refusalText)) await showBallot();
}

async function start() {
  const { method, signInUrl } = $("identity").dataset;
  setupIdentity({ id: contest }, { method, sign_in_url: signInUrl || null }, (text) => sayAtCard(box, text),
    { back: location.pathname });
  $("identity").hidden = method === "organiser_app";
  button.addEventListener("pointerdown", loadAltcha);
  button.addEventListener("focus", loadAltcha);
  button.addEventListener("click", vote);
  document.addEventListener("veche-identity", showBallot);
  await showBallot();
}

setLang(document.documentElement.lang);
if (button) start().catch((error) => sayAtCard(box, refusalText(error)));
