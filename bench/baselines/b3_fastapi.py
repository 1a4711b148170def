"""B3: a bare FastAPI endpoint returning the bytes of a leaderboard, with Veche's uvicorn settings.

python -m bench.baselines.b3_fastapi PORT BODY_FILE
"""

import sys
from pathlib import Path

from fastapi import FastAPI, Response

from veche_shared.service import run
from veche_shared.settings import VecheSettings


def build_app(body: bytes) -> FastAPI:
    app = FastAPI()

    @app.get("/api/v1/contests/{contest}/nominations/{nomination}/leaderboard")
    async def leaderboard(contest: str, nomination: str) -> Response:
        return Response(body, media_type="application/json")

    @app.get("/readyz")
    async def ready() -> dict[str, bool]:
        return {"ready": True}

    return app


if __name__ == "__main__":
    port, body_file = int(sys.argv[1]), Path(sys.argv[2])
    run(build_app(body_file.read_bytes()), VecheSettings(http_port=port, log_level="WARNING"), "bench-b3")
