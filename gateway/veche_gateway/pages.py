"""The documents the gateway serves as they are: the embeddable leaderboard and its snippet page, the organisers'
console (/ops leads to its operations view), the municipality representatives' page, the AsyncAPI document of the
bus, and the files they load (veche_gateway.assets: fingerprinted, precompressed). The contest page's shell is
localised here and filled by veche_gateway.contest_page."""

import hashlib
import re
from functools import cache
from pathlib import Path
from typing import Literal
from urllib.parse import urlencode

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from veche_gateway.assets import IMMUTABLE, REVALIDATE, SHORT, Asset, AssetResponse, Assets
from veche_shared import asyncapi
from veche_shared.contracts.common import Id
from veche_shared.subjects import TOKEN_PATTERN

WEB = Path(__file__).parent / "web"
DAY = "public, max-age=86400"
Language = Literal["ru", "en"]
ID = re.compile(TOKEN_PATTERN)


@cache
def bus_document() -> bytes:
    """Made on first request, not at start: the schemas of every contract take a moment to generate."""
    return asyncapi.render().encode()


def preferred_language(accept_language: str | None) -> Language:
    """ru if the visitor's browser asks for Russian before English, else en."""
    tags = [part.split(";")[0].strip().lower()[:2] for part in (accept_language or "").split(",")]
    wanted = [tag for tag in tags if tag in ("ru", "en")]
    return "ru" if wanted[:1] == ["ru"] else "en"


def localised(page: Asset, lang: Language) -> Asset:
    """The page with <html lang> set on the server, so the first paint and a screen reader know the language."""
    body = page.body.replace(b'<html lang="en">', f'<html lang="{lang}">'.encode(), 1)
    return Asset(body, page.media_type, '"' + hashlib.sha256(body).hexdigest()[:20] + '"')


def install(app: FastAPI, assets: Assets) -> None:
    def page(name: str) -> AssetResponse:
        return AssetResponse(assets.files[name], REVALIDATE)

    @app.get("/assets/{version}/{path:path}", include_in_schema=False)
    async def asset(version: str, path: str) -> AssetResponse:
        """A file of the pages; cached for a year under the current version, revalidated under another one (a page
        from another gateway release behind the same load balancer)."""
        if path not in assets.files:
            raise HTTPException(404)
        return AssetResponse(assets.files[path], IMMUTABLE if version == assets.version else REVALIDATE)

    @app.get("/static/{path:path}", include_in_schema=False)
    async def static(path: str) -> AssetResponse:
        """The same files at their unversioned address (older embeds, links from elsewhere): a short cache."""
        if path not in assets.files:
            raise HTTPException(404)
        return AssetResponse(assets.files[path], SHORT)

    @app.get("/favicon.ico", include_in_schema=False)
    async def favicon() -> AssetResponse:
        return AssetResponse(assets.files["favicon.ico"], DAY)

    @app.get("/asyncapi.json", include_in_schema=False)
    async def asyncapi_document() -> Response:
        """The AsyncAPI 3 document of the NATS bus, generated from the RPC catalogue (no secrets in it)."""
        return Response(bus_document(), media_type="application/json", headers={"Cache-Control": "max-age=300"})

    @app.get("/", include_in_schema=False)
    async def front(request: Request) -> RedirectResponse:
        """An old contest link (?contest=&nomination=&lang=) moves to the contest's readable address; anything else
        goes to the list of votes in the visitor's language (/ru/ or /en/, by Accept-Language)."""
        query = request.query_params
        asked = query.get("lang")
        lang = asked if asked in ("ru", "en") else preferred_language(request.headers.get("accept-language"))
        contest, nomination = query.get("contest"), query.get("nomination")
        if contest is None or not ID.fullmatch(contest):
            return RedirectResponse(f"/{lang}/", 302)
        target = f"/{lang}/contests/{contest}"
        if nomination is not None and ID.fullmatch(nomination):
            target += f"/nominations/{nomination}"
        kept = {k: v for k, v in query.items() if k == "practice" and ID.fullmatch(v)}  # the card to focus
        return RedirectResponse(target + (f"?{urlencode(kept)}" if kept else ""), 301)

    @app.get("/ops", include_in_schema=False)
    async def ops_page(contest: Id | None = None) -> RedirectResponse:
        """The operators' live overview is a view of the console now (one sign-in, its languages): the old address
        and its ?contest= lead there."""
        query = f"?{urlencode({'contest': contest})}" if contest else ""
        return RedirectResponse(f"/admin{query}#/ops", 302)

    @app.get("/admin", include_in_schema=False)
    async def console_page() -> AssetResponse:
        """The organisers' console; everything it shows and does needs an operator key (docs/console.md)."""
        return page("admin.html")

    @app.get("/municipality", include_in_schema=False)
    async def municipality_page() -> AssetResponse:
        """A municipality representative's practices; its data needs the municipality's invitation key."""
        return page("municipality.html")

    @app.get("/embed", include_in_schema=False)
    async def embed_snippets() -> AssetResponse:
        """How to put a live leaderboard on another site: the snippet for a chosen nomination, and a preview."""
        return page("embed-snippet.html")

    @app.get("/embed/contests/{contest}/nominations/{nomination}", include_in_schema=False)
    async def embed_page(contest: Id, nomination: Id) -> AssetResponse:
        return page("embed.html")

    @app.get("/embed.js", include_in_schema=False)
    async def embed_script() -> AssetResponse:
        return AssetResponse(assets.files["embed.js"], SHORT)
