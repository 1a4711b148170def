"""What the voting service's use cases (cast, my ballot, annul) need from outside, as ports: the vote ledger and the
voter rolls. The ledger has a real adapter (ledger.Ledger on stream VOTES) and an in-memory one
(fakes.InMemoryLedger) for fast use-case tests; tests/integration/test_vote_ledger.py runs the same assertions
against both on the real nats-server, so the fake cannot drift from what the server's compare-and-set does.

The use cases name what they ask (a voter's ballot in a nomination); subjects, headers and sequences expected by
the server stay in the adapter."""

from collections.abc import AsyncIterator
from typing import Any, Protocol

from veche_shared.contracts.catalog import Contest
from veche_shared.contracts.votes import VoteCast, VotesAnnulled


class SubjectTaken(Exception):
    """The voter's subject already holds a ballot in this nomination."""


class SubjectMoved(Exception):
    """Someone wrote to the guarded subjects since we read them."""


class VoteLedger(Protocol):
    """Ballots, one per voter per nomination, and the annulments that take ballots out of the count."""

    async def append(self, ballot: VoteCast) -> int:
        """Append the ballot unless its voter has a ballot in its nomination (SubjectTaken); its ledger sequence."""

    async def ballot(self, contest: str, nomination: str, voter_hash: str) -> tuple[VoteCast, int] | None:
        """The voter's ballot in a nomination and its sequence, if any."""

    async def annulment_of(self, contest: str, nomination: str, sequence: int) -> VotesAnnulled | None:
        """The annulment that took the ballot at `sequence` out of the count, if one did."""


class AnnulmentLedger(Protocol):
    """What annulling reads and writes: a contest's ballots and annulments, in ledger order, with their sequences."""

    def ballots(self, contest: str, voter_hash: str | None = None) -> AsyncIterator[tuple[VoteCast, int]]:
        """The contest's ballots (of one voter, if given)."""

    def annulments(self, contest: str) -> AsyncIterator[tuple[VotesAnnulled, int]]: ...

    async def append_annulment(self, event: VotesAnnulled, after: int) -> int:
        """Write an annulment if no other annulment of its nomination came after sequence `after` (else
        SubjectMoved); its ledger sequence."""


class Rolls(Protocol):
    """The voter roll of a contest that has one (roll.VoterRolls on stream ROLL)."""

    async def admits(self, contest: Contest, claims: dict[str, Any]) -> None:
        """Nothing if the verified voter is on the contest's roll, else Forbidden not_on_roll."""
