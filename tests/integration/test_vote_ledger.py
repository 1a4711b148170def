"""The contract of the vote ledger (veche_voting.ports.VoteLedger): the same assertions against the in-memory fake
the fast use-case tests run on and against ledger.Ledger on stream VOTES of the real nats-server, so the fake cannot
drift from what the server's compare-and-set decides (one ballot per voter per nomination, read back as written,
annulments found by the ballot's sequence). Races between writers stay with the real server alone
(tests/integration/test_ledger_layout.py, test_voting_processes.py)."""

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass

import nats
import pytest
from prometheus_client import CollectorRegistry

from veche_dev import factories as f
from veche_shared.contracts.votes import VotesAnnulled
from veche_voting.fakes import InMemoryLedger
from veche_voting.ledger import Ledger
from veche_voting.metrics import VotingMetrics
from veche_voting.ports import SubjectTaken, VoteLedger


@dataclass
class Ledgers:
    ledger: VoteLedger
    annul: Callable[[VotesAnnulled], Awaitable[int]]  # an annulment written as the annulment use case writes it


@pytest.fixture(params=["memory", "nats"])
async def ledgers(request: pytest.FixtureRequest) -> AsyncIterator[Ledgers]:
    if request.param == "memory":
        memory = InMemoryLedger()
        yield Ledgers(memory, memory.append_annulment)
        return
    infra: dict[str, str] = request.getfixturevalue("infra")  # started only for the server's half
    nc = await nats.connect(infra["harness_url"])
    yield Ledgers(Ledger(nc.jetstream(), 5.0, VotingMetrics(CollectorRegistry())), lambda event: f.record(nc, event))
    await nc.close()


async def test_one_ballot_per_voter_per_nomination(ledgers: Ledgers, uid: str) -> None:
    ledger, contest = ledgers.ledger, f"c-{uid}"
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


async def test_a_missing_ballot_is_none(ledgers: Ledgers, uid: str) -> None:
    ledger, contest = ledgers.ledger, f"c-{uid}"
    assert await ledger.ballot(contest, "n1", f.voter(1)) is None
    await ledger.append(f.ballot(contest, "p", 1, nomination="n1"))
    assert await ledger.ballot(contest, "n2", f.voter(1)) is None  # the voter's subject, another nomination
    assert await ledger.ballot(contest, "n1", f.voter(2)) is None


async def test_an_annulment_is_found_by_its_ballots_sequence(ledgers: Ledgers, uid: str) -> None:
    ledger, contest = ledgers.ledger, f"c-{uid}"
    ballots = [f.ballot(contest, "p", n, nomination="n1") for n in range(3)]
    seqs = [await ledger.append(b) for b in ballots]
    annulment = f.annulment(contest, f"a{uid}", [(ballots[0], seqs[0]), (ballots[2], seqs[2])], nomination="n1")
    await ledgers.annul(annulment)
    assert await ledger.annulment_of(contest, "n1", seqs[0]) == annulment
    assert await ledger.annulment_of(contest, "n1", seqs[2]) == annulment
    assert await ledger.annulment_of(contest, "n1", seqs[1]) is None
    assert await ledger.annulment_of(contest, "n2", seqs[0]) is None  # annulments are per nomination
    # an annulled ballot stays the voter's ballot: the nomination is still taken
    with pytest.raises(SubjectTaken):
        await ledger.append(f.ballot(contest, "q", 0, nomination="n1").model_copy(update={"vote_id": "again"}))
