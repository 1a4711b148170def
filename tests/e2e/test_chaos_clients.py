"""The chaos run's contest and clients against the real platform without faults: voters in the single-choice and
the approval nomination, retries and second ballots, then exact boards and a clean recount (what `make chaos`
checks after every fault), and the transparency log checked as after a fault."""

import asyncio

import httpx
import pytest

from veche_dev import chaos
from veche_dev.chaos_log import LogBroken, LogCheck, Signed
from veche_dev.chaos_storm import APPROVAL, SINGLE, Tally, storm
from veche_dev.devstack import Platform


def test_chaos_clients_are_counted_exactly_in_both_nominations(
    platform: Platform, admin: httpx.Client, api: httpx.Client
) -> None:
    practices = chaos.open_contest(admin)
    assert [len(practices[SINGLE]), len(practices[APPROVAL])] == [3, 4]
    t, logs = Tally(), LogCheck(api, chaos.CONTEST)

    async def vote(tally: Tally, voters: int) -> None:
        stop = asyncio.Event()
        await storm(platform.url(), chaos.CONTEST, practices, stop, voters, tally, parallel=4)

    asyncio.run(vote(t, 24))
    assert len(t.accepted) == len(t.approved) == 24, t.errors
    assert any(len(chosen) > 1 for chosen in t.approved.values())
    assert t.second_accepted == 0
    assert chaos.converge(api, chaos.expected_boards(t), limit=30) is not None
    assert admin.post(f"/contests/{chaos.CONTEST}/recount").json()["differences"] == []

    first = chaos.check_log(logs, t, t)
    assert (
        first == f"ok: 48 inclusion proofs, consistent ({SINGLE} 24, {APPROVAL} 24), boards sealed at the signed heads"
    )
    later = Tally()
    asyncio.run(vote(later, 6))  # a second "fault": its ballots proven, the trees consistent with the first ones
    total = Tally(accepted=t.accepted | later.accepted, approved=t.approved | later.approved)
    sizes = f"{SINGLE} 30, {APPROVAL} 30"
    assert (
        chaos.check_log(logs, total, later)
        == f"ok: 12 inclusion proofs, consistent ({sizes}), boards sealed at the signed heads"
    )

    with pytest.raises(LogBroken, match="not at the signed head 29"):  # a board counted at a head nobody signed
        logs.sealed_at(SINGLE, Signed(29, bytes(32)), reads=1)
    with pytest.raises(LogBroken, match="30 entries signed, 29 ballots accepted"):
        logs.after_fault({SINGLE: 29}, {})
    seq = later.receipts[SINGLE][0][1]
    other = later.receipts[APPROVAL][0][0]  # a leaf of the other nomination's log
    with pytest.raises(LogBroken, match="leaf answered 404"):
        logs.after_fault({SINGLE: 30}, {SINGLE: [(other, seq)]})
