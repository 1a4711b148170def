"""The vote ledger: commands to the voting service and events in stream VOTES."""

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, Field, field_validator, model_validator

from veche_shared.contracts.catalog import MAX_CHOICES, IdentityMode
from veche_shared.contracts.common import Contract, Id

SERVICE = "voting"
ASKED_CHOICES = 64  # the most practices a request may name: more than any nomination allows, so the voting
# service, which knows the nomination's max_choices, refuses the excess with its own code (too_many_choices)
Choice = Annotated[list[Id], Field(min_length=1, max_length=ASKED_CHOICES, examples=[["perm-peoples-diplomacy"]])]
Approved = Annotated[
    list[Id],
    Field(
        min_length=1,
        max_length=MAX_CHOICES,
        description="the approved practices, distinct, in id order (one for a single-choice nomination)",
        examples=[["kazan-peoples-diplomacy", "perm-peoples-diplomacy"]],
    ),
]


def one_practice_as_a_set(data: Any) -> Any:
    """Take `{"practice": p}` (the single-choice form) as `{"practices": [p]}`."""
    if isinstance(data, dict) and "practice" in data and "practices" not in data:
        data = {k: v for k, v in data.items() if k != "practice"} | {"practices": [data["practice"]]}
    return data


def upcast_v1(data: Any) -> Any:
    """Version 1 of a ledger event named one `practice`; version 2 holds `practices`, a set of one or more."""
    if isinstance(data, dict) and data.get("schema_version", 1) == 1:
        data = one_practice_as_a_set(data) | {"schema_version": 2}
    return data


def canonical(practices: list[str]) -> list[str]:
    """A ballot's set in its one written form: distinct ids in id order."""
    if len(set(practices)) != len(practices):
        raise ValueError("a practice may be approved once per ballot")
    return sorted(practices)


class ClientKind(StrEnum):
    web = "web"
    embed = "embed"
    api = "api"
    other = "other"


class VoteRequest(Contract):
    """A ballot as a voter sends it: the practices approved, or `{"practice": ...}` for a set of one."""

    practices: Choice = Field(description="up to the nomination's max_choices distinct practices")

    @model_validator(mode="before")
    @classmethod
    def _single(cls, data: Any) -> Any:
        return one_practice_as_a_set(data)


class CastVote(Contract):
    """A voter's request to cast a ballot, as the gateway forwards it."""

    contest: Id
    nomination: Id = Field(examples=["peoples-diplomacy"])
    practices: Choice = Field(description="as the voter sent them; the voting service checks the set")
    token: str = Field(min_length=1, max_length=4_096, description="voter identity token (JWT or device token)")
    idempotency_key: str | None = Field(None, pattern=r"^[A-Za-z0-9_-]{8,128}$")
    client_ip: str = Field("", max_length=64, description="hashed by the voting service, never stored raw")
    client_kind: ClientKind = ClientKind.api


class Receipt(Contract):
    """The platform's signature that this ballot will be the log entry with this leaf hash (docs/verifiability.md)."""

    leaf: str = Field(
        pattern=r"^[A-Za-z0-9+/]{43}=$", description="SHA-256 leaf hash of the ballot's log entry, base64"
    )
    cast_at: str = Field(max_length=32, description="the cast time exactly as the entry and the statement spell it")
    signature: str = Field(max_length=100, description="Ed25519 signature (base64) of the receipt's statement")


class CastAccepted(Contract):
    vote_id: str = Field(examples=["01JD0Q3S6ZJ4WQ1Y8W3V9N5KXH"])
    status: Literal["accepted", "retry"] = Field(description="`retry`: the same idempotency key was seen before")
    cast_at: datetime
    sequence: int | None = Field(
        ge=1, description="position of the ballot in the ledger; null unless the contest shows its results now"
    )
    receipt: Receipt | None = Field(None, description="the signed receipt: keep it to check the ballot is counted")


class MyBallotQuery(Contract):
    contest: Id
    nomination: Id
    token: str = Field(min_length=1, max_length=4_096)


class VoteCast(Contract):
    """One ballot, as written to the ledger on votes.cast.<partition>.<contest>.<voter_hash> (the contest's partition).

    Version 2 holds a set of practices; a version 1 event (one `practice`) is read as a set of one.
    """

    type: Literal["VoteCast"] = "VoteCast"
    schema_version: Literal[2] = 2
    vote_id: str
    contest: Id
    nomination: Id
    practices: Approved
    voter_hash: str = Field(pattern=r"^[0-9a-f]{64}$")
    identity_mode: IdentityMode
    ip_hash: str = Field("", pattern=r"^([0-9a-f]{64})?$")
    client_kind: ClientKind = ClientKind.api
    cast_at: datetime
    idempotency_hash: str = Field("", description="keyed hash of the client's Idempotency-Key")

    @model_validator(mode="before")
    @classmethod
    def _upcast(cls, data: Any) -> Any:
        return upcast_v1(data)

    @field_validator("practices")
    @classmethod
    def _canonical(cls, practices: list[str]) -> list[str]:
        return canonical(practices)


