// The phase transitions a contest allows (as services/submissions rules.py) and, in words, what each one does.
import { addTexts } from "../shared/i18n.js";

export const NEXT = {
  draft: ["submissions_open"],
  submissions_open: ["voting_open", "draft"],
  voting_open: ["voting_closed"],
  voting_closed: ["results_published", "voting_open"],
  results_published: [],
};

addTexts({
  en: {
    to_submissions_open: "Open submissions", to_voting_open: "Open voting", to_draft: "Back to draft",
    to_voting_closed: "Close voting", to_results_published: "Publish results",
    what_submissions_open: "Submissions open: the contest becomes public and practices can be submitted and moderated.",
    what_draft: "Back to draft: the contest disappears from the public page until submissions open again.",
    what_voting_open: "Voting opens: citizens can vote from now (inside the voting window, if one is set). " +
      "Approved practices are on the ballot; no new practices can be submitted.",
    what_voting_closed: "Voting closes: no more ballots are accepted. Results shown “after voting closes” become public.",
    what_results_published: "Results are published: the standings become final and public, with their certificate. " +
      "This cannot be undone.",
    phaseQuestion: "{title}: {from} → {to}?", phaseDone: "The contest is now in phase “{phase}”.",
  },
  ru: {
    to_submissions_open: "Открыть приём заявок", to_voting_open: "Открыть голосование", to_draft: "Вернуть в черновик",
    to_voting_closed: "Закрыть голосование", to_results_published: "Опубликовать итоги",
    what_submissions_open: "Приём заявок открыт: конкурс становится публичным, практики можно подавать и модерировать.",
    what_draft: "Возврат в черновик: конкурс исчезает с публичной страницы, пока приём заявок не откроется снова.",
    what_voting_open: "Голосование открывается: граждане могут голосовать с этого момента (в окне голосования, " +
      "если оно задано). В бюллетене одобренные практики; новые заявки больше не принимаются.",
    what_voting_closed: "Голосование закрывается: голоса больше не принимаются. Итоги с видимостью «после " +
      "закрытия голосования» становятся публичными.",
    what_results_published: "Итоги публикуются: рейтинг становится окончательным и публичным, с сертификатом. " +
      "Отменить это нельзя.",
    phaseQuestion: "{title}: {from} → {to}?", phaseDone: "Конкурс теперь на этапе «{phase}».",
  },
});
