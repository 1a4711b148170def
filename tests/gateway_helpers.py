"""The gateway in the test's own process: build_app, its lifespan, and an httpx client over ASGI (no port).

Every test module that talks to an in-process gateway opens it here, so there is one way to do it."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx
from fastapi import FastAPI
from prometheus_client import CollectorRegistry

from veche_gateway.app import build_app
from veche_gateway.settings import GatewaySettings


@dataclass(frozen=True)
class InProcessGateway:
    app: FastAPI
    client: httpx.AsyncClient
    registry: CollectorRegistry


@asynccontextmanager
async def in_process_gateway(
    settings: GatewaySettings, *, base_url: str = "http://gw", started: bool = True, **build: Any
) -> AsyncIterator[InProcessGateway]:
    """A running gateway (its lifespan entered unless started=False) and a client whose base is base_url."""
    registry = build.pop("registry", None) or CollectorRegistry()
    app = build_app(settings, registry=registry, **build)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url=base_url) as client:
        if not started:
            yield InProcessGateway(app, client, registry)
            return
        async with app.router.lifespan_context(app):
            yield InProcessGateway(app, client, registry)


def ok(answer: httpx.Response, status: int = 200) -> Any:
    """The JSON of an answer that must have this status (the body is in the failure message otherwise)."""
    assert answer.status_code == status, answer.text
    return answer.json()


def refused(answer: httpx.Response, status: int, code: str) -> None:
    """The answer is a problem document with this status and code."""
    assert (answer.status_code, answer.json()["code"]) == (status, code), answer.text
