"""Assembly of the results service."""

from collections.abc import Callable
from contextlib import AsyncExitStack
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from fastapi import FastAPI
from faststream.nats import NatsBroker
from nats.js import JetStreamContext
from prometheus_client import CollectorRegistry
from pymongo import AsyncMongoClient

from veche_results import rpc
from veche_results.certifier import Certificates, Certifier
from veche_results.checkpoints import Checkpointer, CheckpointHistory
from veche_results.export import StreamLedger
from veche_results.export_pages import ballot_page
from veche_results.handlers import Results
from veche_results.ledger_watch import LedgerWatch
from veche_results.live import BusBoards, LivePublisher
from veche_results.metrics import ResultsMetrics
from veche_results.partitions import all_applied_through, contest_partition, writes, written_ledger_partitions
from veche_results.ports import Tallies
from veche_results.projection import Projection
from veche_results.recount import recount
from veche_results.repository import TallyRepository
from veche_results.retention import retention
from veche_results.sealing import BoardSealer
from veche_results.settings import ResultsSettings
from veche_results.tlog_store import LogStore
from veche_results.transparency import Transparency
from veche_shared.bus import connection
from veche_shared.catalog_snapshot import load_snapshot
from veche_shared.catalog_view import CatalogFollower, CatalogView
from veche_shared.contracts.catalog import CatalogEvent, ContestEvent, NominationEvent, Phase, PracticeEvent
from veche_shared.contracts.common import utcnow
from veche_shared.lifespan import Running
from veche_shared.mongo import ping
from veche_shared.periodic import Periodic
from veche_shared.service import (
    nats_connected,
    open_broker,
    open_mongo,
    service_app,
    service_broker,
    start_broker,
)

THIN_EVERY = 600.0  # seconds between thinnings of the checkpoint history (docs/adr/0018-checkpoint-history-thinning.md)


@dataclass(frozen=True)
class ResultsState:
    broker: NatsBroker
    mongo: AsyncMongoClient[dict[str, Any]]
    follower: CatalogFollower


@dataclass(frozen=True)
class Parts:
    """The service's objects, wired without I/O; each is made before the ones that use it."""

    view: CatalogView
    repo: Tallies
    results: Results
    live: LivePublisher
    projection: Projection
    certifier: Certifier
    watch: LedgerWatch
    follower: CatalogFollower
    logs: LogStore
    checkpointer: Checkpointer
    transparency: Transparency


@dataclass(frozen=True)
class Ports:
    """What the results service takes from outside besides its settings; tests pass their own."""

    metrics: ResultsMetrics
    clock: Callable[[], datetime]


def build_app(
    settings: ResultsSettings, *, registry: CollectorRegistry | None = None, clock: Callable[[], datetime] = utcnow
) -> FastAPI:
    registry = registry or CollectorRegistry()
    broker = service_broker(settings, "results", registry)
    running = Running(partial(start, settings, broker, Ports(ResultsMetrics(registry), clock)))
    return service_app("results", broker, running, readiness, registry, settings.my_partitions())


async def start(settings: ResultsSettings, broker: NatsBroker, ports: Ports, stack: AsyncExitStack) -> ResultsState:
    mongo = open_mongo(stack, settings, "results")
    repo = TallyRepository(mongo, settings.database)
    await repo.ensure_indexes()
    js = await open_broker(stack, broker, settings, "results")
    parts = wire(settings, js, mongo, repo, broker, ports)
    await parts.logs.ensure_indexes()
    await parts.checkpointer.history.ensure_indexes()
    owned = written_ledger_partitions(settings)
    rpc.register(broker, parts.results, parts.watch, parts.transparency, ports.metrics.rpc, owned)
    stack.push_async_callback(parts.certifier.stop)  # from here on the follower may schedule certifications
    stack.push_async_callback(parts.follower.stop)
    await parts.follower.start(await load_snapshot(connection(broker), parts.view, settings.rpc_timeout))
    await parts.follower.wait_caught_up(settings.catalog_timeout)
    await start_broker(broker)
    await start_background(settings, parts, ports.clock, stack)
    return ResultsState(broker, mongo, parts.follower)


