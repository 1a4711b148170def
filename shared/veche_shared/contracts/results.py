"""Leaderboards: queries to the results service and live snapshots (live.leaderboard.*)."""

import json
from datetime import datetime
from typing import Literal

from pydantic import Field, model_validator

from veche_shared.contracts.common import Contract, Id
from veche_shared.contracts.texts import Localized, PracticeTitle

SERVICE = "results"


class LeaderboardEntry(Contract):
    practice: Id
    title: PracticeTitle
    municipality: Id
    municipality_name: Localized
    votes: int = Field(ge=0, examples=[1520])
    share: float = Field(ge=0, le=1, description="votes / all votes in the nomination")
    rank: int = Field(ge=1, description="ties share a rank: 1, 1, 3")
    last_vote_at: datetime | None = None
    change_last_hour: int = Field(0, description="net votes gained in the last 60 minutes")


class Leaderboard(Contract):
    contest: Id
    nomination: Id
    visible: bool = Field(description="false when the contest hides results from the public")
    total_votes: int = Field(ge=0)
    entries: list[LeaderboardEntry]
    version: int = Field(ge=0, description="last ledger sequence applied, larger is newer; 0 while hidden")
    updated_at: datetime | None = Field(description="when these standings were computed; null while hidden")

    def public(self) -> "Leaderboard":
        """What the public may see: a hidden board keeps nothing that moves with ballots (numbers, sequence, time).

        The results service leaves the sequence on hidden boards it sends the gateway, which orders snapshots by it;
        the gateway applies this to everything it answers.
        """
        if self.visible:
            return Leaderboard.model_validate(self.model_dump(exclude={"type"}))
        hidden = {"visible": False, "total_votes": 0, "entries": [], "version": 0, "updated_at": None}
        return Leaderboard(contest=self.contest, nomination=self.nomination, **hidden)

    @model_validator(mode="after")
    def _hidden_means_no_numbers(self) -> "Leaderboard":
        """Hidden results carry no numbers, whoever built the board: a reader never has to hide them again."""
        if not self.visible and (self.total_votes or self.entries):
            raise ValueError("a leaderboard that is not visible carries no votes and no entries")
        return self


class LeaderboardChanged(Leaderboard):
    type: Literal["LeaderboardChanged"] = "LeaderboardChanged"


class LeaderboardQuery(Contract):
    contest: Id
    nomination: Id
    include_hidden: bool = Field(False, description="operators with the observer role only")


class ContestQuery(Contract):
    contest: Id
    include_hidden: bool = Field(False, description="operators with the observer role only")


class TimeSeriesQuery(Contract):
    contest: Id
    nomination: Id
    minutes: int = Field(60, ge=1, le=2_880, description="how far back, in minutes")
    include_hidden: bool = False


class MinutePoint(Contract):
    minute: datetime
    votes: int


class TimeSeries(Contract):
    contest: Id
    nomination: Id
    visible: bool
    points: list[MinutePoint] = Field(description="net votes per minute, oldest first; minutes without votes omitted")


class MunicipalityTotal(Contract):
    municipality: Id
    name: Localized
    lat: float
    lon: float
    votes: int = Field(ge=0)


class MunicipalityTotals(Contract):
    """Votes for each municipality's practices across a contest: the data of the map."""

    contest: Id
    visible: bool
    municipalities: list[MunicipalityTotal]


class ContestTotals(Contract):
    contest: Id
    visible: bool
    total_votes: int = Field(ge=0)
    nominations: dict[str, int] = Field(description="nomination -> votes")


class CountedBallot(Contract):
    """One ballot as exported: anonymised (only the keyed voter hash), with whether it was annulled."""

    sequence: int = Field(ge=1)
    vote_id: str
    nomination: Id
    practice: Id
    voter_hash: str = Field(pattern=r"^[0-9a-f]{64}$")
    annulled: bool

    def line(self) -> str:
        """The canonical text of a ballot: JSON with sorted keys and no spaces, one line (what the digest hashes)."""
        return json.dumps(self.model_dump(mode="json"), sort_keys=True, separators=(",", ":"), ensure_ascii=True)


class BallotPageQuery(Contract):
    """One page of a certified contest's counted ballots, in ledger order; pass next_after back."""

    contest: Id
    after: int = Field(0, ge=0, description="the last sequence of the previous page (0: from the start)")
    limit: int = Field(2_000, ge=1, le=2_000, description="ballots per page (a NATS message is 1 MB at most)")


class BallotPage(Contract):
    ballots: list[CountedBallot]
    next_after: int | None = Field(description="`after` of the next page; null on the last one")


class Certificate(Contract):
    schema_version: int = 1
    contest: Id
    ledger_last_sequence: int = Field(ge=0, description="last VOTES sequence of the contest included")
    ballots: int = Field(ge=0)
    annulled: int = Field(ge=0)
    digest_sha256: str = Field(pattern=r"^[0-9a-f]{64}$", description="SHA-256 over the ordered ballot lines")
    standings: dict[str, dict[str, int]] = Field(description="nomination -> practice -> counted votes")
    issued_at: datetime


class RecountDifference(Contract):
    nomination: Id
    practice: Id
    live: int
    recounted: int


class RecountReport(Contract):
    contest: Id
    ledger_messages: int = Field(ge=0)
    differences: list[RecountDifference] = Field(description="empty when the live counts equal the replay")
