// One contest: its phase (changed only after a confirmation that says what will happen) and its settings.
import { seg } from "../../shared/api.js";
import { patch, post } from "../../shared/operator.js";
import { confirmAction } from "../dialog.js";
import { el } from "../../shared/dom.js";
import { field, values } from "../forms.js";
import { pick, wordsOf } from "../../shared/i18n.js";
import { NEXT } from "../phases.js";
import { register } from "../registry.js";
import { localizedFields, localizedValue, sameText } from "../texts.js";
import { guarded } from "../live.js";
import { identityFields, languageField, visibilityField } from "../contest_form.js";

const t = wordsOf("contest", {
  en: {
    navContest: "Settings and phase", phaseHeading: "Phase", phaseNow: "Now: {phase}.", noNextPhase: "This is the last phase.",
    settingsHeading: "Settings", description: "Description", opensAt: "Voting opens at", closesAt: "Voting closes at",
    localTime: "your local time; leave empty for no bound", jwtAudience: "Expected token audience (aud)",
    jwtIssuer: "Expected token issuer (iss)", oidcIssuer: "Voters' OpenID provider (issuer URL)",
    oidcClient: "OpenID client id", oidcSecret: "Name of the client secret in the gateway's settings",
    emptyNone: "leave empty for none", save: "Save settings", nothingChanged: "Nothing changed.",
    groupTexts: "Texts", groupVoting: "Voting and results", groupVoters: "Voters",
    closesOpen: "your local time. While voting is open its end can move, but not to a moment already past: to end voting now, change the phase above.",
    closesEnded: "Voting has ended: when it ended is on the record and no longer changes.",
    refused_closing_in_past: "Voting is open: its end cannot be set to a moment already past (ballots cast since then would count after the recorded end). To end voting now, change the phase above.",
  },
  ru: {
    navContest: "Настройки и этап", phaseHeading: "Этап", phaseNow: "Сейчас: {phase}.", noNextPhase: "Это последний этап.",
    settingsHeading: "Настройки", description: "Описание", opensAt: "Голосование открывается",
    closesAt: "Голосование закрывается", localTime: "ваше местное время; пусто — без ограничения",
    jwtAudience: "Ожидаемая аудитория токена (aud)", jwtIssuer: "Ожидаемый издатель токена (iss)",
    oidcIssuer: "OpenID-провайдер избирателей (URL издателя)", oidcClient: "Идентификатор клиента OpenID",
    oidcSecret: "Имя секрета клиента в настройках шлюза", emptyNone: "пусто — не задано",
    closesOpen: "ваше местное время. Пока идёт голосование, его окончание можно перенести, но не на прошедший момент: чтобы завершить голосование сейчас, смените этап выше.",
    closesEnded: "Голосование завершено: время окончания записано и больше не меняется.",
    refused_closing_in_past: "Идёт голосование: его окончание нельзя назначить на прошедший момент (поданные с тех пор бюллетени были бы учтены после записанного окончания). Чтобы завершить голосование сейчас, смените этап выше.",
    save: "Сохранить настройки", nothingChanged: "Ничего не изменилось.",
    groupTexts: "Тексты", groupVoting: "Голосование и итоги", groupVoters: "Избиратели",
  },
});

const toLocal = (iso) => {
  if (!iso) return "";
  const d = new Date(iso);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60000).toISOString().slice(0, 16);
};
const fromLocal = (text) => (text ? new Date(text).toISOString() : null);
const orNull = (text) => text || null;

function phaseSection(contest, ctx) {
  const buttons = NEXT[contest.phase].map((phase) => el("button", {
    type: "button", class: phase === "draft" ? "secondary" : "", "data-phase": phase, disabled: !ctx.can("admin"),
    onclick: () => changePhase(contest, phase, ctx),
  }, t(`to_${phase}`)));
  return el("section", { "aria-labelledby": "phase-heading", class: "panel" },
    el("h2", { id: "phase-heading", text: t("phaseHeading") }),
    el("p", { id: "phase-now", "data-phase": contest.phase, text: t("phaseNow", { phase: t(`phase_${contest.phase}`) }) }),
    buttons.length ? el("div", { class: "buttons" }, buttons) : el("p", { text: t("noNextPhase") }));
}

async function changePhase(contest, phase, ctx) {
  const from = t(`phase_${contest.phase}`), to = t(`phase_${phase}`);
  const done = await confirmAction({
    title: t("phaseQuestion", { title: pick(contest.title) || contest.id, from, to }),
    body: t(`what_${phase}`), confirm: t(`to_${phase}`), danger: phase === "results_published",
    run: () => post(`/admin/contests/${seg(contest.id)}/phase`, { phase, expected_version: contest.version }),
  });
  if (!done) return;
  ctx.say(t("phaseDone", { phase: t(`phase_${done.phase}`) }));
  await ctx.refresh();
}

