"""The words of the results page in each language, and counts with the language's plural forms (CLDR rules for
whole numbers: Russian one / few / many, English one / other)."""

FORMS = {"en": ("vote", "votes", "votes"), "ru": ("голос", "голоса", "голосов")}


def plural_index(n: int, lang: str) -> int:
    """0 one, 1 few, 2 many/other."""
    if lang != "ru":
        return 0 if n == 1 else 2
    if n % 10 == 1 and n % 100 != 11:
        return 0
    return 1 if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14 else 2


def votes(n: int, lang: str) -> str:
    number = f"{n:,}".replace(",", "\u00a0") if lang == "ru" else f"{n:,}"
    return f"{number} {FORMS[lang][plural_index(n, lang)]}"


TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "heading": "Results", "other": "Русский", "crumbs": "Where you are", "all_votes": "All votes",
        "certified": "Certified results", "live": "Live: the standings change as votes arrive",
        "counting": "Voting is open; the results are shown when it closes", "closed": "Voting has closed; the "
        "results are being certified", "coming": "Voting has not started yet",
        "hidden": "The results of this nomination are hidden until voting closes.",
        "no_votes": "No votes yet.", "winner": "Winner: {who}, {count}.",
        "tie": "A tie for first place: {names}, {count} each.", "place": "{n}.",
        "podium": "Top three", "all": "Every practice",
        "ties": "Practices with the same number of votes share a place (1, 1, 3): a tie is not broken by time or "
        "by chance; the contest's rules say what the organisers do with one.",
        "auditors": "For auditors", "auditors_intro": "The certificate fixes the counted ballots: anyone can recount "
        "them from the organiser's anonymised ballots file and compare.",
        "digest": "SHA-256 of the ballots", "ballots": "Ballots counted", "annulled": "Ballots annulled",
        "sequence": "Last ledger sequence", "issued": "Issued", "download": "Download the certificate (JSON)",
        "ballots_file": "Download the anonymised ballots (ballots.jsonl; keyed voter hashes only, as in the log)",
        "protocol_pdf": "Results protocol (PDF, to print and sign)", "protocol_page": "the protocol as a page",
    },
    "ru": {
        "heading": "Итоги", "other": "English", "crumbs": "Где вы", "all_votes": "Все голосования",
        "certified": "Заверенные итоги", "live": "В эфире: места меняются по мере голосования",
        "counting": "Голосование идёт; итоги будут показаны после его окончания",
        "closed": "Голосование завершено; итоги заверяются", "coming": "Голосование ещё не началось",
        "hidden": "Итоги этой номинации скрыты до окончания голосования.",
        "no_votes": "Голосов пока нет.", "winner": "Победитель: {who}, {count}.",
        "tie": "Первое место делят: {names}, по {count}.", "place": "{n}.",
        "podium": "Первая тройка", "all": "Все практики",
        "ties": "Практики с равным числом голосов делят место (1, 1, 3): ничья не разрешается ни временем, ни "
        "жребием; что делать с ней, решают правила конкурса.",
        "auditors": "Для аудиторов", "auditors_intro": "Сертификат фиксирует учтённые бюллетени: любой может "
        "пересчитать их по обезличенному файлу бюллетеней организатора и сравнить.",
        "digest": "SHA-256 бюллетеней", "ballots": "Учтено бюллетеней", "annulled": "Аннулировано",
        "sequence": "Последний номер в журнале", "issued": "Выдан", "download": "Скачать сертификат (JSON)",
        "ballots_file": "Скачать обезличенные бюллетени (ballots.jsonl; только ключевые хеши избирателей, "
        "как в журнале)",
        "protocol_pdf": "Протокол итогов (PDF, для печати и подписи)", "protocol_page": "протокол в виде страницы",
    },
}  # fmt: skip
ICONS = {"certified": "★", "live": "●", "counting": "◷", "closed": "■", "coming": "◷"}
COLUMNS = {
    "en": ["Place", "Practice", "Municipality", "Votes", "Share"],
    "ru": ["Место", "Практика", "Муниципалитет", "Голоса", "Доля"],
}
STEPS = {
    "en": [
        "Download the certificate.",
        "Download the anonymised ballots (ballots.jsonl).",
        "Run the check; it recomputes the digest and every count.",
    ],
    "ru": [
        "Скачайте сертификат.",
        "Скачайте обезличенные бюллетени (ballots.jsonl).",
        "Запустите проверку: она пересчитает хеш и все голоса.",
    ],
}
