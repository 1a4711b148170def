"""Assembly of the results service."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from faststream.nats.prometheus import NatsPrometheusMiddleware
from prometheus_client import CollectorRegistry

from veche_results import rpc
from veche_results.handlers import Results
from veche_results.live import LivePublisher
from veche_results.metrics import ResultsMetrics
from veche_results.projector import Projector
from veche_results.repository import TallyRepository
from veche_results.settings import ResultsSettings
from veche_shared.bus import make_broker
from veche_shared.catalog_view import CatalogFollower, CatalogView
from veche_shared.contracts.catalog import CatalogEvent, NominationEvent, PracticeEvent
from veche_shared.metrics import RpcMetrics, instrument_http
from veche_shared.mongo import make_mongo, ping
from veche_shared.service import connect_broker, nats_connected
from veche_shared.web import ops_router


def build_app(settings: ResultsSettings, *, registry: CollectorRegistry | None = None) -> FastAPI:
    registry = registry or CollectorRegistry()
    rpc_metrics = RpcMetrics(registry, "results")
    metrics = ResultsMetrics(registry)
    broker = make_broker(settings, "results")
    broker.add_middleware(NatsPrometheusMiddleware(registry=registry, app_name="results"))
    parts: dict[str, object] = {}

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        mongo = make_mongo(settings.mongodb_url, "results")
        repo = TallyRepository(mongo, settings.database)
        await repo.ensure_indexes()
        js = await connect_broker(broker, settings)
        view = CatalogView()
        results = Results(view, repo, broker)
        live = LivePublisher(results.publish_live, settings.live_interval)

        def on_catalog(event: CatalogEvent) -> None:
            if isinstance(event, PracticeEvent):
                live.mark({(event.practice.contest, event.practice.nomination)})
            elif isinstance(event, NominationEvent):
                live.mark({(event.nomination.contest, event.nomination.id)})

        follower = CatalogFollower(js, view, on_catalog)
        projector = Projector(js, repo, settings, metrics, live.mark)
        parts.update(follower=follower, mongo=mongo)
        rpc.register(broker, results, rpc_metrics)
        await follower.start()
        await follower.wait_caught_up(settings.catalog_timeout)
        await broker.start()
        await projector.start()
        live.start()
        try:
            yield
        finally:
            await live.stop()
            await projector.stop()
            await follower.stop()
            await broker.stop()
            await mongo.close()

    async def readiness() -> dict[str, bool]:
        follower = parts.get("follower")
        mongo = parts.get("mongo")
        return {
            "nats": nats_connected(broker),
            "mongodb": mongo is not None and await ping(mongo),  # type: ignore[arg-type]
            "catalog": isinstance(follower, CatalogFollower) and follower.caught_up,
        }

    app = FastAPI(title="Veche results", lifespan=lifespan)
    app.include_router(ops_router(readiness, registry))
    instrument_http(app, registry)
    return app
