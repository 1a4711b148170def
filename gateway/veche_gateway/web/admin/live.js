// While voting is open citizens are voting: every structural change asks first, in words, what it touches.
import { confirmAction } from "./dialog.js";
import { addTexts, pick, t } from "../shared/i18n.js";

addTexts({
  en: {
    liveQuestion: "Change {title} while voting is open?",
    liveWarning: "Voting is open: citizens are voting now and see the change at once. Ballots already cast stay as " +
      "they are; the service refuses a change that would count them differently.",
    liveChanges: "This changes: {what}.", liveConfirm: "Change it now",
  },
  ru: {
    liveQuestion: "Изменить «{title}» во время голосования?",
    liveWarning: "Идёт голосование: граждане голосуют прямо сейчас и сразу увидят изменение. Поданные голоса " +
      "остаются как есть; сервис откажет в изменении, которое посчитало бы их иначе.",
    liveChanges: "Что изменится: {what}.", liveConfirm: "Изменить сейчас",
  },
});

export const isLive = (contest) => contest.phase === "voting_open";

/** What a structural change of a live contest must say in its confirmation (empty when the contest is not live). */
export function liveLines(contest) { return isLive(contest) ? [t("liveWarning")] : []; }

/** run() at once, or, while voting is open, after a confirmation naming what changes; null when cancelled. */
export function guarded(contest, what, run) {
  if (!isLive(contest)) return run();
  return confirmAction({
    title: t("liveQuestion", { title: pick(contest.title) || contest.id }),
    body: [t("liveWarning"), t("liveChanges", { what: what.join(", ") })], confirm: t("liveConfirm"), run,
  });
}
