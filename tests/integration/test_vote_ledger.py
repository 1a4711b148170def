"""The contract of the vote ledger (veche_voting.ports.VoteLedger): the same assertions against the in-memory fake
the fast use-case tests run on and against ledger.Ledger on stream VOTES of the real nats-server, so the fake cannot
drift from what the server's compare-and-set decides (one ballot per voter per nomination, read back as written,
annulments found by the ballot's sequence, a contest's ballots and annulments read in order, an annulment decided on a
stale read refused). Races between writers stay with the real server alone
(tests/integration/test_ledger_layout.py, test_voting_processes.py)."""

from collections.abc import AsyncIterator
from typing import Protocol

import nats
import pytest
from prometheus_client import CollectorRegistry

from veche_dev import factories as f
from veche_shared.contracts.common import new_id
from veche_shared.contracts.votes import VoteCast, VotesAnnulled
from veche_voting.fakes import InMemoryLedger
from veche_voting.ledger import Ledger
from veche_voting.metrics import VotingMetrics
from veche_voting.ports import AnnulmentLedger, SubjectMoved, SubjectTaken, VoteLedger


class Ledgers(VoteLedger, AnnulmentLedger, Protocol):
    """Both ports, as each adapter has them."""


@pytest.fixture(params=["memory", "nats"])
async def ledger(request: pytest.FixtureRequest) -> AsyncIterator[Ledgers]:
    if request.param == "memory":
        yield InMemoryLedger()
        return
    infra: dict[str, str] = request.getfixturevalue("infra")  # started only for the server's half
    nc = await nats.connect(infra["harness_url"])
    yield Ledger(nc.jetstream(), 5.0, VotingMetrics(CollectorRegistry()))
    await nc.close()


async def test_one_ballot_per_voter_per_nomination(ledger: Ledgers, uid: str) -> None:
    contest = f"c-{uid}"
    first = f.ballot(contest, "p", 1, nomination="n1")
    seq = await ledger.append(first)
    for again in (first, first.model_copy(update={"vote_id": "again", "practices": ["q"]})):
        with pytest.raises(SubjectTaken):
            await ledger.append(again)
    other_nomination = f.ballot(contest, ["q", "r"], 1, nomination="n2").model_copy(update={"vote_id": "w"})
    other_voter, other_contest = f.ballot(contest, "p", 2, nomination="n1"), f.ballot(f"d-{uid}", "p", 1, "n1")
    later = [await ledger.append(b) for b in (other_nomination, other_voter, other_contest)]
    assert seq < later[0] < later[1] < later[2]
    assert await ledger.ballot(contest, "n1", first.voter_hash) == (first, seq)
    assert await ledger.ballot(contest, "n2", first.voter_hash) == (other_nomination, later[0])
    assert await ledger.ballot(f"d-{uid}", "n1", first.voter_hash) == (other_contest, later[2])


async def test_a_missing_ballot_is_none(ledger: Ledgers, uid: str) -> None:
    contest = f"c-{uid}"
    assert await ledger.ballot(contest, "n1", f.voter(1)) is None
    await ledger.append(f.ballot(contest, "p", 1, nomination="n1"))
    assert await ledger.ballot(contest, "n2", f.voter(1)) is None  # the voter's subject, another nomination
    assert await ledger.ballot(contest, "n1", f.voter(2)) is None


async def test_an_annulment_is_found_by_its_ballots_sequence(ledger: Ledgers, uid: str) -> None:
    contest = f"c-{uid}"
    ballots = [f.ballot(contest, "p", n, nomination="n1") for n in range(3)]
    seqs = [await ledger.append(b) for b in ballots]
    annulment = f.annulment(contest, f"a{uid}", [(ballots[0], seqs[0]), (ballots[2], seqs[2])], nomination="n1")
    await ledger.append_annulment(annulment, after=0)
    assert await ledger.annulment_of(contest, "n1", seqs[0]) == annulment
    assert await ledger.annulment_of(contest, "n1", seqs[2]) == annulment
    assert await ledger.annulment_of(contest, "n1", seqs[1]) is None
    assert await ledger.annulment_of(contest, "n2", seqs[0]) is None  # annulments are per nomination
    # an annulled ballot stays the voter's ballot: the nomination is still taken
    with pytest.raises(SubjectTaken):
        await ledger.append(f.ballot(contest, "q", 0, nomination="n1").model_copy(update={"vote_id": "again"}))


def annulment(contest: str, nomination: str, ballot: tuple[VoteCast, int]) -> VotesAnnulled:
    return f.annulment(contest, new_id(), [ballot], nomination=nomination)


async def test_a_contests_ballots_and_annulments_are_read_in_ledger_order(ledger: Ledgers, uid: str) -> None:
    contest = f"c-{uid}"
    ballots = [f.ballot(contest, "p", 1, "n1"), f.ballot(contest, "p", 2, "n1"), f.ballot(contest, "q", 1, "n2")]
    seqs = [await ledger.append(b) for b in ballots]
    await ledger.append(f.ballot(f"d-{uid}", "p", 1, "n1"))
    first = annulment(contest, "n1", (ballots[1], seqs[1]))
    first_seq = await ledger.append_annulment(first, after=0)
    assert [item async for item in ledger.ballots(contest)] == list(zip(ballots, seqs, strict=True))
    voter_one = [item async for item in ledger.ballots(contest, f.voter(1))]
    assert voter_one == [(ballots[0], seqs[0]), (ballots[2], seqs[2])]
    assert [item async for item in ledger.annulments(contest)] == [(first, first_seq)]
    assert [item async for item in ledger.annulments(f"d-{uid}")] == []


async def test_an_annulment_decided_on_a_stale_read_is_refused(ledger: Ledgers, uid: str) -> None:
    """Two annulments of one nomination that read the ledger at once: the second write fails instead of
    annulling twice; another nomination's annulments are guarded apart."""
    contest = f"c-{uid}"
    ballots = [f.ballot(contest, "p", n, "n1") for n in range(2)] + [f.ballot(contest, "q", 0, "n2")]
    seqs = [await ledger.append(b) for b in ballots]
    first = await ledger.append_annulment(annulment(contest, "n1", (ballots[0], seqs[0])), after=0)
    late = annulment(contest, "n1", (ballots[1], seqs[1]))
    with pytest.raises(SubjectMoved):
        await ledger.append_annulment(late, after=0)
    assert await ledger.append_annulment(annulment(contest, "n2", (ballots[2], seqs[2])), after=0) > first
    for stale in (first - 1, first + 1, 0):  # any sequence but the nomination's last annulment's
        with pytest.raises(SubjectMoved):
            await ledger.append_annulment(late, after=stale)
    assert await ledger.append_annulment(late, after=first) > first
