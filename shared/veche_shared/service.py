"""What every service process shares: its broker, its app with health and metrics, the uvicorn runner."""

import logging
from collections.abc import Awaitable, Callable
from contextlib import AsyncExitStack
from typing import Any, TypeVar

import uvicorn
from fastapi import FastAPI
from faststream.nats import NatsBroker
from faststream.nats.prometheus import NatsPrometheusMiddleware
from nats.js import JetStreamContext
from prometheus_client import CollectorRegistry
from pymongo import AsyncMongoClient

from veche_shared.bus import connection, make_broker, require_server_version, require_streams
from veche_shared.lifespan import Running
from veche_shared.logs import setup_logging
from veche_shared.metrics import instrument_http
from veche_shared.mongo import make_mongo
from veche_shared.settings import VecheSettings
from veche_shared.status import install_health

State = TypeVar("State")

log = logging.getLogger("veche.service")


def service_broker(
    settings: VecheSettings,
    service: str,
    registry: CollectorRegistry,
    *,
    on_reconnect: Callable[[], Awaitable[None]] | None = None,
) -> NatsBroker:
    """The process's NATS broker (not connected yet), its handlers timed into registry."""
    broker = make_broker(settings, service, on_reconnect=on_reconnect)
    broker.add_middleware(NatsPrometheusMiddleware(registry=registry, app_name=service))
    return broker


def service_app(
    service: str,
    broker: NatsBroker,
    running: Running[State],
    checks: Callable[[State], Awaitable[dict[str, bool]]],
    registry: CollectorRegistry,
    partitions: list[int] | None = None,
) -> FastAPI:
    """A service's HTTP side: its lifespan, /healthz, /readyz, /metrics and its status over NATS (with the
    results partitions it projects, for results)."""
    app = FastAPI(title=f"Veche {service}", lifespan=running.lifespan)
    install_health(app, broker, service, running.readiness(checks), registry, partitions)
    instrument_http(app, registry)
    return app


async def connect_broker(broker: NatsBroker, settings: VecheSettings, service: str) -> JetStreamContext:
    """Connect and check that service's streams exist; register subscribers after this, then start the broker."""
    await broker.connect()
    require_server_version(connection(broker))
    js = connection(broker).jetstream()
    await require_streams(js, service)  # declared by `veche provision`, not by a runtime identity
    return js


async def start_broker(broker: NatsBroker) -> None:
    """Start the subscribers and wait until the server has them, so a request right after start is answered."""
    await broker.start()
    await connection(broker).flush()


async def open_broker(
    stack: AsyncExitStack, broker: NatsBroker, settings: VecheSettings, service: str
) -> JetStreamContext:
    """connect_broker, with the broker's stop on the stack (it is safe even if connecting failed)."""
    stack.push_async_callback(broker.stop)
    return await connect_broker(broker, settings, service)


def open_mongo(stack: AsyncExitStack, settings: VecheSettings, app_name: str) -> AsyncMongoClient[dict[str, Any]]:
    """The MongoDB client (it connects on first use), closed when the stack unwinds."""
    mongo = make_mongo(settings.mongodb_url, app_name)
    stack.push_async_callback(mongo.close)
    return mongo


def nats_connected(broker: NatsBroker) -> bool:
    try:
        return connection(broker).is_connected
    except RuntimeError:
        return False


def run(app: FastAPI, settings: VecheSettings, service: str) -> None:
    """Serve one process: JSON logs, uvicorn on the configured address, graceful stop on SIGTERM.

    uvloop and the httptools parser, named rather than left to uvicorn's "auto" so that a missing one fails at
    start instead of quietly falling back to asyncio and the pure-Python h11 (bench/README.md: h11 was 14% of
    the gateway's CPU under vote load). The baselines B1 and B3 of bench/ are served by this same function."""
    setup_logging(service, settings.log_level)
    uvicorn.run(
        app,
        host=settings.http_host,
        port=settings.http_port,
        loop="uvloop",
        http="httptools",
        log_config=None,
        access_log=False,
        proxy_headers=False,  # the gateway reads X-Forwarded-For itself, only from its trusted_proxies
        timeout_graceful_shutdown=5,
    )
