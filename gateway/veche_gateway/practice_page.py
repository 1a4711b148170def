"""A page for every practice at a stable address: /{lang}/contests/{c}/nominations/{n}/practices/{p}.

Rendered on the server (the language in the address sets <html lang>; Open Graph tags for a shared link), from
the public API's own reads: only an approved practice of a public contest has a page. The description keeps its
paragraphs, lists and links (veche_gateway.richtext); every other text is escaped.
"""

import asyncio
from collections.abc import Mapping
from html import escape
from string import Template
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from veche_gateway import richtext
from veche_gateway.api.deps import public_contest
from veche_gateway.api.upstream import ask
from veche_gateway.assets import Assets
from veche_gateway.auth.voter_identity import VoterIdentity, identity_of
from veche_gateway.pages import Language
from veche_gateway.state import gateway
from veche_shared.contracts import submissions
from veche_shared.contracts.catalog import Contest, Municipality, Nomination, Phase, Photo, Practice
from veche_shared.contracts.common import Id
from veche_shared.contracts.texts import pick
from veche_shared.operations import submissions as ops

TEXTS = {
    "en": {
        "skip": "Skip to the practice", "crumbs": "Where you are", "on_the_map": "on the map",
        "vote_heading": "Voting", "description": "About the practice", "links": "Links", "photos": "Photos",
        "back": "All practices of this nomination", "other": "Русский",
        "vote": "Vote for this practice", "all": "Every practice of this nomination",
        "approval": "This nomination's ballot approves up to {k} practices: choose them on the nomination's page.",
        "identity": "Your identity", "token_label": "Voter token from the organiser", "token_save": "Use this token",
        "sign_in": "Sign in to vote", "sign_out": "Sign out",
        Phase.voting_open: "Voting is open.", Phase.submissions_open: "Voting has not started yet.",
        Phase.voting_closed: "Voting has closed.", Phase.results_published: "The results are published.",
    },
    "ru": {
        "skip": "К описанию практики", "crumbs": "Где вы", "on_the_map": "на карте",
        "vote_heading": "Голосование", "description": "О практике", "links": "Ссылки", "photos": "Фотографии",
        "back": "Все практики номинации", "other": "English",
        "vote": "Голосовать за эту практику", "all": "Все практики номинации",
        "approval": "В этой номинации бюллетень одобряет до {k} практик: выберите их на странице номинации.",
        "identity": "Ваша личность", "token_label": "Токен избирателя от организатора",
        "token_save": "Использовать токен", "sign_in": "Войти, чтобы голосовать", "sign_out": "Выйти",
        Phase.voting_open: "Голосование открыто.", Phase.submissions_open: "Голосование ещё не началось.",
        Phase.voting_closed: "Голосование завершено.", Phase.results_published: "Итоги опубликованы.",
    },
}  # fmt: skip
PATH = "/{lang}/contests/{contest}/nominations/{nomination}/practices/{practice}"
OG_LOCALE = {"en": "en_GB", "ru": "ru_RU"}


def address(lang: str, contest: str, nomination: str | None = None, practice: str | None = None) -> str:
    path = f"/{lang}/contests/{quote(contest)}"
    if nomination is not None:
        path += f"/nominations/{quote(nomination)}"
    if practice is not None:
        path += f"/practices/{quote(practice)}"
    return path


def links_block(practice: Practice, heading: str) -> str:
    if not practice.links:
        return ""
    items = "".join(f'<li><a href="{escape(str(u))}" rel="nofollow ugc noopener">{escape(str(u))}</a></li>'
                    for u in practice.links)  # fmt: skip
    return f'      <section class="links"><h2>{escape(heading)}</h2><ul>{items}</ul></section>'


def photo_url(practice: Practice, photo: Photo, size: str) -> str:
    return f"/api/v1/practices/{quote(practice.id)}/photos/{photo.id}/{size}"


def photos_block(practice: Practice, heading: str) -> str:
    """Thumbnails (the large image where the screen is wide or dense enough), each a link to the large one."""
    figures = []
    for photo in practice.photos:
        thumb, large = photo_url(practice, photo, "thumb"), photo_url(practice, photo, "large")
        height = round(480 * photo.height / max(photo.width, photo.height))
        width = round(480 * photo.width / max(photo.width, photo.height))
        figures.append(
            f'<figure><a href="{large}"><img src="{thumb}" srcset="{thumb} {width}w, {large} {photo.width}w" '
            f'sizes="(max-width: 520px) 100vw, 240px" width="{width}" height="{height}" loading="lazy" '
            f'alt="{escape(photo.alt)}"></a></figure>'
        )
    if not figures:
        return ""
    return f'      <section class="photos" aria-label="{escape(heading)}">{"".join(figures)}</section>'


IDENTITY = """        <div id="identity" class="identity" data-method="{method}" data-sign-in-url="{sign_in_url}"
          hidden>
          <h3>{identity}</h3>
          <p id="identity-text"></p>
          <div id="device-check" class="device-check" hidden></div>
          <a id="sign-in" class="button" href="#" hidden>{sign_in}</a>
          <p id="signed-in" hidden><span id="signed-in-text"></span>
            <button id="sign-out" type="button">{sign_out}</button></p>
          <form id="token-form" class="token-form" hidden>
            <label for="token-input">{token_label}</label>
            <input id="token-input" name="token" autocomplete="off" spellcheck="false">
            <button type="submit">{token_save}</button>
          </form>
        </div>"""


def votes_here(contest: Contest, nomination: Nomination | None) -> bool:
    """Whether the page casts a ballot itself: voting is open and the nomination's ballot is a single choice."""
    return contest.phase == Phase.voting_open and not (nomination is not None and nomination.approval)


