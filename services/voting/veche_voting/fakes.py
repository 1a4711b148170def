"""The in-memory adapter of the vote ledger (veche_voting.ports.VoteLedger), for fast use-case tests: the ledger as a
list of messages with the server's rule for a voter's subject (one ballot per nomination, decided at the append).
tests/integration/test_vote_ledger.py holds it to the same assertions as ledger.Ledger on the real nats-server."""

from collections.abc import AsyncIterator
from dataclasses import dataclass

from veche_shared import subjects
from veche_shared.contracts.votes import VoteCast, VotesAnnulled
from veche_voting.ledger import Ledger
from veche_voting.ports import AnnulmentLedger, SubjectMoved, SubjectTaken, VoteLedger


@dataclass(frozen=True)
class Message:
    seq: int
    subject: str
    event: VoteCast | VotesAnnulled


class InMemoryLedger:
    def __init__(self) -> None:
        self.messages: list[Message] = []

    def _add(self, subject: str, event: VoteCast | VotesAnnulled) -> int:
        seq = len(self.messages) + 1
        self.messages.append(Message(seq, subject, event.model_copy(deep=True)))
        return seq

    def ballots_of(self, contest: str) -> list[VoteCast]:
        """Every ballot of a contest in ledger order, as stored (what subjects.contest_ballots selects)."""
        return [m.event for m in self.messages if isinstance(m.event, VoteCast) and m.event.contest == contest]

    async def append(self, ballot: VoteCast) -> int:
        if await self.ballot(ballot.contest, ballot.nomination, ballot.voter_hash) is not None:
            raise SubjectTaken
        return self._add(subjects.vote_cast(ballot.contest, ballot.voter_hash), ballot)

    async def ballots(self, contest: str, voter_hash: str | None = None) -> AsyncIterator[tuple[VoteCast, int]]:
        for m in list(self.messages):
            if (
                isinstance(m.event, VoteCast)
                and m.event.contest == contest
                and voter_hash in (None, m.event.voter_hash)
            ):
                yield m.event.model_copy(deep=True), m.seq

    async def annulments(self, contest: str) -> AsyncIterator[tuple[VotesAnnulled, int]]:
        for m in list(self.messages):
            if isinstance(m.event, VotesAnnulled) and m.event.contest == contest:
                yield m.event.model_copy(deep=True), m.seq

    async def append_annulment(self, event: VotesAnnulled, after: int) -> int:
        """The server's guard: the last annulment of the nomination must still be the one at `after` (0: none)."""
        last = max(
            (m.seq for m in self.messages if isinstance(m.event, VotesAnnulled)
             and (m.event.contest, m.event.nomination) == (event.contest, event.nomination)),
            default=0,
        )  # fmt: skip
        if last != after:
            raise SubjectMoved
        return self._add(subjects.votes_annulled(event.contest, event.nomination, event.annulment_id), event)

    async def ballot(self, contest: str, nomination: str, voter_hash: str) -> tuple[VoteCast, int] | None:
        subject = subjects.vote_cast(contest, voter_hash)
        for m in self.messages:
            if m.subject == subject and isinstance(m.event, VoteCast) and m.event.nomination == nomination:
                return m.event.model_copy(deep=True), m.seq
        return None

    async def annulment_of(self, contest: str, nomination: str, sequence: int) -> VotesAnnulled | None:
        for m in self.messages:
            event = m.event
            if not isinstance(event, VotesAnnulled) or (event.contest, event.nomination) != (contest, nomination):
                continue
            if any(vote.sequence == sequence for vote in event.votes):
                return event.model_copy(deep=True)
        return None


def adapters(memory: InMemoryLedger, ledger: Ledger) -> tuple[VoteLedger, VoteLedger, AnnulmentLedger, AnnulmentLedger]:
    """Both adapters of each port: mypy checks here that each has every method, with the same types."""
    return memory, ledger, memory, ledger
