// The fields a contest's create and settings forms share: the identity mode with a sentence on what it means (device
// by default: no identity provider needed), the proof-of-work difficulty with what it costs a voter's phone, the
// language picked from a list, and only the chosen mode's own fields shown.
import { el } from "../shared/dom.js";
import { addTexts, currentLang, t } from "../shared/i18n.js";
import { field } from "./forms.js";

addTexts({
  en: {
    contestTitle: "Title", identityMode: "How voters prove who they are", visibility: "Results are shown",
    defaultLanguage: "Main language of the contest's texts",
    mode_device: "Anonymous poll: one vote per device", mode_jwt: "Sign-in with the organiser (token or OpenID)",
    modeWhat_device: "Anyone may vote without an account; the browser proves some work first and gets a device token. " +
      "Good for non-binding polls; a determined person can vote from several devices.",
    modeWhat_jwt: "Each voter is a person the organiser's identity provider knows (a signed token, or OpenID sign-in " +
      "below): one ballot per person. Needs an identity provider set up for voting.",
    vis_live: "live, while voting", vis_after_close: "after voting closes", vis_hidden: "only when published",
    difficulty: "Device check difficulty (work a browser does before voting)",
    difficultyCost: "About {seconds} s on a mid-range phone, {desktop} s on a desktop, for each voter.",
  },
  ru: {
    contestTitle: "Название", identityMode: "Как избиратель подтверждает личность", visibility: "Итоги видны",
    defaultLanguage: "Основной язык текстов конкурса",
    mode_device: "Анонимный опрос: один голос с устройства", mode_jwt: "Вход через организатора (токен или OpenID)",
    modeWhat_device: "Голосовать может любой без учётной записи; браузер сначала выполняет небольшую работу и получает " +
      "токен устройства. Подходит для необязывающих опросов; настойчивый человек проголосует с нескольких устройств.",
    modeWhat_jwt: "Каждый избиратель — человек, известный провайдеру удостоверений организатора (подписанный токен или " +
      "вход OpenID ниже): один бюллетень на человека. Нужен настроенный провайдер.",
    vis_live: "сразу, во время голосования", vis_after_close: "после закрытия голосования",
    vis_hidden: "только после публикации",
    difficulty: "Сложность проверки устройства (работа браузера перед голосованием)",
    difficultyCost: "Около {seconds} с на телефоне среднего уровня, {desktop} с на компьютере, для каждого избирателя.",
  },
});

export const MODES = ["device", "jwt"];  // device first: it works without an identity provider
export const VISIBILITIES = ["live", "after_close", "hidden"];
export const LANGUAGES = ["ru", "en", "be", "uk", "kk", "ky", "uz", "tg", "hy", "az", "ka", "ro", "tt", "ba", "cv",
  "sah", "de", "fr", "es", "it", "pt", "pl", "cs", "sr", "tr", "zh", "ar"];
// docs/identity.md: the default 10,000 took a median 0.81 s of desktop Chromium; a mid-range phone's CPU is about
// 4 times slower (the phone profile of bench/citizen_page.py)
const DESKTOP_SECONDS_PER_STEP = 0.81 / 10_000;
const PHONE_SLOWDOWN = 4;

export function secondsOn(difficulty) {
  const desktop = difficulty * DESKTOP_SECONDS_PER_STEP;
  const round = (s) => s.toLocaleString(currentLang(), { maximumFractionDigits: s < 10 ? 1 : 0 });
  return { desktop: round(desktop), seconds: round(desktop * PHONE_SLOWDOWN) };
}

function languageName(tag) {
  try { return new Intl.DisplayNames([currentLang()], { type: "language" }).of(tag) || tag; } catch { return tag; }
}

/** The main language, chosen from a list (a contest's tag outside it stays offered). */
export function languageField(value = "ru") {
  const tags = LANGUAGES.includes(value) ? LANGUAGES : [value, ...LANGUAGES];
  return field({ label: t("defaultLanguage"), name: "default_language", type: "select", value,
    options: tags.map((tag) => ({ value: tag, label: `${languageName(tag)} (${tag})` })) });
}

export function visibilityField(value = "live") {
  return field({ label: t("visibility"), name: "visibility", type: "select", value,
    options: VISIBILITIES.map((v) => ({ value: v, label: t(`vis_${v}`) })) });
}

/**
 * The identity mode, its sentence, and each mode's own fields (difficulty for device; jwtFields for jwt), only the
 * chosen mode's shown. Returns the nodes to append.
 */
export function identityFields({ mode = "device", difficulty = 10_000, jwtFields = [] } = {}) {
  const select = field({ label: t("identityMode"), name: "identity_mode", type: "select", value: mode,
    options: MODES.map((m) => ({ value: m, label: t(`mode_${m}`) })) });
  const what = el("p", { class: "hint mode-what", "aria-live": "polite" });
  const cost = el("small", { class: "hint", id: `cost-${Math.random().toString(36).slice(2)}` });
  const work = field({ label: t("difficulty"), name: "device_difficulty", type: "number", min: 1, max: 10_000_000,
    step: 1, value: difficulty, required: true });
  work.append(cost);
  const input = work.querySelector("input");
  input.setAttribute("aria-describedby", cost.id);
  const device = el("div", { class: "mode-fields", "data-mode": "device" }, work);
  const jwt = el("div", { class: "mode-fields", "data-mode": "jwt" }, jwtFields);
  const show = () => {
    const chosen = select.querySelector("select").value;
    what.textContent = t(`modeWhat_${chosen}`);
    for (const group of [device, jwt]) {
      group.hidden = group.dataset.mode !== chosen;
      group.querySelectorAll("input, select, textarea").forEach((c) => { c.disabled = group.hidden; });
    }
    cost.textContent = t("difficultyCost", secondsOn(Number(input.value) || 0));
  };
  select.addEventListener("change", show);
  input.addEventListener("input", show);
  show();
  return [select, what, device, jwt];
}
