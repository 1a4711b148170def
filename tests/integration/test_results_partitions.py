"""Two results processes, each projecting its own partition of the nominations."""

import asyncio
import os
import sys
from pathlib import Path

import pytest
from nats.aio.client import Client

from tests.integration.test_results import NOW, voter
from veche_dev import devstack
from veche_results.projector import partition_of
from veche_shared import subjects
from veche_shared.contracts.catalog import (
    Contest,
    ContestEvent,
    Localized,
    Nomination,
    NominationEvent,
    Phase,
    Practice,
    PracticeEvent,
    PracticeStatus,
)
from veche_shared.contracts.results import LeaderboardQuery
from veche_shared.contracts.votes import VoteCast
from veche_shared.rpc import call

pytestmark = pytest.mark.integration
VOTES = 1_200


def nominations_over_two_partitions(contest: str) -> list[str]:
    """Two nominations of each partition."""
    found: dict[int, list[str]] = {0: [], 1: []}
    for i in range(100):
        owner = partition_of(f"votes.cast.{contest}.n{i}.x", 2)
        if len(found[owner]) < 2:
            found[owner].append(f"n{i}")
    return found[0] + found[1]


async def seed(nc: Client, contest: str, nominations: list[str]) -> None:
    js = nc.jetstream()
    scope = subjects.catalog_event("contest", contest)
    contest_event = ContestEvent(
        type="ContestCreated", contest=Contest(id=contest, title=Localized(en=contest), phase=Phase.voting_open)
    )
    await js.publish(scope, contest_event.model_dump_json().encode())
    for n in nominations:
        nomination = Nomination(id=n, contest=contest, title=Localized(en=n))
        await js.publish(
            scope, NominationEvent(type="NominationCreated", nomination=nomination).model_dump_json().encode()
        )
        practice = Practice(
            id=f"{contest}-{n}",
            contest=contest,
            nomination=n,
            municipality="m",
            title=n,
            status=PracticeStatus.approved,
        )
        await js.publish(scope, PracticeEvent(type="PracticeApproved", practice=practice).model_dump_json().encode())


def start_results(infra: dict[str, str], uid: str, owned: int) -> devstack.Process:
    port = devstack.free_port()
    env = os.environ | {
        "VECHE_RESULTS_NATS_URL": infra["nats_url"],
        "VECHE_RESULTS_MONGODB_URL": infra["mongodb_url"],
        "VECHE_RESULTS_HTTP_PORT": str(port),
        "VECHE_RESULTS_DATABASE": f"results_p{uid}",
        "VECHE_RESULTS_CONSUMER": f"results-p{uid}",
        "VECHE_RESULTS_PARTITIONS": "2",
        "VECHE_RESULTS_OWNED_PARTITIONS": f"[{owned}]",
    }
    process = devstack.spawn(f"results-p{owned}", [sys.executable, "-m", "veche_results"], Path(infra["logs"]), env)
    devstack.wait_ready(f"http://127.0.0.1:{port}/readyz", process)
    return process


async def totals(nc: Client, contest: str, nominations: list[str]) -> dict[str, int]:
    answers = [
        await call(
            nc,
            subjects.rpc("results", "leaderboard"),
            LeaderboardQuery(contest=contest, nomination=n, include_hidden=True),
            timeout=5,
        )
        for n in nominations
    ]
    return {n: a["total_votes"] for n, a in zip(nominations, answers, strict=True)}


async def wait_totals(nc: Client, contest: str, nominations: list[str], expected: dict[str, int]) -> None:
    for _ in range(300):
        if await totals(nc, contest, nominations) == expected:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"{await totals(nc, contest, nominations)} != {expected}")


async def test_each_partition_counts_only_its_nominations(infra: dict[str, str], nc: Client, uid: str) -> None:
    contest = f"p-{uid}"
    nominations = nominations_over_two_partitions(contest)
    await seed(nc, contest, nominations)
    js = nc.jetstream()
    acks = []
    for i in range(VOTES):  # the last vote goes to nominations[0], a partition-0 nomination
        n = nominations[(VOTES - 1 - i) % 4]
        ballot = VoteCast(
            vote_id=f"v{i}",
            contest=contest,
            nomination=n,
            practice=f"{contest}-{n}",
            voter_hash=voter(i),
            identity_mode="jwt",
            cast_at=NOW,
        )
        acks.append(await js.publish_async(subjects.vote_cast(contest, n, voter(i)), ballot.model_dump_json().encode()))
    await asyncio.gather(*acks)
    per_nomination = VOTES // 4
    first = await asyncio.to_thread(start_results, infra, uid, 0)
    try:
        only_first = {n: per_nomination if i < 2 else 0 for i, n in enumerate(nominations)}
        await wait_totals(nc, contest, nominations, only_first)
        second = await asyncio.to_thread(start_results, infra, uid, 1)
        try:
            await wait_totals(nc, contest, nominations, dict.fromkeys(nominations, per_nomination))
        finally:
            second.stop()
    finally:
        first.stop()
