"""The documents the gateway serves as they are: the public contest page, the embeddable leaderboard, the ops
page, the municipality representatives' page and the AsyncAPI document of the bus."""

from functools import cache
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse, Response
from fastapi.staticfiles import StaticFiles

from veche_shared import asyncapi
from veche_shared.contracts.common import Id

WEB = Path(__file__).parent / "web"


@cache
def bus_document() -> bytes:
    """Made on first request, not at start: the schemas of every contract take a moment to generate."""
    return asyncapi.render().encode()


def install(app: FastAPI) -> None:
    app.mount("/static", StaticFiles(directory=WEB), name="static")

    @app.get("/asyncapi.json", include_in_schema=False)
    async def asyncapi_document() -> Response:
        """The AsyncAPI 3 document of the NATS bus, generated from the RPC catalogue (no secrets in it)."""
        return Response(bus_document(), media_type="application/json", headers={"Cache-Control": "max-age=300"})

    @app.get("/", include_in_schema=False)
    async def contest_page() -> FileResponse:
        return FileResponse(WEB / "index.html", headers={"Cache-Control": "no-cache"})

    @app.get("/ops", include_in_schema=False)
    async def ops_page() -> FileResponse:
        """The operators' live overview; its data needs an operator key (observer role or higher)."""
        return FileResponse(WEB / "ops.html", headers={"Cache-Control": "no-cache"})

    @app.get("/admin", include_in_schema=False)
    async def console_page() -> FileResponse:
        """The organisers' console; everything it shows and does needs an operator key (docs/console.md)."""
        return FileResponse(WEB / "admin.html", headers={"Cache-Control": "no-cache"})

    @app.get("/municipality", include_in_schema=False)
    async def municipality_page() -> FileResponse:
        """A municipality representative's practices; its data needs the municipality's invitation key."""
        return FileResponse(WEB / "municipality.html", headers={"Cache-Control": "no-cache"})

    @app.get("/embed/contests/{contest}/nominations/{nomination}", include_in_schema=False)
    async def embed_page(contest: Id, nomination: Id) -> FileResponse:
        return FileResponse(WEB / "embed.html", headers={"Cache-Control": "no-cache"})

    @app.get("/embed.js", include_in_schema=False)
    async def embed_script() -> FileResponse:
        return FileResponse(WEB / "embed.js", media_type="text/javascript", headers={"Cache-Control": "max-age=300"})
