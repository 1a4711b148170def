"""Voter rolls: who may vote in a contest, as keyed hashes of an identifier the voter's token carries.

The gateway parses an uploaded file and sends its identifiers to the voting service in parts; the voting service
keeps only HMAC(pepper, contest + identifier) in stream ROLL, and checks a voter's claim against it at every cast.
An identifier never leaves the upload request in clear: not at rest, not in a log, not in the audit trail.
"""

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field

from veche_shared.contracts.common import Contract, Id

RollIdentifier = Annotated[str, Field(min_length=1, max_length=128, pattern=r"^[^\x00-\x1f\x7f]+$")]
Generation = Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{1,64}$", description="one upload's entries")]


# replace: a new roll in place of the old, before voting opens; add: more entries in the roll in force
RollMode = Literal["replace", "add"]


class RollHead(Contract):
    """The roll in force: its generation and size, and who changed it last."""

    contest: Id
    generation: Generation
    entries: int = Field(ge=0, description="identifiers on the roll")
    updated_at: datetime
    updated_by: str = Field(max_length=64, description="name of the operator key that uploaded")
    mode: RollMode = Field(description="how the last upload changed it")


class RollQuery(Contract):
    contest: Id


class RollState(Contract):
    """A contest's roll as the voting service holds it (operators only)."""

    contest: Id
    claim: str | None = Field(description="the contest's roll_claim; null: the contest has no roll")
    head: RollHead | None = Field(description="null until a roll is uploaded")
    head_sequence: int = Field(ge=0, description="the head's position; a commit names it (0: no head yet)")


class AdminOrder(Contract):
    operator: str = Field(max_length=64, description="set by the gateway from the operator key")
    operator_key: str = Field(min_length=1, max_length=256, repr=False, description="the admin's key, checked again")


class WriteRollEntries(AdminOrder):
    """One part of an upload: identifiers to enter under a generation (the head's to add, a new one to replace)."""

    contest: Id
    generation: Generation
    identifiers: list[RollIdentifier] = Field(min_length=1, max_length=10_000, repr=False)


class RollEntriesWritten(Contract):
    written: int = Field(ge=0, description="entries new to the generation")
    already: int = Field(ge=0, description="entries it held already")


class CommitRoll(AdminOrder):
    """Put a generation in force (replace) or count what was added to it (add), if the head is still as read."""

    contest: Id
    generation: Generation
    mode: RollMode
    written: int = Field(ge=0, description="entries the parts wrote")
    head_sequence: int = Field(ge=0, description="RollState.head_sequence read before the upload")


class TurnoutOfNomination(Contract):
    ballots: int = Field(ge=0, description="counted ballots in the nomination")
    share: float = Field(ge=0, description="ballots / identifiers on the roll")


class RollStatus(Contract):
    """A contest's roll and the turnout against it (operators only, whatever the results' visibility)."""

    contest: Id
    claim: str | None
    head: RollHead | None
    turnout: dict[str, TurnoutOfNomination] = Field(default_factory=dict, description="per nomination")


class RollUploadSummary(Contract):
    """What an upload did: every line of the file is an identifier now on the roll."""

    contest: Id
    mode: RollMode
    lines: int = Field(ge=1, description="identifiers in the file")
    added: int = Field(ge=0, description="new to the roll")
    already: int = Field(ge=0, description="on the roll before (add)")
    entries: int = Field(ge=0, description="on the roll now")
