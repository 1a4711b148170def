"""The voting service in this process against the real nats-server: one ballot per voter through the bus and the
ledger, and the catalog followed from CATALOG. Its rules (refusals, the window, identity tokens, approval sets) run on
the in-memory ledger in tests/unit/test_voting_use_cases.py; that ledger is held to the server by
tests/integration/test_vote_ledger.py."""

from collections.abc import AsyncIterator

import pytest
from nats.aio.client import Client
from prometheus_client import CollectorRegistry

from tests.voting_helpers import (
    DEVICE_KEY,
    Clock,
    Keys,
    Seeded,
    ballots_in_ledger,
    cast,
    eventually_refused,
    refusal,
    running_voting,
    sample,
    seed,
    token,
    voting_settings,
    wait_known,
)
from veche_dev import factories as f
from veche_shared import device_tokens
from veche_shared.contracts.catalog import IdentityMode, Phase, PracticeStatus
from veche_shared.contracts.common import utcnow


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> Keys:
    return Keys.make(tmp_path_factory.mktemp("keys"))


@pytest.fixture(scope="module")
def clock() -> Clock:
    return Clock()


@pytest.fixture(scope="module")
def registry() -> CollectorRegistry:
    return CollectorRegistry()


@pytest.fixture(scope="module")
async def voting(infra: dict[str, str], keys: Keys, clock: Clock, registry: CollectorRegistry) -> AsyncIterator[None]:
    async with running_voting(voting_settings(infra["nats_url"], keys), clock, registry):
        yield


async def open_contest(nc: Client, uid: str, **options: object) -> Seeded:
    seeded = await seed(nc, f"c-{uid}", **options)
    probe = token(seeded.contest, "probe")
    if options.get("mode") == IdentityMode.device:
        probe = device_tokens.issue(DEVICE_KEY, seeded.contest, utcnow())
    await wait_known(nc, seeded, probe)
    return seeded


async def test_one_ballot_per_voter_and_idempotent_retry(
    voting: None, nc: Client, uid: str, registry: CollectorRegistry
) -> None:
    seeded = await open_contest(nc, uid)
    voter = token(seeded.contest, f"voter-{uid}")
    accepted_before = sample(registry, "veche_votes_accepted_total", identity_mode="jwt")

    first = await cast(nc, seeded, voter, idempotency_key=f"key-{uid}", client_ip="203.0.113.9")
    again = await cast(nc, seeded, voter, idempotency_key=f"key-{uid}")

    assert first.status == "accepted"
    assert (again.status, again.vote_id, again.sequence) == ("retry", first.vote_id, first.sequence)
    assert await refusal(nc, seeded, voter, idempotency_key=f"other-{uid}") == (409, "already_voted")
    assert await refusal(nc, seeded, voter) == (409, "already_voted")
    assert await ballots_in_ledger(nc, seeded.contest) == 1
    assert sample(registry, "veche_votes_accepted_total", identity_mode="jwt") == accepted_before + 1
    assert sample(registry, "veche_votes_idempotent_retries_total") >= 1
    assert sample(registry, "veche_ledger_publish_seconds_count") >= 3


async def test_follows_phase_changes_and_withdrawals(voting: None, nc: Client, uid: str) -> None:
    seeded = await open_contest(nc, uid)
    withdrawn = f.practice(seeded.contest, seeded.practice, seeded.nomination, status=PracticeStatus.withdrawn)
    await f.publish_change(nc, withdrawn.model_copy(update={"version": 2}), "PracticeWithdrawn")
    await eventually_refused(nc, seeded, "not_votable")

    closed = f.contest(seeded.contest, phase=Phase.voting_closed, version=2)
    await f.publish_change(nc, closed, "ContestPhaseChanged")
    await eventually_refused(nc, seeded, "voting_closed")
