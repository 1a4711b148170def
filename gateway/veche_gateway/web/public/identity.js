// The public page's identity box: a device identity after an ALTCHA check, sign-in with the organiser's
// OpenID provider, or (development only) a pasted voter token. Tokens stay in this browser's localStorage.
import { call, seg } from "../shared/api.js";
import { $, el } from "../shared/dom.js";
import { addTexts, currentLang, t } from "../shared/i18n.js";

// The identity box's words, here so that a practice's page needs no other word list.
addTexts({
  en: {
    jwt: "This contest identifies voters through the organiser (SMS, census or state ID). " +
      "Paste the voter token you received from the organiser; it stays in this browser.",
    jwtSaved: "A voter token is saved in this browser.",
    device: "This contest is an anonymous poll: this browser gets a device identity when you vote, after a " +
      "short check that it is not a robot (your device works a few seconds; nothing is tracked).",
    deviceSaved: "This browser has a device identity for this poll.",
    deviceCheck: "Checking that this is not a robot…", deviceFailed: "The check did not pass: {why}",
    oidc: "This contest identifies voters with the organiser's sign-in. Sign in to vote; " +
      "the organiser's service tells Veche only an account number, which Veche keeps as a keyed hash.",
    signedIn: "You are signed in (until {until}).", needSignIn: "Sign in first.",
    needToken: "Enter your voter token first.", signInError: "Signing in did not succeed ({why}).",
    organiserApp: "Ballots in this contest come from the organiser's own app."
  },
  ru: {
    jwt: "В этом конкурсе избирателя подтверждает организатор (SMS, перепись или госуслуги). " +
      "Вставьте токен, полученный от организатора; он хранится только в этом браузере.",
    jwtSaved: "Токен избирателя сохранён в этом браузере.",
    device: "Это анонимный опрос: при голосовании браузер получит идентификатор устройства после короткой " +
      "проверки, что вы не робот (устройство поработает несколько секунд; никакого отслеживания).",
    deviceSaved: "У этого браузера есть идентификатор устройства для опроса.",
    deviceCheck: "Проверяем, что вы не робот…", deviceFailed: "Проверка не пройдена: {why}",
    oidc: "В этом конкурсе избирателя подтверждает вход через сервис организатора. Войдите, чтобы голосовать; " +
      "сервис сообщает Вече только номер учётной записи, а Вече хранит лишь его ключевой хеш.",
    signedIn: "Вы вошли (до {until}).", needSignIn: "Сначала войдите.",
    needToken: "Сначала введите токен избирателя.", signInError: "Войти не удалось ({why}).",
    organiserApp: "Голоса в этом конкурсе принимаются через приложение организатора."
  }
});

// The widget is an ES module of its own (vendor/altcha); its external build brings no worker of its own.
customElements.whenDefined("altcha-widget").then(() => {
  ["PBKDF2/SHA-256", "PBKDF2/SHA-384", "PBKDF2/SHA-512"].forEach((name) => {
    window.$altcha.algorithms.set(name, () => new Worker("/static/vendor/altcha/pbkdf2.js"));
  });
});
const box = { contest: null, method: null, signInUrl: null, back: "", say: null, widget: null, waiting: [] };
let altcha = null;

/** The proof-of-work widget (about 100 KB) is fetched on the first sign that someone will vote (a vote button
    pressed or focused), never for readers: its Russian words first (a classic script), then the module. */
export function loadAltcha() {
  if (box.method !== "device") return Promise.resolve();
  if (!altcha) {
    altcha = new Promise((resolve, reject) => {
      document.head.append(el("link", { rel: "stylesheet", href: "/static/vendor/altcha/altcha.css" }));
      document.head.append(el("script", { src: "/static/vendor/altcha/ru.js", onload: resolve, onerror: reject }));
    }).then(() => import("/static/vendor/altcha/altcha.js"));
  }
  return altcha;
}

const key = () => `veche-token:${box.contest.id}`;

/** When a JWT expires (ms since the epoch; 0 if it cannot be read). */
export function expiry(token) {
  try {
    const part = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    return JSON.parse(atob(part)).exp * 1000;
  } catch {
    return 0;
  }
}

/** The saved token of this contest, if it has not expired. */
export function savedToken() {
  let token = localStorage.getItem(key());
  if (token && expiry(token) <= Date.now()) { localStorage.removeItem(key()); token = null; }
  return token;
}
const save = (token) => localStorage.setItem(key(), token);

