"""Fixtures for tests of one service against the real nats-server and database."""

from collections.abc import AsyncIterator

import pytest
from prometheus_client import CollectorRegistry

from veche_results.app import build_app
from veche_results.settings import ResultsSettings


@pytest.fixture
async def results(infra: dict[str, str], uid: str) -> AsyncIterator[ResultsSettings]:
    settings = ResultsSettings(
        nats_url=infra["nats_url"],
        mongodb_url=infra["mongodb_url"],
        database=f"results_{uid}",
        consumer=f"results-{uid}",
        live_interval=0.05,
    )
    app = build_app(settings, registry=CollectorRegistry())
    async with app.router.lifespan_context(app):
        yield settings