class BallotAnnulment(Contract):
    """Why a ballot is not counted: the annulment that took it out."""

    annulment_id: str
    reason: str = Field(examples=["a bot farm: 3,000 votes from one address"])
    occurred_at: datetime


class MyBallot(VoteCast):
    """A voter's own ballot, and whether it counts: an annulled ballot says so, with the annulment's reason."""

    practice: Id | None = Field(None, description="the one practice of a ballot of one (the single-choice form)")
    counted: bool = Field(True, description="false once the ballot is annulled")
    receipt: Receipt | None = Field(None, description="the ballot's signed receipt, the same as the vote's answer gave")
    sequence: int | None = Field(
        None, ge=1, description="the ballot's ledger sequence (finds its log entry); null while results are hidden"
    )

    @classmethod
    def of(
        cls,
        ballot: VoteCast,
        annulment: BallotAnnulment | None = None,
        *,
        receipt: Receipt | None = None,
        sequence: int | None = None,
    ) -> "MyBallot":
        the_one = ballot.practices[0] if len(ballot.practices) == 1 else None
        fields = {"practice": the_one, "counted": annulment is None, "annulment": annulment}
        return cls(**ballot.model_dump(), **fields, receipt=receipt, sequence=sequence)

    annulment: BallotAnnulment | None = None


class AnnulledVote(Contract):
    vote_id: str
    practices: Approved
    voter_hash: str = Field(pattern=r"^[0-9a-f]{64}$")
    sequence: int = Field(ge=1, description="ledger sequence of the annulled VoteCast")


class VotesAnnulled(Contract):
    """Ballots of one nomination taken out of the count, on votes.annulled.<partition>.<contest>.<nomination>.<id>.

    It lives in stream VOTES so the results service applies it in order with the votes.
    """

    type: Literal["VotesAnnulled"] = "VotesAnnulled"
    schema_version: Literal[2] = Field(
        2, description="2: each vote names its set of practices; version 1 (one `practice` each) is read as 2"
    )
    annulment_id: str
    contest: Id
    nomination: Id
    votes: list[AnnulledVote] = Field(min_length=1)
    reason: str = Field(min_length=1, max_length=1_000)
    operator: str = Field(max_length=64, description="name of the operator key that asked for it")
    occurred_at: datetime

    @model_validator(mode="before")
    @classmethod
    def _upcast(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("schema_version", 1) == 1:
            votes = [one_practice_as_a_set(v) for v in data.get("votes", [])]
            data = data | {"schema_version": 2, "votes": votes}
        return data


class Annulment(Contract):
    """Which ballots to take out of the count, and why: exactly one selector, vote_ids, voter_hash, or ip_hash
    with cast_from and cast_until."""

    vote_ids: list[str] | None = Field(
        None,
        min_length=1,
        max_length=10_000,
        description="ballots by vote id",
        examples=[["01JD0Q3S6ZJ4WQ1Y8W3V9N5KXH"]],
    )
    voter_hash: str | None = Field(None, pattern=r"^[0-9a-f]{64}$", description="every ballot of one voter")
    ip_hash: str | None = Field(
        None, pattern=r"^[0-9a-f]{64}$", description="ballots from one IP in [cast_from, cast_until)"
    )
    cast_from: AwareDatetime | None = Field(None, description="with ip_hash: first instant of the range (UTC)")
    cast_until: AwareDatetime | None = Field(None, description="with ip_hash: end of the range, exclusive (UTC)")
    reason: str = Field(min_length=1, max_length=1_000, examples=["a bot farm: 3,000 votes from one address"])
    dry_run: bool = Field(False, strict=True, description="count what would be annulled, write nothing")

    @model_validator(mode="after")
    def _one_selector(self) -> "Annulment":
        chosen = [s for s in (self.vote_ids, self.voter_hash, self.ip_hash) if s is not None]
        if len(chosen) != 1:
            raise ValueError("give exactly one of vote_ids, voter_hash, ip_hash")
        if self.ip_hash is None and (self.cast_from or self.cast_until):
            raise ValueError("cast_from / cast_until go with ip_hash")
        if self.ip_hash is not None and not (self.cast_from and self.cast_until and self.cast_from < self.cast_until):
            raise ValueError("ip_hash needs a range: cast_from < cast_until")
        return self


class AnnulVotes(Annulment):
    """An operator's order to take ballots of a contest out of the count."""

    contest: Id
    operator: str = Field(max_length=64, description="set by the gateway from the operator key")
    operator_key: str = Field(
        min_length=1, max_length=256, repr=False, description="the admin's API key as presented; checked again here"
    )


class AnnulmentReport(Contract):
    """What an annulment did (or, in a dry run, would do)."""

    annulment_id: str
    dry_run: bool
    matched: int = Field(ge=0, description="ballots the selector found")
    already_annulled: int = Field(ge=0, description="of those, annulled before; never annulled twice")
    annulled: int = Field(ge=0, description="annulled now (would be, in a dry run)")
    by_nomination: dict[str, int] = Field(default_factory=dict, description="annulled per nomination")
