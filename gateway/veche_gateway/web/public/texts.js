// The public page's words in Russian and English ("votes" holds plural forms: plural("votes", n) picks one).
import { addTexts } from "../shared/i18n.js";

addTexts({
  en: {
    skip: "Skip to practices", brand: "Veche · public vote", nominations: "Nominations", identity: "Your identity",
    tokenLabel: "Voter token from the organiser", tokenSave: "Use this token", practices: "Practices",
    map: "Municipalities of this nomination; labels link to their practices", leaderboard: "Live leaderboard", ballot: "Your ballot", api: "API",
    vote: "Vote", voteFor: "Vote for “{title}” ({city})", voted: "Your vote is counted. Thank you!",
    already: "You have already voted in this nomination.", noBallot: "You have not voted in this nomination yet.",
    ballotFor: "You voted for “{title}”.",
    ballotAnnulled: "Your vote for “{title}” was annulled by the organiser and is not counted (reason: {reason}).", needToken: "Enter your voter token first.",
    badToken: "The voter token was not accepted.", limited: "Too many attempts; try again in {s} s.",
    failed: "The vote did not go through: {why}", closed: "Voting is not open.", noContest: "No contest is open yet.",
    jwt: "This contest identifies voters through the organiser (SMS, census or state ID). " +
      "Paste the voter token you received from the organiser; it stays in this browser.",
    jwtSaved: "A voter token is saved in this browser.",
    device: "This contest is an anonymous poll: this browser gets a device identity when you vote, after a " +
      "short check that it is not a robot (your device works a few seconds; nothing is tracked).",
    deviceSaved: "This browser has a device identity for this poll.",
    deviceCheck: "Checking that this is not a robot…", deviceFailed: "The check did not pass: {why}",
    oidc: "This contest identifies voters with the organiser's sign-in. Sign in to vote; " +
      "the organiser's service tells Veche only an account number, which Veche keeps as a keyed hash.",
    signIn: "Sign in to vote", signOut: "Sign out", signedIn: "You are signed in (until {until}).",
    needSignIn: "Sign in first.", signInError: "Signing in did not succeed ({why}).",
    organiserApp: "Ballots in this contest come from the organiser's own app.",
    mapList: "All places on the map", mapPlace: "Place", mapVotes: "Votes",
    mapLabel: "{name}: {votes}", mapHidden: "{name}",
    votes: { one: "{n} vote", other: "{n} votes" },
    chart: "Votes over time", chartCaption: "Net votes per {size} min, last {hours} h",
    chartEmpty: "No votes in the last {hours} hours.", chartTable: "The chart as a table", chartTime: "From",
    chartSummary: "{total} in {buckets} intervals; the busiest interval, from {peakAt}, had {peak}.",
    results: "Certified results", certDigest: "SHA-256 digest", certBallots: "Ballots counted",
    certAnnulled: "Ballots annulled", certSequence: "Last ledger sequence", certIssued: "Issued",
    certDownload: "Download the certificate (certificate.json)", certMissing: "The certificate is not issued yet.",
    certPractice: "Practice", certVotes: "Votes",
    verifyHow: "How anyone can check it", verifyStep1: "Download the certificate:",
    verifyStep2: "Take the anonymised ballots (ballots.jsonl) the organiser publishes with the results " +
      "(made by `veche results-export`).",
    verifyStep3: "Recompute the digest and the standings; it prints “the export matches the certificate” or " +
      "every mismatch:",
    rankUp: "“{title}” moved up to place {rank}.", leader: "“{title}” now leads.",
    tied: "“{title}” is level at place {rank}.",
    phase_draft: "Draft",
    phase_submissions_open: "Submissions open",
    phase_voting_open: "Voting is open",
    phase_voting_closed: "Voting is closed",
    phase_results_published: "Results published"
  },
  ru: {
    skip: "Перейти к практикам", brand: "Вече · открытое голосование", nominations: "Номинации",
    identity: "Ваша личность", tokenLabel: "Токен избирателя от организатора", tokenSave: "Использовать токен",
    practices: "Практики", map: "Муниципалитеты номинации; подписи ведут к их практикам", leaderboard: "Рейтинг в реальном времени",
    ballot: "Ваш голос", api: "API", vote: "Голосовать", voteFor: "Голосовать за «{title}» ({city})",
    voted: "Ваш голос учтён. Спасибо!", already: "Вы уже голосовали в этой номинации.",
    noBallot: "Вы ещё не голосовали в этой номинации.", ballotFor: "Вы проголосовали за «{title}».",
    ballotAnnulled: "Ваш голос за «{title}» аннулирован организатором и не учитывается (причина: {reason}).",
    needToken: "Сначала введите токен избирателя.", badToken: "Токен избирателя не принят.",
    limited: "Слишком много попыток; повторите через {s} с.", failed: "Голос не принят: {why}",
    closed: "Голосование не открыто.", noContest: "Открытых конкурсов пока нет.",
    jwt: "В этом конкурсе избирателя подтверждает организатор (SMS, перепись или госуслуги). " +
      "Вставьте токен, полученный от организатора; он хранится только в этом браузере.",
    jwtSaved: "Токен избирателя сохранён в этом браузере.",
    device: "Это анонимный опрос: при голосовании браузер получит идентификатор устройства после короткой " +
      "проверки, что вы не робот (устройство поработает несколько секунд; никакого отслеживания).",
    deviceSaved: "У этого браузера есть идентификатор устройства для опроса.",
    deviceCheck: "Проверяем, что вы не робот…", deviceFailed: "Проверка не пройдена: {why}",
    oidc: "В этом конкурсе избирателя подтверждает вход через сервис организатора. Войдите, чтобы голосовать; " +
      "сервис сообщает Вече только номер учётной записи, а Вече хранит лишь его ключевой хеш.",
    signIn: "Войти, чтобы голосовать", signOut: "Выйти", signedIn: "Вы вошли (до {until}).",
    needSignIn: "Сначала войдите.", signInError: "Войти не удалось ({why}).",
    organiserApp: "Голоса в этом конкурсе принимаются через приложение организатора.",
    mapList: "Все места на карте", mapPlace: "Место", mapVotes: "Голоса",
    mapLabel: "{name}: {votes}", mapHidden: "{name}",
    votes: { one: "{n} голос", few: "{n} голоса", many: "{n} голосов", other: "{n} голоса" },
    chart: "Голоса во времени", chartCaption: "Голоса за каждые {size} мин, последние {hours} ч",
    chartEmpty: "За последние {hours} ч голосов нет.", chartTable: "График в виде таблицы", chartTime: "С",
    chartSummary: "Всего {total} за {buckets} интервалов; больше всего, с {peakAt}: {peak}.",
    results: "Заверенные итоги", certDigest: "Дайджест SHA-256", certBallots: "Учтено бюллетеней",
    certAnnulled: "Аннулировано бюллетеней", certSequence: "Последняя позиция журнала", certIssued: "Выдан",
    certDownload: "Скачать сертификат (certificate.json)", certMissing: "Сертификат ещё не выдан.",
    certPractice: "Практика", certVotes: "Голоса",
    verifyHow: "Как проверить самому", verifyStep1: "Скачайте сертификат:",
    verifyStep2: "Возьмите обезличенные бюллетени (ballots.jsonl), которые организатор публикует вместе с " +
      "итогами (их делает `veche results-export`).",
    verifyStep3: "Пересчитайте дайджест и итоги; программа напишет «the export matches the certificate» " +
      "или перечислит расхождения:",
    rankUp: "«{title}» поднимается на {rank}-е место.", leader: "«{title}» теперь на первом месте.",
    tied: "«{title}» делит {rank}-е место.",
    phase_draft: "Черновик",
    phase_submissions_open: "Приём заявок",
    phase_voting_open: "Идёт голосование",
    phase_voting_closed: "Голосование завершено",
    phase_results_published: "Итоги опубликованы"
  }
});
