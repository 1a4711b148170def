"""B1: a bare FastAPI app with Veche's uvicorn settings: parse the vote JSON, one JetStream publish, 202.

python -m bench.baselines.b1_fastapi PORT NATS_URL
"""

import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import nats
from fastapi import FastAPI
from nats.aio.client import Client
from nats.js.api import StorageType, StreamConfig
from pydantic import BaseModel, Field

from veche_shared.service import run
from veche_shared.settings import VecheSettings

STREAM = "BENCHB1"


class VoteRequest(BaseModel):
    practice: str = Field(pattern=r"^[A-Za-z0-9_-]{1,64}$")


def build_app(nats_url: str) -> FastAPI:
    clients: list[Client] = []

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        nc = await nats.connect(nats_url)
        await nc.jetstream().add_stream(StreamConfig(name=STREAM, subjects=["bench.b1.>"], storage=StorageType.FILE))
        clients.append(nc)
        yield
        await nc.close()

    app = FastAPI(lifespan=lifespan)

    @app.post("/api/v1/contests/{contest}/nominations/{nomination}/votes", status_code=202)
    async def vote(contest: str, nomination: str, body: VoteRequest) -> dict[str, int]:
        ack = await clients[0].jetstream().publish(f"bench.b1.{contest}.{nomination}", body.model_dump_json().encode())
        return {"sequence": ack.seq}

    @app.get("/readyz")
    async def ready() -> dict[str, bool]:
        return {"ready": bool(clients)}

    return app


if __name__ == "__main__":
    port, url = int(sys.argv[1]), sys.argv[2]
    run(build_app(url), VecheSettings(http_port=port, log_level="WARNING"), "bench-b1")
