"""The in-memory adapters of the ports (veche_results.ports), for fast use-case tests: counters that keep the same
per-counter `last_seq` guard as repository.TallyRepository, certificates in a dict, the ledger's events and live
boards in lists. tests/integration/test_results_store.py holds them to the same assertions as the database and the
stream."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from veche_results.certifier import Certificates
from veche_results.export import StreamLedger, counted_ballot
from veche_results.live import BusBoards
from veche_results.ports import (
    BALLOTS,
    CertificateStore,
    Counted,
    LedgerReads,
    LiveBoards,
    MinuteVotes,
    Tallies,
    Tally,
)
from veche_results.repository import TallyRepository, minute_key
from veche_shared.contracts.results import Certificate, CountedBallot, LeaderboardChanged
from veche_shared.contracts.votes import VoteCast, VotesAnnulled


def as_bson(at: datetime) -> datetime:
    """A time as the database gives it back: BSON keeps milliseconds."""
    return at.replace(microsecond=at.microsecond // 1000 * 1000)


@dataclass
class Counter:
    """One counter document: its key's fields, its sum, the last sequence applied and the latest cast time."""

    fields: Counted
    votes: int = 0
    last_seq: int = 0
    last_vote_at: datetime | None = None


@dataclass
class CounterStorage:
    """What the database keeps: the three collections of counters by key. Survives an adapter (a process) going."""

    tallies: dict[str, Counter] = field(default_factory=dict)
    minutes: dict[str, Counter] = field(default_factory=dict)
    ballots: dict[str, Counter] = field(default_factory=dict)


def _apply(counters: dict[str, Counter], key: Callable[[Counted], str], counted: list[Counted]) -> None:
    by_key: dict[str, list[Counted]] = {}
    for item in counted:
        by_key.setdefault(key(item), []).append(item)
    for k, items in by_key.items():
        counter = counters.setdefault(k, Counter(items[0]))
        # the guard of the database's update: what the counter held before this batch is applied already (one
        # message may carry several items for one counter, an annulment of two ballots of one practice)
        fresh = [i for i in items if i.seq > counter.last_seq]
        if not fresh:
            continue
        counter.fields, counter.last_seq = fresh[-1], fresh[-1].seq
        counter.votes += sum(i.delta for i in fresh)
        for cast in (as_bson(i.at) for i in fresh if i.at is not None):
            counter.last_vote_at = cast if counter.last_vote_at is None else max(counter.last_vote_at, cast)


class InMemoryTallies:
    """The Tallies port in memory; pass the storage of a previous one to model a restarted process."""

    def __init__(self, storage: CounterStorage | None = None) -> None:
        self.storage = storage or CounterStorage()

    async def apply(self, counted: list[Counted]) -> None:
        practices = [c for c in counted if c.practice is not BALLOTS]
        _apply(self.storage.tallies, lambda c: f"{c.contest}:{c.nomination}:{c.practice}", practices)
        _apply(
            self.storage.minutes, lambda c: f"{c.contest}:{c.nomination}:{c.practice}:{minute_key(c.minute)}", practices
        )
        _apply(
            self.storage.ballots, lambda c: f"{c.contest}:{c.nomination}", [c for c in counted if c.practice is BALLOTS]
        )

    def _of(self, counters: dict[str, Counter], contest: str, nomination: str | None = None) -> list[Counter]:
        return [
            c
            for _, c in sorted(counters.items())
            if c.fields.contest == contest and nomination in (None, c.fields.nomination)
        ]

    async def tallies_of(self, contest: str, nomination: str) -> list[Tally]:
        return [
            Tally(str(c.fields.practice), c.votes, c.last_seq, c.last_vote_at)
            for c in self._of(self.storage.tallies, contest, nomination)
        ]

    async def ballots_of(self, contest: str, nomination: str) -> int:
        found = self.storage.ballots.get(f"{contest}:{nomination}")
        return found.votes if found else 0

    async def contest_ballots(self, contest: str) -> dict[str, int]:
        return {c.fields.nomination: c.votes for c in self._of(self.storage.ballots, contest)}

    async def contest_counts(self, contest: str) -> dict[tuple[str, str], int]:
        return {(c.fields.nomination, str(c.fields.practice)): c.votes for c in self._of(self.storage.tallies, contest)}

    async def minutes_of(self, contest: str, nomination: str, since: datetime) -> list[MinuteVotes]:
        return [
            MinuteVotes(str(c.fields.practice), as_bson(c.fields.minute), c.votes)
            for c in self._of(self.storage.minutes, contest, nomination)
            if c.fields.minute >= since
        ]

    async def prune_minutes(self, before: datetime) -> int:
        doomed = [key for key, c in self.storage.minutes.items() if c.fields.minute < before]
        for key in doomed:
            del self.storage.minutes[key]
        return len(doomed)


class InMemoryCertificates:
    def __init__(self) -> None:
        self.stored: dict[str, str] = {}  # contest -> the certificate as JSON, as the database keeps it

    async def get(self, contest: str) -> Certificate | None:
        found = self.stored.get(contest)
        return Certificate.model_validate_json(found) if found else None

    async def add(self, certificate: Certificate) -> bool:
        if certificate.contest in self.stored:
            return False
        self.stored[certificate.contest] = certificate.model_dump_json()
        return True


class RecordedLedger:
    """The LedgerReads port in memory: the ledger's events in order, numbered as the stream numbers them."""

    def __init__(self) -> None:
        self.events: list[tuple[int, VoteCast | VotesAnnulled]] = []

    def record(self, event: VoteCast | VotesAnnulled) -> int:
        seq = len(self.events) + 1
        self.events.append((seq, event))
        return seq

    async def last_sequence(self) -> int:
        return len(self.events)

    async def counted_ballots(self, contest: str) -> list[CountedBallot]:
        mine = [(seq, e) for seq, e in self.events if e.contest == contest]
        annulled = {v.vote_id for _, e in mine if isinstance(e, VotesAnnulled) for v in e.votes}
        return [counted_ballot(seq, e, e.vote_id in annulled) for seq, e in mine if isinstance(e, VoteCast)]


class SentBoards:
    """The LiveBoards port in memory: every snapshot sent, in order."""

    def __init__(self) -> None:
        self.sent: list[LeaderboardChanged] = []

    async def send(self, board: LeaderboardChanged) -> None:
        self.sent.append(board)


def adapters(
    tallies: InMemoryTallies,
    repository: TallyRepository,
    certificates: InMemoryCertificates,
    stored: Certificates,
    boards: SentBoards,
    bus: BusBoards,
    recorded: RecordedLedger,
    stream: StreamLedger,
) -> tuple[Tallies, Tallies, CertificateStore, CertificateStore, LiveBoards, LiveBoards, LedgerReads, LedgerReads]:
    """Both adapters of each port: mypy checks here that each has every method, with the same types."""
    return tallies, repository, certificates, stored, boards, bus, recorded, stream
