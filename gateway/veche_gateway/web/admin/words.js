// The console's words (the shell's; each view adds its own).
import { addTexts } from "../shared/i18n.js";

addTexts({
  en: {
    skip: "Skip to content", brand: "Veche · organisers' console", signInHeading: "Sign in",
    keyLabel: "Operator key", signIn: "Sign in", signOut: "Sign out",
    keyHint: "The key stays in this tab only and is forgotten when you close it.",
    contest: "Contest", noContests: "no contests yet", cancel: "Cancel", confirm: "Confirm",
    signedInAs: "{name} · {role}", roleAdmin: "admin", roleModerator: "moderator", roleObserver: "observer",
    readOnly: "Your role can look but not change this.", badKey: "The key was not accepted: {why}",
    failed: "Not done: {why}", saved: "Saved.", loading: "Loading…", loadMore: "Show more",
    required: "Fill this in.", signedOut: "Signed out.", expired: "Your key is no longer accepted; sign in again.",
    chooseContest: "Choose a contest first (or create one under Contests).", pickContest: "— choose a contest —",
    liveNow: "live: voting open", contestNow: "Working on:",
    oidcSignIn: "Sign in with the organiser's account", sign_in_error_no_role: "Your account has no role in this console.",
    signInFailed: "Signing in did not succeed ({why}).",
    phase_draft: "draft", phase_submissions_open: "submissions open", phase_voting_open: "voting open",
    phase_voting_closed: "voting closed", phase_results_published: "results published",
  },
  ru: {
    skip: "К содержимому", brand: "Вече · пульт организатора", signInHeading: "Вход",
    keyLabel: "Ключ оператора", signIn: "Войти", signOut: "Выйти",
    keyHint: "Ключ хранится только в этой вкладке и забывается, когда вы её закроете.",
    contest: "Конкурс", noContests: "конкурсов пока нет", cancel: "Отмена", confirm: "Подтвердить",
    signedInAs: "{name} · {role}", roleAdmin: "администратор", roleModerator: "модератор",
    roleObserver: "наблюдатель", readOnly: "Ваша роль позволяет смотреть, но не изменять.",
    badKey: "Ключ не принят: {why}", failed: "Не выполнено: {why}", saved: "Сохранено.", loading: "Загрузка…",
    loadMore: "Показать ещё", required: "Заполните это поле.", signedOut: "Вы вышли.",
    expired: "Ключ больше не принимается; войдите снова.",
    chooseContest: "Сначала выберите конкурс (или создайте его в разделе «Конкурсы»).",
    pickContest: "— выберите конкурс —", liveNow: "идёт голосование", contestNow: "Вы работаете с:",
    oidcSignIn: "Войти через учётную запись организатора", sign_in_error_no_role: "У вашей учётной записи нет роли в этом пульте.",
    signInFailed: "Войти не удалось ({why}).",
    phase_draft: "черновик", phase_submissions_open: "приём заявок", phase_voting_open: "идёт голосование",
    phase_voting_closed: "голосование завершено", phase_results_published: "итоги опубликованы",
  },
});

addTexts({
  en: { lang_ru: "Russian", lang_en: "English" },
  ru: { lang_ru: "по-русски", lang_en: "по-английски" },
});