function settingsForm(contest) {
  const oidc = contest.oidc || {};
  const jwtFields = [
    field({ label: t("jwtAudience"), name: "jwt_audience", value: contest.jwt_audience, hint: t("emptyNone") }),
    field({ label: t("jwtIssuer"), name: "jwt_issuer", value: contest.jwt_issuer, hint: t("emptyNone") }),
    field({ label: t("oidcIssuer"), name: "oidc_issuer", type: "url", value: oidc.issuer, hint: t("emptyNone") }),
    field({ label: t("oidcClient"), name: "oidc_client", value: oidc.client_id }),
    field({ label: t("oidcSecret"), name: "oidc_secret", value: oidc.client_secret_ref })];
  const group = (key, ...children) => el("fieldset", { class: "group" }, el("legend", { text: t(key) }), children.flat(2));
  return el("form", { class: "stack panel", "aria-labelledby": "settings-heading" },
    el("h2", { id: "settings-heading", text: t("settingsHeading") }),
    el("fieldset", { disabled: false },
      group("groupTexts", localizedFields("title", t("contestTitle"), contest.title),
        localizedFields("description", t("description"), contest.description, { type: "textarea" }),
        languageField(contest.default_language)),
      group("groupVoting", visibilityField(contest.visibility),
        field({ label: t("opensAt"), name: "opens_at", type: "datetime-local", value: toLocal(contest.opens_at), hint: t("localTime") }),
        field({ label: t("closesAt"), name: "closes_at", type: "datetime-local", value: toLocal(contest.closes_at),
          hint: t({ voting_open: "closesOpen", voting_closed: "closesEnded" }[contest.phase] || "localTime") })),
      group("groupVoters", identityFields({ mode: contest.identity_mode, difficulty: contest.device_difficulty, jwtFields })),
      el("button", { type: "submit", text: t("save") })));
}

const LABELS = { title: "contestTitle", description: "description", default_language: "defaultLanguage",
  visibility: "visibility", identity_mode: "identityMode", opens_at: "opensAt", closes_at: "closesAt",
  device_difficulty: "difficulty",
  jwt_audience: "jwtAudience", jwt_issuer: "jwtIssuer", oidc: "oidcIssuer" };
const labelOf = (name) => t(LABELS[name] || name);

/** Only what the form changed, so a PATCH never rewrites a field someone else just set. */
function changes(contest, v) {
  const found = {};
  for (const name of ["title", "description"]) {
    const text = localizedValue(v, name, contest[name]);
    if (!sameText(text, contest[name])) found[name] = text;
  }
  for (const name of ["visibility", "identity_mode", "default_language"]) if (v[name] !== contest[name]) found[name] = v[name];
  for (const name of ["opens_at", "closes_at"]) if (v[name] !== toLocal(contest[name])) found[name] = fromLocal(v[name]);
  if (v.identity_mode === "device") {
    if (Number(v.device_difficulty) !== contest.device_difficulty) found.device_difficulty = Number(v.device_difficulty);
    return found;  // the jwt fields are hidden: what they held stays as it is
  }
  for (const name of ["jwt_audience", "jwt_issuer"]) if (orNull(v[name]) !== (contest[name] || null)) found[name] = orNull(v[name]);
  const oidc = v.oidc_issuer ? { ...(contest.oidc || {}), issuer: v.oidc_issuer, client_id: v.oidc_client,
    client_secret_ref: v.oidc_secret } : null;
  if (JSON.stringify(oidc) !== JSON.stringify(contest.oidc || null)) found.oidc = oidc;
  return found;
}

/** A refusal in the console's words where it has them (the API's own message otherwise). */
function explained(error) {
  const key = `refused_${error.code}`;
  return t(key) === key ? error : new Error(t(key));
}

register({
  t, id: "contest", label: "navContest", role: "observer", order: 20, needsContest: true,
  render(root, ctx) {
    const contest = ctx.contest;
    const form = settingsForm(contest);
    form.querySelector("fieldset").disabled = !ctx.can("admin");
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const body = changes(contest, values(form));
      if (!Object.keys(body).length) { ctx.say(t("nothingChanged")); return; }
      try {
        const done = await guarded(contest, Object.keys(body).map(labelOf),
          () => patch(`/admin/contests/${seg(contest.id)}`, { expected_version: contest.version, ...body }).catch((e) => {
            throw explained(e);
          }));
        if (!done) return;
        await ctx.refresh();
        ctx.say(t("saved"));
      } catch (error) { ctx.say(t("failed", { why: error.message }), "error"); }
    });
    const readOnly = ctx.can("admin") ? null : el("p", { class: "hint read-only", text: t("readOnly") });
    root.append(...[el("h1", { text: pick(contest.title) || contest.id }), readOnly, phaseSection(contest, ctx), form]
      .filter(Boolean));  // append(null) would write "null"
  },
});
