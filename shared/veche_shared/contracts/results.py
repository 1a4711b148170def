"""Leaderboards: queries to the results service and live snapshots (live.leaderboard.*)."""

import json
from datetime import datetime
from typing import Any, Literal

from pydantic import Field, model_validator

from veche_shared.contracts.common import Contract, Id
from veche_shared.contracts.texts import Localized, PracticeTitle
from veche_shared.contracts.tlog import FinalCheckpoint

SERVICE = "results"


class LeaderboardEntry(Contract):
    practice: Id
    title: PracticeTitle
    municipality: Id
    municipality_name: Localized
    votes: int = Field(ge=0, examples=[1520], description="ballots approving this practice (its votes)")
    share: float = Field(
        ge=0, le=1, description="votes / ballots in the nomination (approval: the share of ballots approving it)"
    )
    rank: int = Field(ge=1, description="ties share a rank: 1, 1, 3")
    last_vote_at: datetime | None = None
    change_last_hour: int = Field(0, description="net votes gained in the last 60 minutes")


class Leaderboard(Contract):
    contest: Id
    nomination: Id
    visible: bool = Field(description="false when the contest hides results from the public")
    total_votes: int = Field(ge=0, description="approvals of all practices (single choice: equal to total_ballots)")
    total_ballots: int = Field(0, ge=0, description="counted ballots in the nomination, each a set of practices")
    max_choices: int = Field(1, ge=1, description="most practices one ballot approves here (1: a single choice)")
    entries: list[LeaderboardEntry]
    version: int = Field(ge=0, description="last ledger sequence applied, larger is newer; 0 while hidden")
    updated_at: datetime | None = Field(description="when these standings were computed; null while hidden")
    log_size: int | None = Field(None, ge=0, description="size of the nomination's log these numbers were counted at")
    log_root: str | None = Field(None, max_length=44, description="root hash (base64) of the log at log_size")
    signature: str | None = Field(
        None, max_length=100, description="the results service's Ed25519 signature (base64) of the board's statement"
    )

    def public(self) -> "Leaderboard":
        """What the public may see: a hidden board keeps nothing that moves with ballots (numbers, sequence, time).

        The results service leaves the sequence on hidden boards it sends the gateway, which orders snapshots by it;
        the gateway applies this to everything it answers.
        """
        if self.visible:
            return Leaderboard.model_validate(self.model_dump(exclude={"type"}))
        hidden = {
            "visible": False,
            "total_votes": 0,
            "total_ballots": 0,
            "entries": [],
            "version": 0,
            "updated_at": None,
        }
        return Leaderboard(contest=self.contest, nomination=self.nomination, max_choices=self.max_choices, **hidden)

    @model_validator(mode="after")
    def _hidden_means_no_numbers(self) -> "Leaderboard":
        """Hidden results carry no numbers, whoever built the board: a reader never has to hide them again."""
        if not self.visible and (self.total_votes or self.total_ballots or self.entries):
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
    points: list[MinutePoint] = Field(
        description="net votes (approvals) per minute, oldest first; minutes without votes omitted"
    )


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
    nominations: dict[str, int] = Field(description="nomination -> votes (approvals)")
    ballots: dict[str, int] = Field(default_factory=dict, description="nomination -> counted ballots")


SINGLE_CHOICE: Literal[1] = 1  # certificate and export schema: each ballot one `practice`
APPROVAL: Literal[2] = 2  # each ballot a set, `practices`


class CountedBallot(Contract):
    """One ballot as exported: anonymised (only the keyed voter hash), with whether it was annulled."""

    sequence: int = Field(ge=1)
    vote_id: str
    nomination: Id
    practices: list[Id] = Field(min_length=1, description="the approved practices, in id order")
    voter_hash: str = Field(pattern=r"^[0-9a-f]{64}$")
    annulled: bool

    @model_validator(mode="before")
    @classmethod
    def _single(cls, data: Any) -> Any:
        """A line of a single-choice export names one `practice`."""
        if isinstance(data, dict) and "practice" in data and "practices" not in data:
            data = {k: v for k, v in data.items() if k != "practice"} | {"practices": [data["practice"]]}
        return data

    def fields(self, schema_version: int) -> dict[str, Any]:
        """The ballot as an export of that schema writes it: `practice` (version 1) or `practices` (version 2)."""
        data = self.model_dump(mode="json")
        if schema_version == SINGLE_CHOICE:
            if len(self.practices) != 1:
                raise ValueError(f"ballot {self.vote_id} holds {len(self.practices)} practices: not single-choice")
            data["practice"] = data.pop("practices")[0]
        return data

    def line(self, schema_version: int) -> str:
        """The canonical text of a ballot: JSON with sorted keys and no spaces, one line (what the digest hashes)."""
        return json.dumps(self.fields(schema_version), sort_keys=True, separators=(",", ":"), ensure_ascii=True)

    def row(self, schema_version: int) -> dict[str, Any]:
        """The ballot as a CSV row: a set's practices separated by spaces."""
        data = self.fields(schema_version)
        if "practices" in data:
            data["practices"] = " ".join(data["practices"])
        return data


def csv_columns(schema_version: int) -> list[str]:
    choice = "practice" if schema_version == SINGLE_CHOICE else "practices"
    return ["sequence", "vote_id", "nomination", choice, "voter_hash", "annulled"]


class BallotPageQuery(Contract):
    """One page of a certified contest's counted ballots, in ledger order; pass next_after back."""

    contest: Id
    after: int = Field(0, ge=0, description="the last sequence of the previous page (0: from the start)")
    limit: int = Field(2_000, ge=1, le=2_000, description="ballots per page (a NATS message is 1 MB at most)")


class BallotPage(Contract):
    schema_version: int = Field(SINGLE_CHOICE, description="the certificate's: how a ballot line names its choice")
    ballots: list[CountedBallot]
    next_after: int | None = Field(description="`after` of the next page; null on the last one")


class Certificate(Contract):
    schema_version: Literal[1, 2] = Field(
        SINGLE_CHOICE,
        description="1: every nomination single-choice, a ballot line names one `practice`; 2: the contest has an"
        " approval nomination, a line names its `practices` and nomination_ballots counts ballots",
    )
    contest: Id
    ledger_last_sequence: int = Field(ge=0, description="last VOTES sequence of the contest included")
    ballots: int = Field(ge=0)
    annulled: int = Field(ge=0)
    digest_sha256: str = Field(pattern=r"^[0-9a-f]{64}$", description="SHA-256 over the ordered ballot lines")
    standings: dict[str, dict[str, int]] = Field(description="nomination -> practice -> counted votes (approvals)")
    nomination_ballots: dict[str, int] | None = Field(
        None, description="version 2: nomination -> counted ballots (a practice's share is its votes / these)"
    )
    issued_at: datetime
    logs: dict[str, FinalCheckpoint] | None = Field(
        None, description="nomination -> the final signed checkpoint of its transparency log (docs/verifiability.md)"
    )


class RecountDifference(Contract):
    nomination: Id
    practice: Id | None = Field(description="null: the nomination's count of ballots (approval nominations)")
    live: int
    recounted: int


class RecountReport(Contract):
    contest: Id
    ledger_messages: int = Field(ge=0)
    differences: list[RecountDifference] = Field(description="empty when the live counts equal the replay")
