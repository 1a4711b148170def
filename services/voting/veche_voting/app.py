"""Assembly of the voting service."""

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime

from fastapi import FastAPI
from faststream.nats.prometheus import NatsPrometheusMiddleware
from prometheus_client import CollectorRegistry

from veche_shared.bus import connection, make_broker
from veche_shared.catalog_snapshot import load_snapshot
from veche_shared.catalog_view import CatalogFollower, CatalogView
from veche_shared.contracts.common import utcnow
from veche_shared.metrics import RpcMetrics, instrument_http
from veche_shared.service import connect_broker, nats_connected, start_broker
from veche_shared.status import install_health
from veche_voting import rpc
from veche_voting.annulments import Annulments
from veche_voting.handlers import Voting
from veche_voting.identity import Identity
from veche_voting.ledger import Ledger
from veche_voting.metrics import VotingMetrics
from veche_voting.settings import VotingSettings


def build_app(
    settings: VotingSettings, *, registry: CollectorRegistry | None = None, clock: Callable[[], datetime] = utcnow
) -> FastAPI:
    registry = registry or CollectorRegistry()
    broker = make_broker(settings, "voting")
    broker.add_middleware(NatsPrometheusMiddleware(registry=registry, app_name="voting"))
    metrics = VotingMetrics(registry)
    rpc_metrics = RpcMetrics(registry, "voting")
    identity = Identity(settings)  # reads key files now: a bad key stops the start, not the first vote
    followers: list[CatalogFollower] = []

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        js = await connect_broker(broker, settings, "voting")
        view = CatalogView()
        follower = CatalogFollower(js, view)
        followers.append(follower)
        await follower.start(await load_snapshot(connection(broker), view, settings.rpc_timeout))
        ledger = Ledger(js, settings.publish_timeout, metrics)
        voting = Voting(view, ledger, identity, metrics, clock)
        rpc.register(broker, Annulments(ledger, metrics, settings.operator_keys, clock), rpc_metrics)
        await follower.wait_caught_up(settings.catalog_timeout)
        voters = await rpc.serve_voters(connection(broker), voting, settings.max_in_flight, rpc_metrics)
        await start_broker(broker)
        try:
            yield
        finally:
            for subscription in voters:
                await subscription.drain()  # type: ignore[no-untyped-call]  # nats-py leaves it untyped
            await follower.stop()
            await broker.stop()

    async def readiness() -> dict[str, bool]:
        return {
            "nats": nats_connected(broker),
            "catalog": bool(followers) and followers[-1].caught_up,
        }

    app = FastAPI(title="Veche voting", lifespan=lifespan)
    install_health(app, broker, "voting", readiness, registry)
    instrument_http(app, registry)
    return app
