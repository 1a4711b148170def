// Approval ballots on the public page: in a nomination that allows up to k practices ("choose up to 3") each card
// has a toggle button (aria-pressed), a counter says "2 of 3 chosen" (a polite live region), and the set is shown
// for confirmation before it is sent as one ballot. Buttons only: keyboard and screen readers need nothing else.
import { $, el } from "../shared/dom.js";
import { addTexts, pick, t } from "../shared/i18n.js";

addTexts({
  en: {
    chooseRule: "Choose up to {max} practices; your ballot counts once for each.",
    chooseRuleMin: "Choose {min} to {max} practices; your ballot counts once for each.",
    choose: "Choose", chooseFor: "Choose “{title}” ({city})",
    chosenCount: "{n} of {max} chosen", chosenFull: "{n} of {max} chosen — the most this nomination allows",
    review: "Review my choice", confirmHeading: "Confirm your ballot", confirmSend: "Cast this ballot",
    confirmChange: "Change my choice", confirmIntro: "Your ballot approves these practices; it cannot be changed later:",
    ballotForSet: "You voted for {titles}.", ballotSetAnnulled: "Your ballot for {titles} was annulled by the organiser and is not counted (reason: {reason})."
  },
  ru: {
    chooseRule: "Выберите до {max} практик; ваш бюллетень засчитывается каждой из них.",
    chooseRuleMin: "Выберите от {min} до {max} практик; ваш бюллетень засчитывается каждой из них.",
    choose: "Выбрать", chooseFor: "Выбрать «{title}» ({city})",
    chosenCount: "Выбрано {n} из {max}", chosenFull: "Выбрано {n} из {max} — больше в этой номинации нельзя",
    review: "Проверить выбор", confirmHeading: "Подтвердите бюллетень", confirmSend: "Проголосовать",
    confirmChange: "Изменить выбор", confirmIntro: "Ваш бюллетень поддерживает эти практики; изменить его потом нельзя:",
    ballotForSet: "Вы проголосовали за {titles}.", ballotSetAnnulled: "Ваш бюллетень за {titles} аннулирован организатором и не учитывается (причина: {reason})."
  }
});

const chosen = new Set();
const pick1 = { max: 1, min: 1, practices: [], send: null };

/** Whether a nomination takes a set ("choose up to k") rather than one practice. */
export const isApproval = (nomination) => !!nomination && nomination.max_choices > 1;

/** Start choosing in this nomination: practices of its cards, send(ids) casts the confirmed set. */
export function startChoosing(nomination, practices, open, send) {
  Object.assign(pick1, { max: nomination.max_choices, min: nomination.min_choices || 1, practices, send });
  chosen.clear();
  $("choice").hidden = !open;
  $("choice-confirm").hidden = true;
  $("choice-rule").textContent = t(pick1.min > 1 ? "chooseRuleMin" : "chooseRule", pick1);
  update();
}

export function stopChoosing() {
  chosen.clear();
  $("choice").hidden = true;
}

/** The toggle of one card in an approval nomination. */
export function chooseButton(practice, city, open) {
  return el("button", { type: "button", class: "vote choose", "aria-pressed": "false", disabled: !open,
    "data-practice": practice.id, "data-open": String(open), onclick: () => toggle(practice.id),
    "aria-label": t("chooseFor", { title: pick(practice.title), city }), text: t("choose") });
}

function toggle(id) {
  if (chosen.has(id)) chosen.delete(id);
  else if (chosen.size < pick1.max) chosen.add(id);
  $("choice-confirm").hidden = true;
  update();
}

function update() {
  document.querySelectorAll("#cards .choose").forEach((button) => {
    const on = chosen.has(button.dataset.practice);
    button.setAttribute("aria-pressed", String(on));  // the state; the visible text stays in the accessible name
    button.closest(".card").classList.toggle("picked", on);
    button.disabled = button.dataset.open !== "true" || (!on && chosen.size >= pick1.max);
  });
  const full = chosen.size >= pick1.max;
  $("choice-count").textContent = t(full ? "chosenFull" : "chosenCount", { n: chosen.size, max: pick1.max });
  $("choice-review").disabled = chosen.size < pick1.min;
}

/** "“A”, “B” and “C”" of the chosen practices, in the order of the cards. */
export function titlesOf(ids, practices) {
  const titles = practices.filter((p) => ids.includes(p.id)).map((p) => `“${pick(p.title)}”`);
  return titles.length ? titles.join(", ") : ids.join(", ");
}

function review() {
  const ids = pick1.practices.filter((p) => chosen.has(p.id));
  $("confirm-list").replaceChildren(...ids.map((p) => el("li", { text: pick(p.title) })));
  $("choice-confirm").hidden = false;
  $("confirm-heading").focus();
}

async function confirm() {
  const ids = pick1.practices.filter((p) => chosen.has(p.id)).map((p) => p.id);
  $("confirm-send").disabled = true;
  try {
    if (await pick1.send(ids)) {
      chosen.clear();
      $("choice-confirm").hidden = true;
      update();
    }
  } finally {
    $("confirm-send").disabled = false;
  }
}

function change() {
  $("choice-confirm").hidden = true;
  $("choice-review").focus();
}

$("choice-review").addEventListener("click", review);
$("confirm-send").addEventListener("click", confirm);
$("confirm-change").addEventListener("click", change);
