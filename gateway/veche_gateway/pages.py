"""The web pages the gateway serves as static files: the public contest page and the embeddable leaderboard."""

from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

from veche_shared.contracts.common import Id

WEB = Path(__file__).parent / "web"


def install(app: FastAPI) -> None:
    app.mount("/static", StaticFiles(directory=WEB), name="static")

    @app.get("/", include_in_schema=False)
    async def contest_page() -> FileResponse:
        return FileResponse(WEB / "index.html", headers={"Cache-Control": "no-cache"})

    @app.get("/ops", include_in_schema=False)
    async def ops_page() -> FileResponse:
        """The operators' live overview; its data needs an operator key (observer role or higher)."""
        return FileResponse(WEB / "ops.html", headers={"Cache-Control": "no-cache"})

    @app.get("/embed/contests/{contest}/nominations/{nomination}", include_in_schema=False)
    async def embed_page(contest: Id, nomination: Id) -> FileResponse:
        return FileResponse(WEB / "embed.html", headers={"Cache-Control": "no-cache"})

    @app.get("/embed.js", include_in_schema=False)
    async def embed_script() -> FileResponse:
        return FileResponse(WEB / "embed.js", media_type="text/javascript", headers={"Cache-Control": "max-age=300"})
