"""A contest's page, /{lang}/contests/{c}[/nominations/{n}]: the page's shell (web/index.html) with its first
screen rendered on the server (the contest's title, description and phase, the chosen nomination's practice cards)
and the same reads for the script in a JSON block (#boot), so public/main.js asks the API for none of them. Its
labels are in the address's language from the start (the scripts' own words, veche_gateway.script_words).

A phone on a slow network then shows the cards with its first paint, not after some twenty modules and four
requests made one after the other (bench.citizen_page). The cards' Vote buttons stay disabled until the script
takes the cards over. The gateway makes the reads the script would have made, one fewer (the contest list), and
an unknown contest gets the bare shell (whose script shows the open contest, as before)."""

import asyncio
import hashlib
import json
from html import escape
from typing import Any, get_args

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel

from veche_gateway.api.deps import public_contest
from veche_gateway.api.upstream import ask
from veche_gateway.assets import Assets, matches
from veche_gateway.auth.voter_identity import identity_of
from veche_gateway.pages import WEB, Language, localised
from veche_gateway.script_words import public_words, translated
from veche_gateway.state import gateway
from veche_shared.contracts import submissions
from veche_shared.contracts.catalog import Contest, Municipality, Nomination, Practice, PracticeStatus
from veche_shared.contracts.common import Id
from veche_shared.contracts.texts import pick
from veche_shared.errors import DomainError, ServiceTimeout, ServiceUnavailable
from veche_shared.operations import submissions as ops

# The words the script says in the same places (public/vote.js, ballot.js, texts.js; tests/unit keeps them equal),
# so nothing changes when it takes the cards over.
TEXTS = {
    "en": {"vote": "Vote", "vote_for": "Vote for “{title}” ({city})", "choose": "Choose",
           "choose_for": "Choose “{title}” ({city})", "voting_open": "Voting is open", "draft": "Draft",
           "submissions_open": "Submissions open", "voting_closed": "Voting is closed",
           "results_published": "Results published"},
    "ru": {"vote": "Голосовать", "vote_for": "Голосовать за «{title}» ({city})", "choose": "Выбрать",
           "choose_for": "Выбрать «{title}» ({city})", "voting_open": "Идёт голосование", "draft": "Черновик",
           "submissions_open": "Приём заявок", "voting_closed": "Голосование завершено",
           "results_published": "Итоги опубликованы"},
}  # fmt: skip
MOST = 1_000  # practices of a nomination in the page (the API's page limit); a bigger one is the script's to fetch
EMBED = '<script src="/embed.js" defer></script>'
SLOTS = {  # where the shell takes what the server knows: (the shell's text, the text with {} for the value)
    "title": ("<title>Veche</title>", "<title>{} — Veche</title>"),
    "heading": ('<h1 id="contest-title">…</h1>', '<h1 id="contest-title">{}</h1>'),
    "description": ('<p id="contest-description"></p>', '<p id="contest-description">{}</p>'),
    "phase": ('<p id="contest-phase" class="phase"></p>', '<p id="contest-phase" class="phase">{}</p>'),
    "cards": ('<ul id="cards" class="cards"></ul>', '<ul id="cards" class="cards">{}</ul>'),
    "boot": (EMBED, '<script type="application/json" id="boot">{}</script>\n  ' + EMBED),
}


