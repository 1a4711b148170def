"""The chaos run's contest and clients against the real platform without faults: voters in the single-choice and
the approval nomination, retries and second ballots, then exact boards and a clean recount (what `make chaos`
checks after every fault)."""

import asyncio

import httpx

from veche_dev import chaos
from veche_dev.chaos_storm import APPROVAL, SINGLE, Tally, storm
from veche_dev.devstack import Platform


def test_chaos_clients_are_counted_exactly_in_both_nominations(
    platform: Platform, admin: httpx.Client, api: httpx.Client
) -> None:
    practices = chaos.open_contest(admin)
    assert [len(practices[SINGLE]), len(practices[APPROVAL])] == [3, 4]
    t = Tally()

    async def vote() -> None:
        stop = asyncio.Event()
        await storm(platform.url(), chaos.CONTEST, practices, stop, 24, t, parallel=4)

    asyncio.run(vote())
    assert len(t.accepted) == len(t.approved) == 24, t.errors
    assert any(len(chosen) > 1 for chosen in t.approved.values())
    assert t.second_accepted == 0
    assert chaos.converge(api, chaos.expected_boards(t), limit=30) is not None
    assert admin.post(f"/contests/{chaos.CONTEST}/recount").json()["differences"] == []
