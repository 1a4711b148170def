"""Leaderboards: queries to the results service and live snapshots (live.leaderboard.*)."""

from datetime import datetime
from typing import Literal

from pydantic import Field

from veche_shared.contracts.common import Contract, Id, Localized

SERVICE = "results"


class LeaderboardEntry(Contract):
    practice: Id
    title: str
    municipality: Id
    municipality_name: Localized
    votes: int = Field(ge=0, examples=[1520])
    share: float = Field(ge=0, le=1, description="votes / all votes in the nomination")
    rank: int = Field(ge=1, description="ties share a rank: 1, 1, 3")
    last_vote_at: datetime | None = None


class Leaderboard(Contract):
    contest: Id
    nomination: Id
    visible: bool = Field(description="false when the contest hides results from the public")
    total_votes: int = Field(ge=0)
    entries: list[LeaderboardEntry]
    version: int = Field(ge=0, description="last ledger sequence applied; larger is newer")
    updated_at: datetime


class LeaderboardChanged(Leaderboard):
    type: Literal["LeaderboardChanged"] = "LeaderboardChanged"


class LeaderboardQuery(Contract):
    contest: Id
    nomination: Id
    include_hidden: bool = Field(False, description="operators with the observer role only")


class ContestQuery(Contract):
    contest: Id
    include_hidden: bool = Field(False, description="operators with the observer role only")
