"""The protocol's words in Russian and English (other contest languages get the English words around their
own content texts)."""

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "kind": "Results protocol", "final": "Final results: published and certified.",
        "preliminary": "PRELIMINARY — not certified: the results are not published and may still change.",
        "contest": "Contest", "window": "Voting window", "no_bound": "no bound", "drawn": "Drawn up",
        "cast": "Ballots recorded", "annulled": "annulled", "counted": "counted",
        "digest": "Certificate digest (SHA-256)",
        "sequence": "Last ledger sequence included", "nomination": "Nomination", "votes_in": "Ballots counted: {n}",
        "place": "Place", "practice": "Practice", "municipality": "Municipality", "votes": "Votes",
        "share": "Share of ballots",
        "no_practices": "No practice was on the ballot in this nomination.",
        "tie": "Tie: {names} have {votes} votes each and share place {place}.",
        "rules": "How this was counted",
        "rule_one": "Each voter could cast one ballot per nomination; a ballot is final once recorded. A share is "
        "a practice's votes over the nomination's counted ballots.",
        "rule_ties": "Equal votes share a place and the next place is skipped (1, 1, 3). Veche does not break "
        "ties: the contest's regulations and its organisers do.",
        "rule_annulled": "{annulled} of {cast} recorded ballots were annulled by the organisers (each annulment "
        "and its reason is in the operators' audit trail) and are not counted.",
        "rule_none_annulled": "No ballot was annulled.",
        "rule_verify": "Anyone holding the exported ballots can recompute these standings and the digest above "
        "(veche verify certificate.json ballots.jsonl).",
        "rule_preliminary": "A certificate and its digest, and each nomination's final log checkpoint, are issued "
        "when the results are published.",
        "log": "Transparency log: the final signed checkpoint", "log_size": "Entries (ballots and annulled ones)",
        "log_root": "Root hash (RFC 9162)", "log_key": "Log verifier key",
        "rule_log": "Every ballot and annulment of a nomination is an entry of its transparency log; the checkpoint "
        "printed under the nomination is signed with the log key above (also at /api/v1/log/key). Any voter can "
        "check that their ballot is in it, and anyone that the log was never rewritten (docs/verifiability.md).",
        "signatures": "Signatures", "role_chair": "Chair of the organising committee", "role_secretary": "Secretary",
        "role_member": "Member of the committee", "name": "Name", "signature": "Signature", "date": "Date",
    },
    "ru": {
        "kind": "Протокол итогов голосования", "final": "Окончательные итоги: опубликованы и заверены.",
        "preliminary": "ПРЕДВАРИТЕЛЬНЫЙ — не заверен: итоги не опубликованы и ещё могут измениться.",
        "contest": "Конкурс", "window": "Окно голосования", "no_bound": "без ограничения", "drawn": "Составлен",
        "cast": "Записано бюллетеней", "annulled": "аннулировано", "counted": "учтено",
        "digest": "Дайджест сертификата (SHA-256)", "sequence": "Последний учтённый номер в журнале",
        "nomination": "Номинация", "votes_in": "Учтено бюллетеней: {n}", "place": "Место", "practice": "Практика",
        "municipality": "Муниципалитет", "votes": "Голоса", "share": "Доля бюллетеней",
        "no_practices": "В этой номинации в бюллетене не было практик.",
        "tie": "Равенство голосов: {names} — по {votes}, делят {place}-е место.",
        "rules": "Как проводился подсчёт",
        "rule_one": "Каждый избиратель мог подать один бюллетень в каждой номинации; записанный бюллетень "
        "изменить нельзя. Доля — голоса практики, делённые на число учтённых бюллетеней номинации.",
        "rule_ties": "Равное число голосов даёт общее место, следующее место пропускается (1, 1, 3). Вече не "
        "разрешает ничьи: это делают положение о конкурсе и его организаторы.",
        "rule_annulled": "{annulled} из {cast} записанных бюллетеней аннулированы организаторами (каждое "
        "аннулирование с причиной есть в журнале действий операторов) и не учтены.",
        "rule_none_annulled": "Ни один бюллетень не аннулирован.",
        "rule_verify": "Любой, у кого есть выгрузка бюллетеней, может пересчитать эти итоги и дайджест выше "
        "(veche verify certificate.json ballots.jsonl).",
        "rule_preliminary": "Сертификат и его дайджест, а также итоговые контрольные точки журналов номинаций "
        "выдаются при публикации итогов.",
        "log": "Журнал прозрачности: итоговая подписанная контрольная точка",
        "log_size": "Записей (бюллетени и аннулированные)", "log_root": "Корневой хеш (RFC 9162)",
        "log_key": "Ключ проверки журналов",
        "rule_log": "Каждый бюллетень и каждое аннулирование номинации — запись её журнала прозрачности; "
        "контрольная точка под номинацией подписана ключом журналов выше (он же на /api/v1/log/key). Любой "
        "избиратель может проверить, что его бюллетень в журнале, а любой желающий — что журнал не переписан "
        "(docs/verifiability.md).",
        "signatures": "Подписи", "role_chair": "Председатель оргкомитета", "role_secretary": "Секретарь",
        "role_member": "Член оргкомитета", "name": "Ф. И. О.", "signature": "Подпись", "date": "Дата",
    },
}  # fmt: skip


def words_for(language: str) -> dict[str, str]:
    """The protocol's words in `language` (its base language), English where there are none."""
    return WORDS.get(language.split("-")[0], WORDS["en"])
