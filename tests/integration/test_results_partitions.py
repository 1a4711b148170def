"""Two results processes, each projecting its own partition of the contests and receiving only its share."""

import asyncio
import os
import sys
from pathlib import Path

import pytest
from nats.aio.client import Client

from tests.integration.results_helpers import standings
from veche_dev import devstack
from veche_dev import factories as f
from veche_dev.eventually import eventually
from veche_results.partitions import contest_partition, ledger_partitions
from veche_shared import subjects
from veche_shared.contracts.results import LeaderboardQuery
from veche_shared.errors import ServiceUnavailable
from veche_shared.operations import results as results_ops
from veche_shared.rpc import call
from veche_shared.tlog.keys import DEV_LOG_SIGNER
from veche_shared.tlog.seal import holds

VOTES = 400
NOMINATIONS = ["n1", "n2"]


def contests_over_two_partitions(uid: str) -> list[str]:
    """Two contests of results partition 0, then two of partition 1: a contest lies in one ledger partition."""
    found: dict[int, list[str]] = {0: [], 1: []}
    for i in range(100):
        owner = contest_partition(f"p{i}-{uid}", 2)
        if len(found[owner]) < 2:
            found[owner].append(f"p{i}-{uid}")
    return found[0] + found[1]


async def seed(nc: Client, contest: str, nominations: list[str]) -> None:
    """One approved practice `<contest>-<nomination>` in each nomination."""
    practices = {n: [f.practice(contest, f"{contest}-{n}", n)] for n in nominations}
    await f.publish_catalog(nc, f.catalog(f.contest(contest), practices))


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
    devstack.provision(infra["nats_url"], env)  # its consumers, as `veche provision` makes them
    process = devstack.spawn(f"results-p{owned}", [sys.executable, "-m", "veche_results"], Path(infra["logs"]), env)
    devstack.wait_ready(f"http://127.0.0.1:{port}/readyz", process)
    return process


async def totals(nc: Client, contest: str, nominations: list[str]) -> dict[str, int]:
    return {n: (await standings(nc, contest, n))["total_votes"] for n in nominations}


async def delivered(nc: Client, uid: str, owned: int) -> tuple[int, int]:
    """How many messages the server has delivered to the consumers of results partition `owned` (one per ledger
    partition it reads), and how many of its share are pending or unacknowledged."""
    total = left = 0
    for part in ledger_partitions(owned, 2):
        info = await nc.jetstream().consumer_info(subjects.VOTES_STREAM, f"results-p{uid}-l{part:02d}")
        total += int(info.delivered.consumer_seq)
        left += int(info.num_pending or 0) + int(info.num_ack_pending or 0)
    return total, left


async def drained(nc: Client, uid: str, owned: int) -> None:
    """Until the partition has acknowledged its whole share: the totals show before the batch is acknowledged."""
    await eventually(lambda: delivered(nc, uid, owned), lambda d: d[1] == 0, what=f"partition {owned} drained")


async def sealed_total(nc: Client, contest: str) -> int:
    """The votes of a contest's first nomination on the board sealed by the process that writes its log."""
    writer = results_ops.LEADERBOARD_SEALED.at(partition=str(subjects.ledger_partition(contest)))
    board = await call(nc, writer, LeaderboardQuery(contest=contest, nomination=NOMINATIONS[0]), timeout=5)
    assert holds(board, DEV_LOG_SIGNER.verifier), f"the board of {contest} is not sealed by the log key"
    assert board.log_size == board.total_votes  # one entry per ballot, counted at the head it names
    return board.total_votes


async def contest_totals(nc: Client, contests: list[str]) -> dict[str, int]:
    """Each contest's ballots over its nominations."""
    return {c: sum((await totals(nc, c, NOMINATIONS)).values()) for c in contests}


async def test_each_partition_counts_only_its_contests(infra: dict[str, str], nc: Client, uid: str) -> None:
    contests = contests_over_two_partitions(uid)
    for contest in contests:
        await seed(nc, contest, NOMINATIONS)
    # voter i votes in both nominations of one contest; the last ballots go to a contest of partition 0
    picks = [contests[(VOTES // 2 - 1 - i) % 4] for i in range(VOTES // 2)]
    ballots = [f.ballot(c, f"{c}-{n}", i, n) for i, c in enumerate(picks) for n in NOMINATIONS]
    await f.record_many(nc, ballots)
    per_contest = VOTES // 4
    first = await asyncio.to_thread(start_results, infra, uid, 0)
    try:
        only_first = {c: per_contest if i < 2 else 0 for i, c in enumerate(contests)}
        await eventually(lambda: contest_totals(nc, contests), only_first.__eq__, what=f"totals {only_first}")
        await drained(nc, uid, 0)
        assert [await sealed_total(nc, c) for c in contests[:2]] == [per_contest // 2] * 2
        for contest in contests[2:]:  # nobody writes their logs yet: nobody seals their boards
            with pytest.raises(ServiceUnavailable):
                await sealed_total(nc, contest)
        second = await asyncio.to_thread(start_results, infra, uid, 1)
        try:
            every = dict.fromkeys(contests, per_contest)
            await eventually(lambda: contest_totals(nc, contests), every.__eq__, what=f"totals {every}")
            await drained(nc, uid, 1)
            assert [await sealed_total(nc, c) for c in contests] == [per_contest // 2] * 4
        finally:
            second.stop()
    finally:
        first.stop()
    # Each partition's consumer was sent its own half of the ballots and nothing else: the server filtered them
    # (before issue 18, every partition received the whole stream and skipped what it did not own).
    assert (await nc.jetstream().stream_info(subjects.VOTES_STREAM)).state.messages == VOTES
    for owned in (0, 1):
        assert await delivered(nc, uid, owned) == (VOTES // 2, 0)