def wire(
    settings: ResultsSettings,
    js: JetStreamContext,
    mongo: AsyncMongoClient[dict[str, Any]],
    repo: Tallies,
    broker: NatsBroker,
    ports: Ports,
) -> Parts:
    view = CatalogView()
    certificates = Certificates(mongo, settings.database)
    recounter = partial(recount, js, mongo, settings.database)
    logs = LogStore(mongo, settings.database)
    sealer = BoardSealer(logs, settings.log_signer(), partial(writes, settings))
    results = Results(
        view, repo, BusBoards(broker), certificates, recounter, partial(ballot_page, js), ports.clock, sealer
    )
    live = LivePublisher(results.publish_live, settings.live_interval)
    history = CheckpointHistory(mongo, settings.database)
    checkpointer = Checkpointer(logs, history, settings.log_signer(), settings.log_origin, ports.clock)
    projection = Projection(js, repo, settings, ports.metrics, live.mark, ports.clock, logs)
    applied = partial(all_applied_through, js, settings)
    certifier = Certifier(StreamLedger(js), certificates, repo, applied, ports.clock, view, checkpointer.final)
    watch = LedgerWatch(js, ports.metrics, settings, projection.reads)
    follower = CatalogFollower(js, view, catalog_reactions(view, live, certifier))
    transparency = Transparency(view, logs, history, settings.witnesses(), ports.clock)
    return Parts(view, repo, results, live, projection, certifier, watch, follower, logs, checkpointer, transparency)


async def start_background(
    settings: ResultsSettings, parts: Parts, clock: Callable[[], datetime], stack: AsyncExitStack
) -> None:
    """Projection, live snapshots, retention of per-minute buckets, the lag gauge and pending certifications."""
    stack.push_async_callback(parts.projection.stop)
    await parts.projection.start()
    # A process that died between writing a batch and publishing it left gateways with older boards: every
    # board of this process's partitions is published once at start.
    owned = set(parts.projection.partitions)
    parts.live.mark({k for k in parts.view.nominations if contest_partition(k[0], settings.partitions) in owned})
    parts.live.start()
    stack.push_async_callback(parts.live.stop)
    keep_all = timedelta(minutes=settings.checkpoint_keep_all_minutes)
    for periodic in (
        retention(parts.repo, settings.minutes_retention_hours, clock),
        Periodic("projector-lag", settings.lag_interval, parts.watch.sample, first_wait=False),
        Periodic("log-checkpoints", settings.checkpoint_interval, parts.checkpointer.sign_due, first_wait=True),
        Periodic("log-thinning", THIN_EVERY, partial(parts.checkpointer.thin_all, keep_all), first_wait=True),
    ):
        periodic.start()
        stack.push_async_callback(periodic.stop)
    for contest in parts.view.contests.values():
        if contest.phase == Phase.results_published:
            parts.certifier.schedule(contest.id)


def catalog_reactions(view: CatalogView, live: LivePublisher, certifier: Certifier) -> Callable[[CatalogEvent], None]:
    """What a catalog change does here: boards it may reveal or hide are re-published; publication certifies."""

    def on_catalog(event: CatalogEvent) -> None:
        if isinstance(event, ContestEvent):
            live.mark({key for key in view.nominations if key[0] == event.contest.id})
            if event.contest.phase == Phase.results_published:
                certifier.schedule(event.contest.id)
        elif isinstance(event, PracticeEvent):
            live.mark({(event.practice.contest, event.practice.nomination)})
        elif isinstance(event, NominationEvent):
            live.mark({(event.nomination.contest, event.nomination.id)})

    return on_catalog


async def readiness(state: ResultsState) -> dict[str, bool]:
    return {
        "nats": nats_connected(state.broker),
        "mongodb": await ping(state.mongo),
        "catalog": state.follower.caught_up,
    }
