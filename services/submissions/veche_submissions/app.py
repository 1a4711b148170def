"""Assembly of the submissions service."""

from collections.abc import Callable
from contextlib import AsyncExitStack
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any

from fastapi import FastAPI
from faststream.nats import NatsBroker
from prometheus_client import CollectorRegistry
from pymongo import AsyncMongoClient

from veche_shared.audit import ServiceTrail, on_stream
from veche_shared.contracts.common import utcnow
from veche_shared.lifespan import Running
from veche_shared.mongo import ping
from veche_shared.service import (
    nats_connected,
    open_broker,
    open_mongo,
    service_app,
    service_broker,
    start_broker,
)
from veche_submissions import rpc
from veche_submissions.handlers import Submissions
from veche_submissions.leases import writer_leases
from veche_submissions.metrics import SubmissionsMetrics
from veche_submissions.outbox import OutboxRelay
from veche_submissions.repository import CatalogRepository
from veche_submissions.settings import SubmissionsSettings


@dataclass(frozen=True)
class SubmissionsState:
    broker: NatsBroker
    mongo: AsyncMongoClient[dict[str, Any]]


@dataclass(frozen=True)
class Ports:
    """What the submissions service takes from outside besides its settings; tests pass their own."""

    metrics: SubmissionsMetrics
    clock: Callable[[], datetime]


def build_app(
    settings: SubmissionsSettings, *, registry: CollectorRegistry | None = None, clock: Callable[[], datetime] = utcnow
) -> FastAPI:
    registry = registry or CollectorRegistry()
    broker = service_broker(settings, "submissions", registry)
    running = Running(partial(start, settings, broker, Ports(SubmissionsMetrics(registry), clock)))
    return service_app("submissions", broker, running, readiness, registry)


async def start(
    settings: SubmissionsSettings, broker: NatsBroker, ports: Ports, stack: AsyncExitStack
) -> SubmissionsState:
    mongo = open_mongo(stack, settings, "submissions")
    js = await open_broker(stack, broker, settings, "submissions")
    repo = CatalogRepository(mongo, settings.database, await writer_leases(js, settings))
    await repo.ensure_indexes()
    relay = OutboxRelay(repo, js, settings.outbox_scan_interval, ports.clock)
    trail = ServiceTrail(on_stream(js), "submissions", ports.clock)
    rpc.register(broker, Submissions(repo, relay, ports.clock, trail), ports.metrics.rpc, settings.operator_keys)
    await relay.sweep()  # events a crash left in outboxes go out before the first new write
    await start_broker(broker)
    relay.start()
    stack.push_async_callback(relay.stop)
    return SubmissionsState(broker, mongo)


async def readiness(state: SubmissionsState) -> dict[str, bool]:
    return {"nats": nats_connected(state.broker), "mongodb": await ping(state.mongo)}
