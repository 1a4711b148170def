"""Assembly of the gateway: the only public HTTP surface."""

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from faststream.nats.prometheus import NatsPrometheusMiddleware
from prometheus_client import CollectorRegistry

from veche_gateway import (
    api_admin,
    api_admin_votes,
    api_audit,
    api_device,
    api_live,
    api_ops,
    api_public,
    api_results,
    audit,
    browser,
    errors,
    limits,
    middleware,
    pages,
)
from veche_gateway.clientaddr import ClientAddress
from veche_gateway.metrics import GatewayMetrics
from veche_gateway.resync import BoardResync
from veche_gateway.settings import GatewaySettings
from veche_shared.bus import connection, declare_streams, make_broker, require_server_version
from veche_shared.metrics import instrument_http
from veche_shared.service import nats_connected
from veche_shared.web import ops_router


def build_app(settings: GatewaySettings, *, registry: CollectorRegistry | None = None) -> FastAPI:
    registry = registry or CollectorRegistry()
    resync = BoardResync(settings.board_resync_seconds)
    broker = make_broker(settings, "gateway", on_reconnect=resync.after_reconnect)
    broker.add_middleware(NatsPrometheusMiddleware(registry=registry, app_name="gateway"))

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        await broker.start()
        require_server_version(connection(broker))
        await declare_streams(connection(broker).jetstream(), settings.stream_replicas, "gateway")  # AUDIT
        resync.start(app.state.live)
        try:
            yield
        finally:
            await resync.stop()
            await broker.stop()

    async def readiness() -> dict[str, bool]:
        return {"nats": nats_connected(broker)}

    app = FastAPI(
        title="Veche API",
        version="1",
        description="Public voting: contests, nominations, practices, live leaderboards, ballots.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.broker = broker
    app.state.metrics = GatewayMetrics(registry)
    app.state.started_at = time.monotonic()
    errors.install(app)
    limits.install(app, settings, app.state.metrics)
    browser.install(app, settings.cors_allow_origins)
    audit.install(app, app.state.metrics)  # inside the plumbing: the request id is known
    middleware.install(app, settings.max_body_bytes, ClientAddress(settings.trusted_proxies))
    api_live.install(app, settings)
    app.include_router(api_device.router)
    app.include_router(api_public.router)
    app.include_router(api_admin.router)
    app.include_router(api_results.public)
    app.include_router(api_results.admin)
    app.include_router(api_admin_votes.router)
    app.include_router(api_ops.router)
    app.include_router(api_audit.router)
    app.include_router(ops_router(readiness, None))  # /metrics: an internal listener (metrics_listener.py)
    pages.install(app)
    instrument_http(app, registry)
    return app
