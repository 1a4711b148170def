"""What the results service's use cases need from outside, as ports: the counters (tallies, minute buckets, ballots
per nomination), the certificates, the reads of the ledger itself, the live boards on the bus and the sealing of a
board. Each has a real adapter (repository.TallyRepository and certifier.Certificates on MongoDB,
export.StreamLedger on stream VOTES, live.BusBoards on NATS) and an in-memory one (fakes.InMemoryTallies,
fakes.InMemoryCertificates, fakes.RecordedLedger, fakes.SentBoards) for fast use-case tests;
tests/integration/test_results_store.py runs the same assertions against both, so the fakes cannot drift from the
database and the stream.

The use cases name what they read (a nomination's tallies, a contest's counts); collections, keys and Mongo filters
stay in the adapters."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from veche_shared.contracts.results import Certificate, CountedBallot, Leaderboard, LeaderboardChanged

BALLOTS = None  # in place of a practice: the nomination's count of ballots


@dataclass(frozen=True)
class Counted:
    """One ledger message's effect on one practice's counters, or (practice BALLOTS) on its nomination's ballots."""

    seq: int
    contest: str
    nomination: str
    practice: str | None
    delta: int
    at: datetime | None  # cast time of a ballot; None for an annulment
    minute: datetime  # the minute it is charted in: cast time, or the annulment's time


@dataclass(frozen=True)
class Tally:
    """A practice's votes, the last ledger sequence applied to them and its latest ballot's cast time."""

    practice: str
    votes: int
    last_seq: int
    last_vote_at: datetime | None


@dataclass(frozen=True)
class MinuteVotes:
    """A practice's net votes in one minute (cast time for ballots, annulment time for annulments)."""

    practice: str
    minute: datetime
    votes: int


class Tallies(Protocol):
    """The counters, each guarded by the last ledger sequence applied to it: applying a message twice (a batch
    redelivered after a crash, by this process or the next) changes nothing the first time changed."""

    async def apply(self, counted: list[Counted]) -> None:
        """Apply messages in stream order; a message already applied to its counter is skipped."""

    async def tallies_of(self, contest: str, nomination: str) -> list[Tally]: ...

    async def ballots_of(self, contest: str, nomination: str) -> int:
        """Counted ballots in a nomination (0 before its first ballot)."""

    async def contest_ballots(self, contest: str) -> dict[str, int]:
        """nomination -> counted ballots, for the nominations that have a count of ballots."""

    async def contest_counts(self, contest: str) -> dict[tuple[str, str], int]:
        """(nomination, practice) -> votes for a whole contest."""

    async def minutes_of(self, contest: str, nomination: str, since: datetime) -> list[MinuteVotes]:
        """The minute buckets of a nomination from `since` on (inclusive)."""

    async def prune_minutes(self, before: datetime) -> int:
        """Drop the buckets of minutes before `before`; the tallies keep the totals. Returns how many went."""


class CertificateStore(Protocol):
    """One certificate per contest, never overwritten."""

    async def get(self, contest: str) -> Certificate | None: ...

    async def add(self, certificate: Certificate) -> bool:
        """Store a contest's certificate; False if one is there already (another results process was first)."""


class LedgerReads(Protocol):
    """What certifying reads of the vote ledger (stream VOTES) itself, rather than of the counters."""

    async def last_sequence(self) -> int:
        """The ledger's last sequence now: every ballot of a closed contest is at or before it."""

    async def counted_ballots(self, contest: str) -> list[CountedBallot]:
        """Every valid ballot of the contest in ledger order, marked annulled where an annulment names it."""


class LiveBoards(Protocol):
    """Where live snapshots go: live.leaderboard.<contest>.<nomination> on the bus."""

    async def send(self, board: LeaderboardChanged) -> None: ...


class Sealing(Protocol):
    """Live boards sealed with the log key and the log head they were counted at (sealing.BoardSealer)."""

    async def seal(
        self, contest: str, nomination: str, build: Callable[[], Awaitable[Leaderboard]]
    ) -> Leaderboard | None:
        """The board build() computes, sealed; None if another process writes this nomination's log."""
