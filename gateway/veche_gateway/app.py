"""Assembly of the gateway: the only public HTTP surface."""

import time
from collections.abc import Callable
from contextlib import AsyncExitStack
from datetime import datetime
from functools import partial

from fastapi import FastAPI
from prometheus_client import CollectorRegistry

from veche_gateway import contest_list, contest_page, errors, pages, practice_page, results_page
from veche_gateway.api import openapi
from veche_gateway.api.routes import device, live, log, photos, protocol, public, representatives, results, signin
from veche_gateway.api.routes.admin import audit, contests, exports, invitations, municipalities, ops, reads, votes
from veche_gateway.api.routes.admin import roll as voter_roll
from veche_gateway.api.routes.admin import signin as console_signin
from veche_gateway.assets import Assets
from veche_gateway.auth import openid_client
from veche_gateway.auth.issue_limits import open_issue_limits
from veche_gateway.live.boards import from_results, subscribe
from veche_gateway.live.resync import BoardResync
from veche_gateway.live.sse import Connections
from veche_gateway.metrics import GatewayMetrics
from veche_gateway.middleware.stack import middlewares
from veche_gateway.settings import GatewaySettings
from veche_gateway.state import Gateway, Opened
from veche_shared.contracts.common import utcnow
from veche_shared.lifespan import Running
from veche_shared.metrics import instrument_http
from veche_shared.service import nats_connected, open_broker, service_broker, start_broker
from veche_shared.web import ops_router

DESCRIPTION = "Public voting: contests, nominations, practices, live leaderboards, ballots."
ROUTERS = (
    live.router,
    device.router,
    signin.router,
    public.router,
    contests.router,
    reads.router,
    municipalities.router,
    results.public,
    results.admin,
    log.router,
    votes.router,
    voter_roll.router,
    exports.router,
    protocol.admin,
    protocol.public,
    ops.router,
    ops.platform,
    audit.router,
    invitations.router,
    representatives.router,
    photos.public,
    photos.moderation,
    photos.representatives,
    console_signin.api,
    console_signin.pages,
)


def build_app(
    settings: GatewaySettings, *, registry: CollectorRegistry | None = None, clock: Callable[[], datetime] = utcnow
) -> FastAPI:
    registry = registry or CollectorRegistry()
    resync = BoardResync(settings.board_resync_seconds)
    broker = service_broker(settings, "gateway", registry, on_reconnect=resync.after_reconnect)
    boards = from_results(broker, settings.rpc_timeout, settings.sse_heartbeat_seconds, settings.log_verifier())
    streams = Connections(settings.sse_max_per_ip, settings.sse_max_total)
    state = Gateway(settings, broker, GatewayMetrics(registry), boards, streams, time.monotonic(), clock)
    running = Running(partial(start, state, resync))
    app = FastAPI(
        title="Veche API", version="1", description=DESCRIPTION, lifespan=running.lifespan,
        docs_url=None, redoc_url=None, swagger_ui_oauth2_redirect_url=None,  # their pages load from a CDN: openapi.py
        middleware=middlewares(state),  # veche_gateway.middleware.stack: the order, once, with why
    )  # fmt: skip
    app.state.gateway, app.state.running = state, running  # read typed by veche_gateway.state
    install(app, state)
    app.include_router(ops_router(running.readiness(readiness), None))  # /metrics: an internal listener
    openapi.install(app)
    instrument_http(app, registry)
    return app


def install(app: FastAPI, state: Gateway) -> None:
    """The routes, the exception handlers and the live boards' subscription (the middlewares came with FastAPI())."""
    errors.install(app)
    state.metrics.sse_clients.set_function(state.streams.total)
    subscribe(state.broker, state.boards)  # keep the boards current from live.leaderboard.>
    for router in ROUTERS:
        app.include_router(router)
    assets = Assets(pages.WEB)
    practice_page.install(app, assets)
    results_page.install(app, assets)
    pages.install(app, assets)
    contest_page.install(app, assets)  # /{lang}/contests/...: after the pages' own addresses
    contest_list.install(app, assets)  # /{lang}/: after every other route


async def start(state: Gateway, resync: BoardResync, stack: AsyncExitStack) -> Opened:
    """The services' bootstrap order: connect, check the server and the streams (AUDIT, made by `veche provision`),
    then start the subscribers (the live boards') and wait until the server has them."""
    js = await open_broker(stack, state.broker, state.settings, "gateway")
    await start_broker(state.broker)
    resync.start(state.boards)
    stack.push_async_callback(resync.stop)
    limits = await open_issue_limits(js, state.settings, state.clock)
    return Opened(state, limits, await openid_client.oidc_client(stack, state.settings))


async def readiness(running: Opened) -> dict[str, bool]:
    return {"nats": nats_connected(running.gateway.broker)}