/** The provider's answer comes back in the URL fragment: keep the token (only right after our own redirect),
 * clear the address bar, then tell the page (veche-identity). The check of the landing is loaded only then, so
 * no other visit waits for its module. */
async function takeFragment() {
  const fragment = new URLSearchParams(location.hash.slice(1));
  if (!fragment.has("id_token") && !fragment.has("sign_in_error")) return;
  history.replaceState(null, "", location.pathname + location.search);
  const { landed } = await import("../shared/landing.js");
  if (!landed(fragment)) return;
  if (fragment.get("id_token")) save(fragment.get("id_token"));
  if (fragment.get("sign_in_error")) box.say(t("signInError", { why: fragment.get("sign_in_error") }));
  renderIdentity();
  document.dispatchEvent(new Event("veche-identity"));
}

function widget() {
  if (box.widget) return box.widget;
  box.widget = el("altcha-widget", { challenge: `/api/v1/contests/${seg(box.contest.id)}/device-challenge`,
    auto: "off", language: currentLang(), onstatechange: (event) => onCheck(event.detail) });
  $("device-check").append(box.widget);
  return box.widget;
}

function onCheck(detail) {
  if (detail.state === "error" || detail.state === "expired") settle(null, detail.state);
  if (detail.state !== "verified" || !detail.payload) return;
  call("POST", `/contests/${seg(box.contest.id)}/device-token`, { body: { altcha: detail.payload } })
    .then((answer) => { save(answer.token); settle(answer.token); })
    .catch((error) => settle(null, error.message));
}

function settle(token, why) {
  if (!token) box.say(t("deviceFailed", { why }));
  const waiting = box.waiting;
  box.waiting = [];
  waiting.forEach((resolve) => resolve(token));
  renderIdentity();
}

/** A token for a ballot: the saved one, or a device identity after the check; null if the voter must act. */
export function ensureToken() {
  const token = savedToken();
  if (token || box.method !== "device") {
    if (!token) box.say(t(box.method === "oidc" ? "needSignIn" : "needToken"));
    return Promise.resolve(token);
  }
  box.say(t("deviceCheck"));
  return new Promise((resolve) => {
    box.waiting.push(resolve);
    const node = widget();
    renderIdentity();
    if (box.waiting.length === 1) {
      loadAltcha().then(() => customElements.whenDefined("altcha-widget")).then(() => node.verify())
        .catch((error) => settle(null, error.message || "the check could not load"));
    }
  });
}

export function renderIdentity() {
  const token = savedToken(), method = box.method;
  let text = { device: token ? t("deviceSaved") : t("device"), oidc: t("oidc"), token: t("jwt"),
    organiser_app: t("organiserApp") }[method] || "";
  if (method === "token" && token) text += ` ${t("jwtSaved")}`;
  $("identity-text").textContent = text;
  $("token-form").hidden = method !== "token";
  $("device-check").hidden = method !== "device" || !!token || !box.widget;
  $("sign-in").hidden = method !== "oidc" || !!token;
  $("sign-in").href = !box.signInUrl ? "#" : box.back ? `${box.signInUrl}?back=${encodeURIComponent(box.back)}`
    : box.signInUrl;
  $("signed-in").hidden = method !== "oidc" || !token;
  if (method === "oidc" && token) {
    const until = new Date(expiry(token)).toLocaleTimeString(currentLang());
    $("signed-in-text").textContent = t("signedIn", { until });
  }
}

function pasteToken(event) {
  event.preventDefault();
  const value = $("token-input").value.trim();
  if (!value) return;
  save(value);
  $("token-input").value = "";
  renderIdentity();
  document.dispatchEvent(new Event("veche-identity"));
}

/** contest and identity: the API's; say(text) tells the voter; back: the page a sign-in comes back to (a
    practice's page), else the contest's. Once per page: the box's buttons are wired here (importing this module
    touches no element, so a page without the box can import it). */
export function setupIdentity(contest, identity, say, { back = "" } = {}) {
  if (!box.contest) {
    $("sign-out").addEventListener("click", () => { localStorage.removeItem(key()); renderIdentity(); });
    $("token-form").addEventListener("submit", pasteToken);
  }
  box.contest = contest;
  box.method = identity.method;
  box.signInUrl = identity.sign_in_url;
  box.back = back;
  box.say = say;
  if (box.method === "oidc") takeFragment().catch((error) => say(t("signInError", { why: error.message })));
  renderIdentity();
}

