"""Two results processes, each projecting its own partition of the nominations and receiving only its share."""

import asyncio
import os
import sys
from pathlib import Path

from nats.aio.client import Client

from tests.integration.results_helpers import standings
from veche_dev import devstack
from veche_dev import factories as f
from veche_dev.eventually import eventually
from veche_results.partitions import ledger_partitions, nomination_partition
from veche_shared import subjects

VOTES = 1_200


def nominations_over_two_partitions(contest: str) -> list[str]:
    """Two nominations of each partition."""
    found: dict[int, list[str]] = {0: [], 1: []}
    for i in range(100):
        owner = nomination_partition(contest, f"n{i}", 2)
        if len(found[owner]) < 2:
            found[owner].append(f"n{i}")
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


async def wait_totals(nc: Client, contest: str, nominations: list[str], expected: dict[str, int]) -> None:
    await eventually(lambda: totals(nc, contest, nominations), expected.__eq__, what=f"totals {expected}")


async def delivered(nc: Client, uid: str, owned: int) -> int:
    """How many messages the server has delivered to the consumers of results partition `owned` (one per ledger
    partition it reads), checking that each has nothing of its share pending."""
    total = 0
    for part in ledger_partitions(owned, 2):
        info = await nc.jetstream().consumer_info(subjects.VOTES_STREAM, f"results-p{uid}-l{part:02d}")
        assert (info.num_pending, info.num_ack_pending) == (0, 0)
        total += int(info.delivered.consumer_seq)
    return total


async def test_each_partition_counts_only_its_nominations(infra: dict[str, str], nc: Client, uid: str) -> None:
    contest = f"p-{uid}"
    nominations = nominations_over_two_partitions(contest)
    await seed(nc, contest, nominations)
    picks = [nominations[(VOTES - 1 - i) % 4] for i in range(VOTES)]  # the last vote goes to a partition-0 one
    await f.record_many(nc, [f.ballot(contest, f"{contest}-{n}", i, n) for i, n in enumerate(picks)])
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
    # Each partition's consumer was sent its own half of the ballots and nothing else: the server filtered them
    # (before, every partition received the whole stream and skipped what it did not own).
    assert (await nc.jetstream().stream_info(subjects.VOTES_STREAM)).state.messages == VOTES
    for owned in (0, 1):
        assert await delivered(nc, uid, owned) == VOTES // 2
