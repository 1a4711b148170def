"""The results service's metrics against the real nats-server: RPC RED, lag, freshness, batches."""

from collections.abc import AsyncIterator

import pytest
from nats.aio.client import Client
from prometheus_client import CollectorRegistry

from tests.integration.results_helpers import cast, seed_catalog
from tests.provisioning import provision_bus
from veche_dev.eventually import eventually
from veche_results.app import build_app
from veche_results.settings import ResultsSettings
from veche_shared.contracts.catalog import Visibility
from veche_shared.contracts.results import LeaderboardQuery
from veche_shared.errors import DomainError
from veche_shared.operations import results as results_ops
from veche_shared.rpc import call


@pytest.fixture
async def registry(infra: dict[str, str], uid: str) -> AsyncIterator[CollectorRegistry]:
    registry = CollectorRegistry()
    settings = ResultsSettings(
        nats_url=infra["nats_url"],
        mongodb_url=infra["mongodb_url"],
        database=f"results_{uid}",
        consumer=f"results-{uid}",
        live_interval=0.05,
        lag_interval=0.05,
    )
    await provision_bus(infra["harness_url"], settings)
    app = build_app(settings, registry=registry)
    async with app.router.lifespan_context(app):
        yield registry


async def test_rpc_requests_and_errors_are_counted_by_operation_and_code(
    nc: Client, registry: CollectorRegistry, uid: str
) -> None:
    op = results_ops.LEADERBOARD_GET
    with pytest.raises(DomainError):
        await call(nc, op, LeaderboardQuery(contest=f"none-{uid}", nomination="n"), timeout=5)
    await nc.request(op.subject, b'{"contest": 1}', timeout=5)
    errors = {
        code: registry.get_sample_value("veche_rpc_errors_total", {"operation": op.name, "code": code})
        for code in ("unknown_contest", "invalid_request")
    }
    assert errors == {"unknown_contest": 1, "invalid_request": 1}
    assert registry.get_sample_value("veche_rpc_requests_total", {"operation": op.name}) == 2
    assert registry.get_sample_value("veche_rpc_handler_seconds_count", {"operation": op.name}) == 2
    await caught_up(registry)  # stop only once the replay of VOTES is done


async def test_projector_reports_batches_freshness_and_catches_up_to_zero_lag(
    nc: Client, registry: CollectorRegistry, uid: str
) -> None:
    contest = f"m-{uid}"
    await seed_catalog(nc, contest, ["perm"], Visibility.live)
    seq = max([await cast(nc, contest, "perm", n) for n in range(3)])
    await caught_up(registry, seq)
    assert (registry.get_sample_value("veche_results_batch_size_sum") or 0) >= 3
    assert (registry.get_sample_value("veche_results_vote_freshness_seconds_count") or 0) >= 1
    ballots = {"contest": contest, "nomination": "n"}
    assert registry.get_sample_value("veche_results_ballots_applied_total", ballots) == 3


async def caught_up(registry: CollectorRegistry, seq: int = 0) -> None:
    """Wait until sequence seq is applied and the lag gauge (refreshed from consumer info) shows 0."""

    async def progress() -> tuple[float | None, float]:
        lag = registry.get_sample_value("veche_results_projector_lag_messages")
        return lag, registry.get_sample_value("veche_results_applied_sequence", {"partition": "all"}) or 0

    await eventually(
        progress, lambda got: got[0] == 0 and got[1] >= seq, what=f"lag 0 and sequence {seq} applied", timeout=30
    )
