/* Texts of the municipality page in Russian and English. */
window.VecheMunicipalityText = {
  en: {
    skip: "Skip to content", brand: "Veche · municipality", title: "Practices of your municipality",
    signedOut: "not signed in", keyLabel: "Invitation key", signIn: "Sign in", signOut: "Sign out",
    keyHelp: "The key from the organisers' invitation. It stays in this tab and is never put in a link.",
    practices: "Your practices", none: "No practices yet.", colContest: "Contest", colNomination: "Nomination",
    colTitle: "Practice", colStatus: "Status", colReason: "Moderator's reason", colActions: "Actions",
    newPractice: "Submit a practice", editPractice: "Edit “{title}”", resubmitPractice: "Resubmit “{title}”",
    noOpen: "No contest accepts submissions now.", nomination: "Contest and nomination", fTitle: "Title",
    fSummary: "Summary", fDescription: "Description", fLinks: "Links (one per line)",
    fContact: "Contact e-mail for the moderators (never published)", submit: "Submit", save: "Save changes",
    resubmit: "Resubmit for moderation", cancel: "Cancel", do_edit: "Edit", do_withdraw: "Withdraw",
    do_resubmit: "Resubmit",
    confirmWithdraw: "Withdraw “{title}” from the contest? You can resubmit it while submissions are open.",
    signedIn: "Signed in for {city} (key valid until {until})", submitted: "“{title}” is submitted and waits for moderation.",
    saved: "Changes to “{title}” are saved.", withdrawn: "“{title}” is withdrawn.",
    resubmitted: "“{title}” is back in moderation.", badKey: "The key was not accepted: {why}",
    limited: "Too many failed attempts; try again in {s} s.", failed: "Not done: {why}",
    fixFields: "Please correct the highlighted fields.", required: "This field is required.",
    statuses: { pending: "Waiting for moderation", approved: "Approved", rejected: "Rejected", withdrawn: "Withdrawn" }
  },
  ru: {
    skip: "Перейти к содержанию", brand: "Вече · муниципалитет", title: "Практики вашего муниципалитета",
    signedOut: "вход не выполнен", keyLabel: "Ключ приглашения", signIn: "Войти", signOut: "Выйти",
    keyHelp: "Ключ из приглашения организаторов. Он хранится только в этой вкладке и никогда не попадает в ссылку.",
    practices: "Ваши практики", none: "Практик пока нет.", colContest: "Конкурс", colNomination: "Номинация",
    colTitle: "Практика", colStatus: "Статус", colReason: "Причина модератора", colActions: "Действия",
    newPractice: "Подать практику", editPractice: "Изменить «{title}»", resubmitPractice: "Подать повторно «{title}»",
    noOpen: "Сейчас ни один конкурс не принимает заявки.", nomination: "Конкурс и номинация", fTitle: "Название",
    fSummary: "Кратко", fDescription: "Описание", fLinks: "Ссылки (по одной в строке)",
    fContact: "E-mail для модераторов (не публикуется)", submit: "Подать", save: "Сохранить изменения",
    resubmit: "Подать на модерацию повторно", cancel: "Отмена", do_edit: "Изменить", do_withdraw: "Отозвать",
    do_resubmit: "Подать повторно",
    confirmWithdraw: "Отозвать «{title}» из конкурса? Пока приём заявок открыт, её можно подать повторно.",
    signedIn: "Вход выполнен: {city} (ключ действует до {until})", submitted: "«{title}» подана и ждёт модерации.",
    saved: "Изменения «{title}» сохранены.", withdrawn: "«{title}» отозвана.",
    resubmitted: "«{title}» снова на модерации.", badKey: "Ключ не принят: {why}",
    limited: "Слишком много неудачных попыток; повторите через {s} с.", failed: "Не выполнено: {why}",
    fixFields: "Исправьте отмеченные поля.", required: "Обязательное поле.",
    statuses: { pending: "Ждёт модерации", approved: "Одобрена", rejected: "Отклонена", withdrawn: "Отозвана" }
  }
};
