"""Services in-process against the real nats-server and database, one database per test."""

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from functools import partial
from typing import Any

import pytest
from nats.aio.client import Client
from prometheus_client import CollectorRegistry
from pymongo import AsyncMongoClient

from tests.integration.audit_helpers import FullTrail
from tests.provisioning import provision_bus
from tests.submissions_helpers import Service
from veche_dev.eventually import eventually
from veche_results.app import build_app as build_results_app
from veche_results.settings import ResultsSettings
from veche_shared.contracts.common import Empty
from veche_shared.errors import ServiceUnavailable
from veche_shared.operations import submissions as ops
from veche_submissions.app import build_app
from veche_submissions.settings import SubmissionsSettings


def service_settings(infra: dict[str, str], uid: str) -> SubmissionsSettings:
    return SubmissionsSettings(
        nats_url=infra["nats_url"], mongodb_url=infra["mongodb_url"], database=f"sub_{uid}", outbox_scan_interval=0.2
    )


@pytest.fixture
async def mongo(infra: dict[str, str]) -> AsyncIterator[AsyncMongoClient[dict[str, Any]]]:
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(infra["mongodb_url"], tz_aware=True)
    yield client
    await client.close()


@pytest.fixture
def settings(infra: dict[str, str], uid: str) -> SubmissionsSettings:
    return service_settings(infra, uid)


@pytest.fixture
async def client(settings: SubmissionsSettings, nc: Client, mongo: AsyncMongoClient[dict[str, Any]]) -> Service:
    """Talks to whatever submissions service runs; the database is the test's own."""
    return Service(settings, nc, mongo[settings.database])


@asynccontextmanager
async def running(settings: SubmissionsSettings) -> AsyncIterator[None]:
    """The service in this process, from start (including its outbox sweep) to a clean stop."""
    app = build_app(settings)
    async with app.router.lifespan_context(app):
        yield


@pytest.fixture
def start() -> Callable[[SubmissionsSettings], AbstractAsyncContextManager[None]]:
    """`async with start(settings):` runs one life of the service in this process."""
    return running


@pytest.fixture
async def service(client: Service) -> AsyncIterator[Service]:
    async with running(client.settings):
        # Seen under load (nats-server 2.15.1): the first request from another connection right after the start,
        # although the service flushed its subscriptions, can still get "no responders" for some milliseconds.
        answered = partial(client.ask, ops.CONTEST_LIST, Empty())
        await eventually(answered, lambda _: True, what="the service answers", ignoring=(ServiceUnavailable,))
        yield client


@pytest.fixture
async def results(infra: dict[str, str], uid: str) -> AsyncIterator[ResultsSettings]:
    """The results service in-process with its own database and consumer."""
    settings = ResultsSettings(
        nats_url=infra["nats_url"],
        mongodb_url=infra["mongodb_url"],
        database=f"results_{uid}",
        consumer=f"results-{uid}",
        live_interval=0.05,
    )
    await provision_bus(infra["harness_url"], settings)
    app = build_results_app(settings, registry=CollectorRegistry())
    async with app.router.lifespan_context(app):
        yield settings


@pytest.fixture
async def full_trail(nc: Client) -> AsyncIterator[FullTrail]:
    """Stream AUDIT, to be filled by the test (every append refused); restored afterwards whatever happens."""
    trail = FullTrail(nc)
    yield trail
    await trail.restore()
