"""kill -9 the results process while votes flow: the leaderboards still equal the ledger, exactly."""

import asyncio
from pathlib import Path

import pytest
from nats.aio.client import Client

from tests.integration.results_helpers import seed_catalog, standings_when
from veche_dev import devstack
from veche_dev import factories as f
from veche_results.recount import recount
from veche_shared.contracts.catalog import Visibility
from veche_shared.mongo import make_mongo

VOTES = 20_000
PRACTICES = ["perm", "spb", "novgorod", "yaroslavl", "yakutsk"]


def chosen(contest: str, n: int) -> str:
    """Voter n's practice: every third voter picks perm, the others go round all five."""
    return f"{contest}-{PRACTICES[n % len(PRACTICES) if n % 3 else 0]}"


async def flood(nc: Client, contest: str) -> None:
    await f.record_many(nc, (f.ballot(contest, chosen(contest, n), n) for n in range(VOTES)))


@pytest.mark.heavy
async def test_kill_9_during_20000_votes_then_exact_counts_and_recount(
    infra: dict[str, str], nc: Client, uid: str
) -> None:
    contest = f"k-{uid}"
    await seed_catalog(nc, contest, PRACTICES, Visibility.live)
    platform = devstack.Platform(infra["nats_url"], infra["mongodb_url"], Path(infra["logs"]))
    database = f"results_k{uid}"
    platform.extra_env = {"VECHE_RESULTS_DATABASE": database, "VECHE_RESULTS_CONSUMER": f"results-k{uid}"}
    platform.start("veche_results")
    flooding = asyncio.create_task(flood(nc, contest))
    try:
        for _ in range(4):
            await asyncio.sleep(0.7)
            platform.processes["veche_results"].kill()
            await asyncio.to_thread(platform.start, "veche_results")
        await flooding
        board = await standings_when(nc, contest, total=VOTES)
    finally:
        platform.stop_all()
    expected = {f"{contest}-{p}": 0 for p in PRACTICES}
    for n in range(VOTES):
        expected[chosen(contest, n)] += 1
    assert {e["practice"]: e["votes"] for e in board["entries"]} == expected

    mongo = make_mongo(infra["mongodb_url"], "test")
    try:
        assert (await recount(nc.jetstream(), mongo, database, contest)).differences == []
        await mongo[database].tallies.update_one({"_id": f"{contest}:n:{contest}-perm"}, {"$inc": {"votes": 1}})
        differences = (await recount(nc.jetstream(), mongo, database, contest)).differences
    finally:
        await mongo.close()
    assert [(d.practice, d.recounted - d.live) for d in differences] == [(f"{contest}-perm", -1)]
