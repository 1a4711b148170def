// Where the voter is in a contest: a ✓ on each nomination voted in, "You voted in 3 of 11 nominations" at the
// top (with a way down to "Your ballot"), and after a vote the next nomination still without one.
import { $, el } from "../shared/dom.js";
import { plural, t } from "../shared/i18n.js";

/** voted: Map nomination id -> practice ids of the voter's ballot there. */
export function renderProgress(nominations, voted) {
  const done = nominations.filter((n) => voted.has(n.id)).length;
  $("progress").hidden = done === 0;
  $("progress-text").textContent = t("progress", { done, all: plural("ofNominations", nominations.length) });
}

/** The first nomination after `current` (wrapping round) without a ballot, or null when every one has one. */
export function nextToVote(nominations, voted, current) {
  const start = nominations.findIndex((n) => n.id === current);
  for (let step = 1; step < nominations.length; step += 1) {
    const candidate = nominations[(start + step) % nominations.length];
    if (!voted.has(candidate.id)) return candidate;
  }
  return null;
}

/** After a vote: a button to the next nomination to vote in, under the card's status (or "all done"). */
export function offerNext(card, next, label, go) {
  card.querySelector(".next")?.remove();
  const box = el("p", { class: "next" });
  if (next) box.append(el("button", { type: "button", class: "next-button", onclick: () => go(next.id) },
    t("nextNomination", { title: label })));
  else box.append(t("allVoted"));
  card.append(box);
}
