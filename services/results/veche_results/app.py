"""Assembly of the results service."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import partial

from fastapi import FastAPI
from faststream.nats.prometheus import NatsPrometheusMiddleware
from prometheus_client import CollectorRegistry

from veche_results import rpc
from veche_results.certifier import Certifier
from veche_results.handlers import Results
from veche_results.ledger_watch import LedgerWatch
from veche_results.live import LivePublisher
from veche_results.metrics import ResultsMetrics
from veche_results.projector import Projector, nomination_partition
from veche_results.recount import recount
from veche_results.repository import TallyRepository
from veche_results.retention import retention
from veche_results.settings import ResultsSettings
from veche_shared.bus import connection, make_broker
from veche_shared.catalog_snapshot import load_snapshot
from veche_shared.catalog_view import CatalogFollower, CatalogView
from veche_shared.contracts.catalog import CatalogEvent, ContestEvent, NominationEvent, Phase, PracticeEvent
from veche_shared.metrics import RpcMetrics, instrument_http
from veche_shared.mongo import make_mongo, ping
from veche_shared.periodic import Periodic
from veche_shared.service import connect_broker, nats_connected, start_broker
from veche_shared.status import install_health


def build_app(settings: ResultsSettings, *, registry: CollectorRegistry | None = None) -> FastAPI:
    registry = registry or CollectorRegistry()
    metrics = ResultsMetrics(registry)
    rpc_metrics = RpcMetrics(registry, "results")
    broker = make_broker(settings, "results")
    broker.add_middleware(NatsPrometheusMiddleware(registry=registry, app_name="results"))
    parts: dict[str, object] = {}

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        mongo = make_mongo(settings.mongodb_url, "results")
        repo = TallyRepository(mongo, settings.database)
        await repo.ensure_indexes()
        js = await connect_broker(broker, settings, "results")
        view = CatalogView()

        def lowest() -> int:
            return min(p.applied_seq for p in projectors)

        certifier = Certifier(js, mongo, settings.database, repo, lowest)
        results = Results(view, repo, broker, certifier, partial(recount, js, mongo, settings.database))
        live = LivePublisher(results.publish_live, settings.live_interval)

        def on_catalog(event: CatalogEvent) -> None:
            if isinstance(event, ContestEvent):  # a phase or visibility change can reveal or hide numbers
                live.mark({key for key in view.nominations if key[0] == event.contest.id})
                if event.contest.phase == Phase.results_published:
                    certifier.schedule(event.contest.id)
            elif isinstance(event, PracticeEvent):
                live.mark({(event.practice.contest, event.practice.nomination)})
            elif isinstance(event, NominationEvent):
                live.mark({(event.nomination.contest, event.nomination.id)})

        follower = CatalogFollower(js, view, on_catalog)
        projectors = [Projector(js, repo, settings, metrics, live.mark, p) for p in settings.my_partitions()]
        parts.update(follower=follower, mongo=mongo)
        watch = LedgerWatch(js, metrics, lowest, settings.consumer)
        rpc.register(broker, results, watch, rpc_metrics)
        await follower.start(await load_snapshot(connection(broker), view, settings.rpc_timeout))
        await follower.wait_caught_up(settings.catalog_timeout)
        await start_broker(broker)
        for projector in projectors:
            await projector.start()
        # A process that died between writing a batch and publishing it left gateways with older boards: every
        # board of this process's partitions is published once at start.
        owned = set(settings.my_partitions())
        live.mark({k for k in view.nominations if nomination_partition(*k, settings.partitions) in owned})
        live.start()
        pruning = retention(repo, settings.minutes_retention_hours)
        pruning.start()

        ledger_watch = Periodic("projector-lag", settings.lag_interval, watch.sample, first_wait=False)
        ledger_watch.start()
        for contest in view.contests.values():
            if contest.phase == Phase.results_published:
                certifier.schedule(contest.id)
        try:
            yield
        finally:
            await ledger_watch.stop()
            await pruning.stop()
            await certifier.stop()
            await live.stop()
            for projector in projectors:
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
    install_health(app, broker, "results", readiness, registry)
    instrument_http(app, registry)
    return app
