// The vote lands where the voter looks: the pressed button itself shows the check and the sending, then
// "✓ Your vote" (a word and a mark, not a colour); the other buttons of the nomination name the practice voted
// for; what happened is said in the card's own status line, kept inside the viewport, and focus stays put. A
// practice's own page (practice/main.js) is one such card.
import { addTexts, t } from "../shared/i18n.js";

// A vote button's words, here so that a practice's page needs no other word list.
addTexts({
  en: {
    yourVote: "✓ Your vote", yourVoteFor: "✓ Your vote: “{title}”", votedFor: "You voted for “{title}”",
    checking: "Checking you are not a robot…", sending: "Sending your vote…",
    needIdentity: "To vote, first show who you are: see “Your identity” above.", vote: "Vote",
    voteFor: "Vote for “{title}” ({city})", voted: "Your vote is counted. Thank you!",
    already: "You have already voted in this nomination.", badToken: "The voter token was not accepted.",
    limited: "Too many attempts; try again in {s} s.", failed: "The vote did not go through: {why}"
  },
  ru: {
    yourVote: "✓ Ваш голос", yourVoteFor: "✓ Ваш голос: «{title}»", votedFor: "Вы проголосовали за «{title}»",
    checking: "Проверяем, что вы не робот…", sending: "Отправляем голос…",
    needIdentity: "Чтобы проголосовать, сначала подтвердите, кто вы: см. «Ваша личность» выше.", vote: "Голосовать",
    voteFor: "Голосовать за «{title}» ({city})", voted: "Ваш голос учтён. Спасибо!",
    already: "Вы уже голосовали в этой номинации.", badToken: "Токен избирателя не принят.",
    limited: "Слишком много попыток; повторите через {s} с.", failed: "Голос не принят: {why}"
  }
});

const statusOf = (card) => card.querySelector(".vote-status");

/** One key per intent to vote: a retry of the same ballot (a lost answer) is recognised, not counted twice. */
export const idempotencyKey = () => `web-${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;

/** What a refused ballot means to the voter. */
export function refusalText(error) {
  if (error.code === "already_voted") return t("already");
  if (error.status === 401 || error.status === 403) return t("badToken");
  if (error.status === 429) return t("limited", { s: error.retryAfter || "1" });
  return t("failed", { why: error.message });
}

/** The card's button in a state: "idle" / "closed" ("Vote"), "busy" (the step's words), "chosen" or "other";
    its name is what it shows, with the practice it is about (label). */
export function showButton(button, stateName, words, label = words) {
  button.dataset.state = stateName;
  button.setAttribute("aria-busy", String(stateName === "busy"));
  button.setAttribute("aria-disabled", String(stateName !== "idle"));
  button.textContent = words;
  button.setAttribute("aria-label", label);
}

const voteLabel = (card) => t("voteFor", { title: card.dataset.title, city: card.dataset.city });

/** Says text in the card's status line (a polite live region of its own) and brings it into view. */
export function sayAtCard(card, text) {
  const status = statusOf(card);
  status.textContent = text;
  status.scrollIntoView({ block: "nearest" });
}

/** The cards of a nomination once a ballot is known: chosen (practice id) gets "✓ Your vote", the others name
    it (chosenTitle); no ballot (null) puts every button back to "Vote" while open. */
export function markBallot(cards, chosen, chosenTitle, open) {
  for (const card of cards) {
    const button = card.querySelector(".vote");
    card.classList.toggle("chosen", card.dataset.practice === chosen);
    if (!chosen) showButton(button, open ? "idle" : "closed", t("vote"), voteLabel(card));
    else if (card.dataset.practice === chosen) {
      showButton(button, "chosen", t("yourVote"), t("yourVoteFor", { title: card.dataset.title }));
    } else showButton(button, "other", t("votedFor", { title: chosenTitle }));
  }
}

/**
 * Casts a ballot from a card: ensureToken() may run the proof-of-work check (slow with a high difficulty), so the
 * button says so; send(token) posts the vote. Returns true when the vote is counted (or was already there).
 */
export async function voteFromCard(card, ensureToken, send, describe) {
  const button = card.querySelector(".vote");
  if (button.dataset.state !== "idle") return false;
  statusOf(card).textContent = "";
  showButton(button, "busy", t("checking"));
  try {
    const token = await ensureToken();
    if (!token) { showButton(button, "idle", t("vote"), voteLabel(card)); sayAtCard(card, t("needIdentity")); return false; }
    showButton(button, "busy", t("sending"));
    await send(token);
    sayAtCard(card, t("voted"));
    return true;
  } catch (error) {
    showButton(button, "idle", t("vote"), voteLabel(card));
    sayAtCard(card, describe(error));
    return error.code === "already_voted";
  }
}
