"""Assembly of the submissions service."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from faststream.nats.prometheus import NatsPrometheusMiddleware
from prometheus_client import CollectorRegistry

from veche_shared.bus import make_broker
from veche_shared.metrics import RpcMetrics, instrument_http
from veche_shared.mongo import make_mongo, ping
from veche_shared.service import connect_broker, nats_connected, start_broker
from veche_shared.status import install_health
from veche_submissions import rpc
from veche_submissions.handlers import Submissions
from veche_submissions.outbox import OutboxRelay
from veche_submissions.repository import CatalogRepository
from veche_submissions.settings import SubmissionsSettings


def build_app(settings: SubmissionsSettings, *, registry: CollectorRegistry | None = None) -> FastAPI:
    registry = registry or CollectorRegistry()
    rpc_metrics = RpcMetrics(registry, "submissions")
    broker = make_broker(settings, "submissions")
    broker.add_middleware(NatsPrometheusMiddleware(registry=registry, app_name="submissions"))
    running: dict[str, Submissions] = {}

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        mongo = make_mongo(settings.mongodb_url, "submissions")
        repo = CatalogRepository(mongo, settings.database)
        await repo.ensure_indexes()
        js = await connect_broker(broker, settings, "submissions")
        relay = OutboxRelay(repo, js, settings.outbox_scan_interval)
        running["app"] = Submissions(repo, relay)
        rpc.register(broker, running["app"], rpc_metrics)
        await relay.sweep()
        await start_broker(broker)
        relay.start()
        try:
            yield
        finally:
            await relay.stop()
            await broker.stop()
            await mongo.close()

    async def readiness() -> dict[str, bool]:
        submissions = running.get("app")
        return {
            "nats": nats_connected(broker),
            "mongodb": submissions is not None and await ping(submissions.repo.client),
        }

    app = FastAPI(title="Veche submissions", lifespan=lifespan)
    install_health(app, broker, "submissions", readiness, registry)
    instrument_http(app, registry)
    return app
