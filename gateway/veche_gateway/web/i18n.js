/* Texts of the public page in Russian and English. */
window.VecheText = {
  en: {
    skip: "Skip to practices", brand: "Veche · public vote", nominations: "Nominations", identity: "Your identity",
    tokenLabel: "Voter token from the organiser", tokenSave: "Use this token", practices: "Practices",
    map: "Municipalities of this nomination", leaderboard: "Live leaderboard", ballot: "Your ballot", api: "API",
    vote: "Vote", voteFor: "Vote for “{title}” ({city})", voted: "Your vote is counted. Thank you!",
    already: "You have already voted in this nomination.", noBallot: "You have not voted in this nomination yet.",
    ballotFor: "You voted for “{title}”.", needToken: "Enter your voter token first.",
    badToken: "The voter token was not accepted.", limited: "Too many attempts; try again in {s} s.",
    failed: "The vote did not go through: {why}", closed: "Voting is not open.", noContest: "No contest is open yet.",
    jwt: "This contest identifies voters through the organiser (SMS, census or state ID). " +
      "Paste the voter token you received from the organiser; it stays in this browser.",
    jwtSaved: "A voter token is saved in this browser.",
    device: "This contest is an anonymous poll: this browser gets a device identity when you vote.",
    phases: { draft: "Draft", submissions_open: "Submissions open", voting_open: "Voting is open",
      voting_closed: "Voting is closed", results_published: "Results published" }
  },
  ru: {
    skip: "Перейти к практикам", brand: "Вече · открытое голосование", nominations: "Номинации",
    identity: "Ваша личность", tokenLabel: "Токен избирателя от организатора", tokenSave: "Использовать токен",
    practices: "Практики", map: "Муниципалитеты номинации", leaderboard: "Рейтинг в реальном времени",
    ballot: "Ваш голос", api: "API", vote: "Голосовать", voteFor: "Голосовать за «{title}» ({city})",
    voted: "Ваш голос учтён. Спасибо!", already: "Вы уже голосовали в этой номинации.",
    noBallot: "Вы ещё не голосовали в этой номинации.", ballotFor: "Вы проголосовали за «{title}».",
    needToken: "Сначала введите токен избирателя.", badToken: "Токен избирателя не принят.",
    limited: "Слишком много попыток; повторите через {s} с.", failed: "Голос не принят: {why}",
    closed: "Голосование не открыто.", noContest: "Открытых конкурсов пока нет.",
    jwt: "В этом конкурсе избирателя подтверждает организатор (SMS, перепись или госуслуги). " +
      "Вставьте токен, полученный от организатора; он хранится только в этом браузере.",
    jwtSaved: "Токен избирателя сохранён в этом браузере.",
    device: "Это анонимный опрос: при голосовании браузер получит идентификатор устройства.",
    phases: { draft: "Черновик", submissions_open: "Приём заявок", voting_open: "Идёт голосование",
      voting_closed: "Голосование завершено", results_published: "Итоги опубликованы" }
  }
};
