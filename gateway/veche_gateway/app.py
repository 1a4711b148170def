"""Assembly of the gateway: the only public HTTP surface."""

import time
from contextlib import AsyncExitStack
from functools import partial

from fastapi import FastAPI
from prometheus_client import CollectorRegistry

from veche_gateway import (
    api_admin,
    api_admin_reads,
    api_admin_votes,
    api_audit,
    api_console_signin,
    api_device,
    api_exports,
    api_invitations,
    api_live,
    api_log,
    api_municipalities,
    api_ops,
    api_public,
    api_representatives,
    api_results,
    api_signin,
    audit,
    bodylimit,
    browser,
    compression,
    errors,
    fastlane,
    head,
    identity,
    limits,
    middleware,
    openapi,
    operator_gate,
    pages,
    practice_page,
    representative_gate,
)
from veche_gateway.assets import Assets
from veche_gateway.clientaddr import ClientAddress
from veche_gateway.metrics import GatewayMetrics
from veche_gateway.ratelimit import TokenBuckets
from veche_gateway.resync import BoardResync
from veche_gateway.settings import GatewaySettings
from veche_gateway.sse import Connections
from veche_gateway.state import Gateway, Opened
from veche_shared.bus import connection, declare_streams, require_server_version
from veche_shared.lifespan import Running
from veche_shared.metrics import instrument_http
from veche_shared.service import nats_connected, service_broker
from veche_shared.web import ops_router

DESCRIPTION = "Public voting: contests, nominations, practices, live leaderboards, ballots."
ROUTERS = (
    api_device.router,
    api_signin.router,
    api_public.router,
    api_admin.router,
    api_admin_reads.router,
    api_municipalities.router,
    api_results.public,
    api_results.admin,
    api_log.router,
    api_admin_votes.router,
    api_exports.router,
    api_ops.router,
    api_audit.router,
    api_invitations.router,
    api_representatives.router,
    api_console_signin.api,
    api_console_signin.pages,
)


def build_app(settings: GatewaySettings, *, registry: CollectorRegistry | None = None) -> FastAPI:
    registry = registry or CollectorRegistry()
    resync = BoardResync(settings.board_resync_seconds)
    broker = service_broker(settings, "gateway", registry, on_reconnect=resync.after_reconnect)
    boards, streams = api_live.boards(broker, settings), Connections(settings.sse_max_per_ip)
    state = Gateway(settings, broker, GatewayMetrics(registry), boards, streams, time.monotonic())
    running = Running(partial(start, state, resync))
    app = FastAPI(
        title="Veche API", version="1", description=DESCRIPTION, lifespan=running.lifespan,
        docs_url=None, redoc_url=None, swagger_ui_oauth2_redirect_url=None,  # their pages load from a CDN: openapi.py
    )  # fmt: skip
    app.state.gateway, app.state.running = state, running  # read typed by veche_gateway.state
    install(app, state)
    app.include_router(ops_router(running.readiness(readiness), None))  # /metrics: an internal listener
    openapi.install(app)
    instrument_http(app, registry)
    return app


def install(app: FastAPI, state: Gateway) -> None:
    """Middlewares (each one concept, plain ASGI; the last one added sees the request first), then routes."""
    settings = state.settings
    fastlane.install(app, state)  # innermost: every middleware below wraps the lean vote and read
    errors.install(app)
    head.install(app)
    limits.install(app, settings, state.metrics)
    failed_keys = TokenBuckets(settings.rate_operator_key_failures)  # operators' and representatives' alike
    operator_gate.install(app, settings, state.metrics, failed_keys)
    representative_gate.install(app, state, failed_keys)
    bodylimit.install(app, settings.max_body_bytes, {api_municipalities.IMPORT_PATH: settings.max_import_bytes})
    audit.install(app, state.broker, state.metrics)  # inside the plumbing: request id and client are known
    browser.install(app, settings.cors_allow_origins)
    middleware.install(app, ClientAddress(settings.trusted_proxies))
    compression.install(app)
    api_live.install(app, state)
    for router in ROUTERS:
        app.include_router(router)
    assets = Assets(pages.WEB)
    practice_page.install(app, assets)
    pages.install(app, assets)


async def start(state: Gateway, resync: BoardResync, stack: AsyncExitStack) -> Opened:
    stack.push_async_callback(state.broker.stop)
    await state.broker.start()
    require_server_version(connection(state.broker))
    await declare_streams(connection(state.broker).jetstream(), state.settings.stream_replicas, "gateway")  # AUDIT
    resync.start(state.boards)
    stack.push_async_callback(resync.stop)
    issue_limits = await identity.issue_limits(connection(state.broker).jetstream(), state.settings)
    return Opened(state, issue_limits, await identity.oidc_client(stack, state.settings))


async def readiness(running: Opened) -> dict[str, bool]:
    return {"nats": nats_connected(running.gateway.broker)}
