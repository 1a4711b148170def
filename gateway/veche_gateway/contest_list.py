"""The list of public votes at /<lang>/ (and / for a visitor without a contest in mind): each contest with its
state in words and an icon (never colour alone), its voting window, a link to its page; filtered by state and by
a city taking part. Rendered on the server: the first thing a citizen sees needs no script."""

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime
from html import escape
from string import Template
from typing import Annotated, Literal, get_args
from urllib.parse import urlencode

from fastapi import FastAPI, Query, Request
from fastapi.responses import HTMLResponse

from veche_gateway.api.upstream import ask
from veche_gateway.assets import Assets
from veche_gateway.pages import Language
from veche_shared.contracts import submissions
from veche_shared.contracts.catalog import Contest, Phase
from veche_shared.contracts.common import Empty
from veche_shared.contracts.texts import pick
from veche_shared.operations import submissions as ops

Status = Literal["", "voting_open", "submissions_open", "voting_closed", "results_published"]
CITIES_SEARCHED = 20  # municipalities matching the city filter that are looked up in each contest
ICONS = {Phase.submissions_open: "◷", Phase.voting_open: "●", Phase.voting_closed: "■", Phase.results_published: "★"}
TEXTS = {
    "en": {
        "heading": "Public votes", "status": "State", "city": "City", "apply": "Show", "all": "Any state",
        "other": "Русский", "none": "No vote matches.", "found": "{n} votes", "one": "1 vote",
        Phase.submissions_open: "Coming: practices are being submitted", Phase.voting_open: "Voting is open",
        Phase.voting_closed: "Voting has closed", Phase.results_published: "Results are published",
        "window": "Voting: {start} – {end} (UTC)",
    },
    "ru": {
        "heading": "Народные голосования", "status": "Состояние", "city": "Город", "apply": "Показать",
        "all": "Любое", "other": "English", "none": "Ничего не найдено.", "found": "Голосований: {n}",
        "one": "Голосований: 1",
        Phase.submissions_open: "Скоро: идёт приём практик", Phase.voting_open: "Голосование открыто",
        Phase.voting_closed: "Голосование завершено", Phase.results_published: "Итоги опубликованы",
        "window": "Голосование: {start} – {end} (UTC)",
    },
}  # fmt: skip
ORDER = [Phase.voting_open, Phase.submissions_open, Phase.voting_closed, Phase.results_published]


def when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M") if moment else "…"


def card(contest: Contest, lang: str) -> str:
    t, texts = TEXTS[lang], (lang, contest.default_language)
    description = pick(contest.description, *texts)
    window = t["window"].format(start=when(contest.opens_at), end=when(contest.closes_at))
    return (
        f'      <li><h2><a href="/{lang}/contests/{contest.id}">{escape(pick(contest.title, *texts))}</a></h2>'
        f'<p class="state" data-icon="{ICONS.get(contest.phase, "")}">{escape(t.get(contest.phase, ""))}</p>'
        + (f'<p class="when">{escape(window)}</p>' if contest.opens_at or contest.closes_at else "")
        + (f"<p>{escape(description)}</p>" if description else "")
        + "</li>"
    )


async def in_city(request: Request, contests: list[Contest], city: str) -> list[Contest]:
    """The contests in which a municipality whose id or name holds `city` has an approved practice."""
    found = await ask(request, ops.MUNICIPALITY_LIST, submissions.ListMunicipalities(q=city, limit=CITIES_SEARCHED))
    towns = [m.id for m in found.items]

    async def takes_part(contest: Contest) -> bool:
        pages = await asyncio.gather(*(
            ask(request, ops.PRACTICE_PAGE, submissions.ListPractices(contest=contest.id, municipality=t, limit=1))
            for t in towns
        ))  # fmt: skip
        return any(page.items for page in pages)

    kept = await asyncio.gather(*(takes_part(c) for c in contests))
    return [c for c, keep in zip(contests, kept, strict=True) if keep]


def install(app: FastAPI, assets: Assets) -> None:
    template = Template(assets.files["contests.html"].body.decode())

    # one route per language, not /{lang}/: a parameter there would take any one-segment address with a slash
    # added, and redirect /redoc or /metrics to it instead of answering 404
    for language in get_args(Language):
        app.get(f"/{language}/", include_in_schema=False)(contest_list_in(language, template))


def contest_list_in(lang: Language, template: Template) -> Callable[..., Awaitable[HTMLResponse]]:
    async def contest_list(
        request: Request,
        status: Status = "",
        city: Annotated[str, Query(max_length=100)] = "",
    ) -> HTMLResponse:
        """Public votes, the open ones first; `status` and `city` narrow the list."""
        contests = [c for c in await ask(request, ops.CONTEST_LIST, Empty()) if c.is_public()]
        contests = [c for c in contests if not status or c.phase == status]
        if city.strip():
            contests = await in_city(request, contests, city.strip())
        contests.sort(key=lambda c: (ORDER.index(c.phase) if c.phase in ORDER else 9, c.id))
        t, other = TEXTS[lang], "ru" if lang == "en" else "en"
        options = [("", t["all"]), *((p.value, t[p]) for p in ORDER)]
        selected = {True: " selected", False: ""}
        values = {
            "lang": lang, "other_lang": other, "other_name": t["other"], "heading": t["heading"],
            "status_label": t["status"], "city_label": t["city"], "apply": t["apply"],
            "other_url": f"/{other}/?{urlencode({'status': status, 'city': city})}",
        }  # fmt: skip
        safe = {k: escape(v) for k, v in values.items()} | {"city": escape(city)}
        safe["status_options"] = "".join(
            f'<option value="{v}"{selected[v == status]}>{escape(label)}</option>' for v, label in options
        )
        safe["found"] = escape(t["one"] if len(contests) == 1 else t["found"].format(n=len(contests)))
        if not contests:
            safe["found"] = escape(t["none"])
        safe["contests"] = "\n".join(card(c, lang) for c in contests)
        return HTMLResponse(template.substitute(safe), headers={"Cache-Control": "no-cache"})

    return contest_list
