"""Certifying a contest's results on the in-memory counters and ledger (tests/unit/results_helpers.py): the
certificate is the ledger's standings, issued once, and never issued while the live tallies or a log disagree with
the ledger. Publication on the real service, the export and its verification stay in
tests/integration/test_certification.py; the ledger reads are held to stream VOTES by
tests/integration/test_results_store.py."""

from typing import Any

import pytest

from tests.unit.results_helpers import InMemoryResults
from veche_dev import factories as f
from veche_results.checkpoints import LogMismatch
from veche_results.projector import counted_of
from veche_shared.contracts.catalog import Phase, Visibility
from veche_shared.contracts.results import ContestQuery
from veche_shared.contracts.tlog import FinalCheckpoint
from veche_shared.errors import DomainError
from veche_shared.operations import results as results_ops


@pytest.fixture
def service() -> InMemoryResults:
    return InMemoryResults()


async def certificate(service: InMemoryResults, contest: str) -> dict[str, Any] | None:
    try:
        issued: dict[str, Any] = await service.ask(results_ops.CERTIFICATE_GET, ContestQuery(contest=contest))
    except DomainError as exc:
        if exc.code != "not_certified":
            raise
        return None
    return issued


async def published(service: InMemoryResults, contest: str) -> None:
    """Ballots for perm (3, one of them annulled) and oxford (1), then the results published."""
    service.seed(contest, ["perm", "oxford"], Visibility.hidden)
    perm = [f.ballot(contest, f"{contest}-perm", n) for n in range(3)]
    seqs = [await service.record(b) for b in perm]
    await service.cast(contest, "oxford", 9)
    await service.record(f.annulment(contest, f"a-{contest}", [(perm[1], seqs[1])]))
    service.change_phase(contest, Phase.results_published, Visibility.hidden)


async def test_publication_certifies_the_ledgers_standings_once(service: InMemoryResults, uid: str) -> None:
    await published(service, uid)
    await service.certifier.certify(uid)
    issued = await certificate(service, uid)
    assert issued is not None
    assert issued["standings"] == {"n": {f"{uid}-perm": 2, f"{uid}-oxford": 1}}
    assert (issued["ballots"], issued["annulled"]) == (4, 1)

    await service.record(f.ballot(uid, f"{uid}-oxford", 10))  # a ballot the ledger should never have taken
    await service.certifier.certify(uid)
    assert await certificate(service, uid) == issued  # never overwritten


async def test_no_certificate_while_the_live_tallies_differ_from_the_ledger(
    service: InMemoryResults, uid: str, caplog: pytest.LogCaptureFixture
) -> None:
    await published(service, uid)
    late = f.ballot(uid, f"{uid}-oxford", 10)
    seq = service.ledger.record(late)  # in the ledger, not yet in the tallies
    await service.certifier.certify(uid)
    assert await certificate(service, uid) is None
    assert "the live tallies differ from the ledger" in caplog.text

    await service.tallies.apply(counted_of(seq, late))  # the projector catches up: the same numbers now
    await service.certifier.certify(uid)
    issued = await certificate(service, uid)
    assert issued is not None
    assert issued["standings"] == {"n": {f"{uid}-perm": 2, f"{uid}-oxford": 2}}


async def test_no_certificate_while_a_log_does_not_hold_the_ledger(uid: str, caplog: pytest.LogCaptureFixture) -> None:
    asked: list[dict[str, int]] = []

    async def short_log(contest: str, sizes: dict[str, int]) -> dict[str, FinalCheckpoint]:
        asked.append(sizes)
        raise LogMismatch(f"the log of {contest}/n has {sizes['n'] - 1} entries, the ledger {sizes['n']}")

    service = InMemoryResults(final_logs=short_log)
    await published(service, uid)
    await service.certifier.certify(uid)
    assert await certificate(service, uid) is None
    assert asked == [{"n": 5}]  # four ballots and one annulment: five entries in the nomination's log
    assert f"not certifying {uid}: the log of {uid}/n has 4 entries, the ledger 5" in caplog.text