def vote_control(
    t: Mapping[str, str], contest: Contest, nomination: Nomination | None, identity: VoterIdentity
) -> tuple[str, str]:
    """A Vote button and the identity box while voting is open in a nomination of single choices (public/vote.js
    walks the button through the check and the sending, like a card of the contest page); an approval ballot is
    chosen on the nomination's page. The box names how voters prove who they are, so no request comes first."""
    if contest.phase != Phase.voting_open:
        return "", ""
    if nomination is not None and not votes_here(contest, nomination):
        return f'        <p class="approval">{escape(t["approval"].format(k=nomination.max_choices))}</p>', ""
    button = '<button type="button" class="button vote" data-state="idle" aria-describedby="vote-status">'
    words = {k: escape(v) for k, v in t.items()}
    how = {"method": identity.method, "sign_in_url": escape(identity.sign_in_url or "")}
    return f"        {button}{escape(t['vote'])}</button>", IDENTITY.format_map(words | how)


def render(template: Template, scripts: str, base: str, lang: str, contest: Contest, nomination: Nomination | None,
           practice: Practice, town: Municipality | None, identity: VoterIdentity) -> str:  # fmt: skip
    """The page's HTML: every value escaped, the description through richtext."""
    t, other = TEXTS[lang], "ru" if lang == "en" else "en"
    langs = (lang, contest.default_language)

    def text(texts: Mapping[str, str]) -> str:
        return pick(texts, *langs)

    summary = text(practice.summary)
    nomination_title = text(nomination.title) if nomination else practice.nomination
    here = address(lang, contest.id, practice.nomination, practice.id)
    region = f", {text(town.region)}" if town is not None and town.region else ""
    values = {
        "lang": lang, "other_lang": other, "other_name": t["other"], "og_locale": OG_LOCALE[lang],
        "url": base + here, "other_url": address(other, contest.id, practice.nomination, practice.id),
        "title": text(practice.title), "summary": summary, "contest_title": text(contest.title),
        "nomination_title": nomination_title, "contest": contest.id, "nomination": practice.nomination,
        "practice": practice.id, "phase": contest.phase.value, "phase_text": t.get(contest.phase, ""),
        "vote_url": f"{address(lang, contest.id, practice.nomination)}?practice={practice.id}#practice-{practice.id}",
        "contest_url": address(lang, contest.id), "nomination_url": address(lang, contest.id, practice.nomination),
        "municipality": text(town.name) if town else practice.municipality, "region": region,
        "map_url": f"https://www.openstreetmap.org/?mlat={town.lat}&mlon={town.lon}#map=11/{town.lat}/{town.lon}"
        if town else "#", "on_the_map": t["on_the_map"], "skip": t["skip"], "crumbs_label": t["crumbs"],
        "vote_heading": t["vote_heading"], "all_label": t["all"],
        "description_heading": t["description"], "back": t["back"],
    }  # fmt: skip
    safe = {k: escape(str(v)) for k, v in values.items()}
    safe["summary_block"] = f'<p class="summary">{escape(summary)}</p>' if summary else ""
    safe["description"] = richtext.to_html(text(practice.description)) or ""
    safe["links"] = links_block(practice, t["links"])
    safe["vote_control"], safe["identity"] = vote_control(t, contest, nomination, identity)
    safe["vote_modules"] = scripts if votes_here(contest, nomination) else ""  # a reader of a closed vote loads none
    safe["photos"] = photos_block(practice, t["photos"])
    first = practice.photos[0] if practice.photos else None
    safe["og_image"] = (
        f'  <meta property="og:image" content="{escape(base + photo_url(practice, first, "large"))}">\n'
        f'  <meta property="og:image:width" content="{first.width}">\n'
        f'  <meta property="og:image:height" content="{first.height}">\n'
        f'  <meta property="og:image:alt" content="{escape(first.alt)}">'
        if first
        else ""
    )
    return template.substitute(safe)


def install(app: FastAPI, assets: Assets) -> None:
    template = Template(assets.files["practice.html"].body.decode())
    scripts = assets.files["practice-vote.html"].body.decode().split("-->\n", 1)[1]  # without its comment

    @app.get(PATH, include_in_schema=False, response_model=None)
    async def practice_page(
        request: Request, lang: Language, contest: Id, nomination: Id, practice: Id
    ) -> HTMLResponse | RedirectResponse:
        """One practice: its full description, municipality, links and photos; a vote from here too."""
        found_contest = await public_contest(request, contest)
        found, nominations = await asyncio.gather(
            ask(request, ops.PRACTICE_GET, submissions.GetPractice(contest=contest, practice=practice)),
            ask(request, ops.NOMINATION_LIST, submissions.ListNominations(contest=contest)),
        )
        if found.nomination != nomination:  # an old or mistyped address: the practice's one address
            return RedirectResponse(address(lang, contest, found.nomination, practice), 301)
        towns = await ask(request, ops.MUNICIPALITY_LIST, submissions.ListMunicipalities(ids=[found.municipality]))
        found_nomination = next((n for n in nominations if n.id == nomination), None)
        settings = gateway(request).settings
        base = settings.public_url or str(request.base_url).rstrip("/")
        identity = identity_of(found_contest, settings.voter_token_field)
        town = next(iter(towns.items), None)
        html = render(template, scripts, base, lang, found_contest, found_nomination, found, town, identity)
        return HTMLResponse(html, headers={"Cache-Control": "no-cache", "Vary": "Accept-Encoding"})