def json_block(data: Any) -> str:
    """JSON that cannot close its <script> element nor open markup."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def card(lang: str, contest: Contest, nomination: Nomination, practice: Practice, town: Municipality | None) -> str:
    """One practice as public/main.js draws it; its button waits, disabled, for the script."""
    t, langs = TEXTS[lang], (lang, contest.default_language)
    title, summary = pick(practice.title, *langs), pick(practice.summary, *langs)
    city = pick(town.name, *langs) if town else practice.municipality
    word, label = ("choose", "choose_for") if nomination.approval else ("vote", "vote_for")
    href = f"/{lang}/contests/{contest.id}/nominations/{nomination.id}/practices/{practice.id}"
    kind = "vote choose" if nomination.approval else "vote"
    return (
        f'<li class="card" id="practice-{practice.id}" data-practice="{practice.id}" data-title="{escape(title)}" '
        f'data-city="{escape(city)}"><h3 class="card-title"><a href="{href}">{escape(title)}</a></h3>'
        f'<p class="card-city">{escape(city)}</p>'
        + (f'<p class="card-summary">{escape(summary)}</p>' if summary else "")
        + f'<button type="button" class="{kind}" disabled data-practice="{practice.id}" data-state="closed" '
        f'aria-describedby="status-{practice.id}" aria-label="{escape(t[label].format(title=title, city=city))}">'
        f'{escape(t[word])}</button><p class="vote-status" id="status-{practice.id}" role="status"></p></li>'
    )


def dumped(model: BaseModel) -> Any:
    """As the API answers it (FastAPI's JSON of a response model)."""
    return model.model_dump(mode="json", by_alias=True)


async def first_screen(
    request: Request, lang: str, contest: Contest, nominations: list[Nomination], asked: str | None
) -> dict[str, str]:
    """The values of SLOTS for a public contest, `asked` (else the first) nomination chosen."""
    shown = [n for n in nominations if not n.archived]
    chosen = next((n for n in shown if n.id == asked), shown[0] if shown else None)
    practices: list[Practice] = []
    if chosen is not None:
        page = await ask(request, ops.PRACTICE_PAGE, submissions.ListPractices(
            contest=contest.id, nomination=chosen.id, status=PracticeStatus.approved, limit=MOST))  # fmt: skip
        practices = page.items if page.next_cursor is None else []
    places: dict[str, Municipality] = {}
    if ids := sorted({p.municipality for p in practices}):
        towns = await ask(request, ops.MUNICIPALITY_LIST, submissions.ListMunicipalities(ids=ids, limit=MOST))
        places = {m.id: m for m in towns.items}
    identity = identity_of(contest, gateway(request).settings.voter_token_field)
    boot = {"contest": dumped(contest), "nominations": [dumped(n) for n in shown], "identity": dumped(identity),
            "nomination": chosen.id if chosen else None, "practices": [dumped(p) for p in practices],
            "places": {key: dumped(place) for key, place in places.items()}}  # fmt: skip
    title = pick(contest.title, lang, contest.default_language)
    return {
        "title": escape(title), "heading": escape(title),
        "description": escape(pick(contest.description, lang, contest.default_language)),
        "phase": escape(TEXTS[lang].get(contest.phase.value, "")), "boot": json_block(boot),
        "cards": "".join(card(lang, contest, chosen, p, places.get(p.municipality)) for p in practices)
        if chosen else "",
    }  # fmt: skip


async def known_screen(request: Request, lang: str, contest: Id, nomination: Id | None) -> dict[str, str]:
    """The first screen of a contest the public may see; none (the bare shell) for another."""
    listed = ask(request, ops.NOMINATION_LIST, submissions.ListNominations(contest=contest))
    try:  # both at once: the nominations of a contest the public may not see are not shown
        found, nominations = await asyncio.gather(public_contest(request, contest), listed)
    except DomainError as refused:  # unknown to the public: the shell, whose script falls back as it always did
        if refused.code != "unknown_contest":
            raise
        return {}
    return await first_screen(request, lang, found, nominations, nomination)


def shell_in(assets: Assets, lang: Language, words: dict[str, str]) -> str:
    """The page in a language before the server fills it: <html lang>, the script's words in its labels, the
    language's button pressed (what the script's translate() would do)."""
    page = translated(localised(assets.files["index.html"], lang).body.decode(), words)
    return page.replace(f'data-lang="{lang}" aria-pressed="false"', f'data-lang="{lang}" aria-pressed="true"', 1)


def install(app: FastAPI, assets: Assets) -> None:
    words = public_words(WEB)
    shells = {lang: shell_in(assets, lang, words[lang]) for lang in get_args(Language)}
    for shell in shells.values():
        missing = [name for name, (mark, _) in SLOTS.items() if mark not in shell]
        assert not missing, f"index.html lacks the places of {missing}"

    async def render(request: Request, lang: Language, contest: Id, nomination: Id | None) -> Response:
        page = shells[lang]
        try:
            values = await known_screen(request, lang, contest, nomination)
        except (ServiceUnavailable, ServiceTimeout):  # the shell: its script says what it cannot read
            values = {}
        for name, value in values.items():
            mark, filled = SLOTS[name]
            page = page.replace(mark, filled.format(value), 1)
        body = page.encode()
        etag = '"' + hashlib.sha256(body).hexdigest()[:20] + '"'
        headers = {"Cache-Control": "no-cache", "ETag": etag, "Vary": "Accept-Encoding"}
        if matches(request.headers.get("if-none-match"), etag):
            return Response(status_code=304, headers=headers)
        return HTMLResponse(body, headers=headers)

    @app.get("/{lang}/contests/{contest}", include_in_schema=False)
    async def contest_page(request: Request, lang: Language, contest: Id) -> Response:
        """A contest's page in the address's language (what the list of votes, the embed's "Vote" link and shared
        links name); declared last, so that /embed/contests/... and every other route is matched first."""
        return await render(request, lang, contest, None)

    @app.get("/{lang}/contests/{contest}/nominations/{nomination}", include_in_schema=False)
    async def nomination_page(request: Request, lang: Language, contest: Id, nomination: Id) -> Response:
        """The same page with a nomination chosen."""
        return await render(request, lang, contest, nomination)
