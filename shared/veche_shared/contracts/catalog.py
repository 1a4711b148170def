"""The contest catalog: entities owned by the submissions service and their events."""

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import Field, HttpUrl, field_validator

from veche_shared.contracts.common import Contract, Id, new_id, utcnow
from veche_shared.contracts.texts import (
    DEFAULT_LANGUAGE,
    LanguageTag,
    Localized,
    OptionalTexts,
    PracticeDescription,
    PracticeSummary,
    PracticeTitle,
)


class Phase(StrEnum):
    draft = "draft"
    submissions_open = "submissions_open"
    voting_open = "voting_open"
    voting_closed = "voting_closed"
    results_published = "results_published"


class IdentityMode(StrEnum):
    jwt = "jwt"
    device = "device"


KeyRef = Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{1,64}$", description="name of a key or secret in settings")]
Claim = Annotated[str, Field(pattern=r"^[A-Za-z0-9_.:-]{1,64}$", examples=["phone_number_verified", "region"])]
DEFAULT_DEVICE_DIFFICULTY = 10_000
MAX_CHOICES = 10  # the most practices one approval ballot may hold


class ClaimRequirement(Contract):
    """An ID token claim that must hold one of the values, e.g. a verified phone or a region of residence."""

    claim: Claim
    one_of: list[Annotated[str, Field(max_length=200)] | bool | int] = Field(
        min_length=1, max_length=100, examples=[[True], ["perm", "perm-krai"]]
    )


class OidcSignIn(Contract):
    """Sign in with OpenID Connect (authorization code flow with PKCE) for a contest in identity mode `jwt`."""

    issuer: str = Field(
        pattern=r"^https?://[A-Za-z0-9._~:/?#@!$&'()*+,;=%-]{1,300}$",
        examples=["https://id.city.example"],
        description="the provider's issuer URL, exactly as its ID tokens carry it in `iss`",
    )
    client_id: str = Field(min_length=1, max_length=200, pattern=r"^[\x21-\x7e]+$")
    client_secret_ref: KeyRef = Field(
        description="name of the client secret in the gateway's settings, never the secret"
    )
    scopes: list[Annotated[str, Field(pattern=r"^[\x21\x23-\x5b\x5d-\x7e]{1,64}$")]] = Field(
        default_factory=lambda: ["openid"], min_length=1, max_length=20, description="must include openid"
    )
    require_claim: ClaimRequirement | None = None

    @field_validator("scopes")
    @classmethod
    def _openid_scope(cls, scopes: list[str]) -> list[str]:
        if "openid" not in scopes:
            raise ValueError("scopes must include openid")
        return scopes


class Visibility(StrEnum):
    live = "live"
    after_close = "after_close"
    hidden = "hidden"


class PracticeStatus(StrEnum):
    pending = "pending"
    approved = "approved"
    rejected = "rejected"
    withdrawn = "withdrawn"


class Contest(Contract):
    """A public vote with its phase and rules."""

    id: Id
    title: Localized
    description: OptionalTexts = Field(default_factory=dict)
    default_language: LanguageTag = Field(
        DEFAULT_LANGUAGE, description="texts fall back to it; plain-string texts of commands are in it"
    )
    phase: Phase = Phase.draft
    identity_mode: IdentityMode = IdentityMode.jwt
    visibility: Visibility = Visibility.live
    opens_at: datetime | None = Field(None, description="UTC start of the voting window")
    closes_at: datetime | None = Field(None, description="UTC end of the voting window")
    ballots_per_voter: Literal[1] = 1
    jwt_audience: str | None = Field(None, max_length=200, description="expected `aud`; the contest id if empty")
    jwt_key_ref: str = Field("default", pattern=r"^[A-Za-z0-9_-]{1,64}$", description="name of a voting key")
    jwt_issuer: str | None = Field(None, max_length=300, description="expected `iss` of direct JWTs; any if empty")
    jwt_max_age: int | None = Field(
        None, ge=60, le=366 * 24 * 3600, description="seconds a voter's JWT or ID token may be old (its `iat`)"
    )
    oidc: OidcSignIn | None = Field(None, description="sign in with OpenID Connect (identity mode `jwt`)")
    roll_claim: Claim | None = Field(
        None,
        description="identity mode `jwt`: the voter's JWT / ID token claim whose value must be on the contest's voter"
        " roll (e.g. `sub` or `resident_id`); null: no roll",
    )
    device_difficulty: int = Field(
        DEFAULT_DEVICE_DIFFICULTY, ge=1, le=10_000_000, description="proof-of-work steps for a device token"
    )
    version: int = Field(1, ge=1, description="optimistic-concurrency version")

    def is_public(self) -> bool:
        """Whether the public may see the contest at all: a draft is its organisers' alone, and to everyone
        else it is as unknown as a contest that does not exist."""
        return self.phase != Phase.draft

    def accepts_votes(self, now: datetime) -> bool:
        """Whether a ballot cast at `now` may count: voting is open and `now` is inside the window."""
        after_start = self.opens_at is None or self.opens_at <= now
        before_end = self.closes_at is None or now < self.closes_at
        return self.phase == Phase.voting_open and after_start and before_end

    def results_public(self) -> bool:
        """Whether the public may see the numbers now (operators always may)."""
        if not self.is_public():
            return False
        if self.visibility == Visibility.live:
            return True
        if self.visibility == Visibility.after_close:
            return self.phase in (Phase.voting_closed, Phase.results_published)
        return self.phase == Phase.results_published


class Nomination(Contract):
    """A category of a contest."""

    id: Id = Field(examples=["peoples-diplomacy"])
    contest: Id
    title: Localized
    description: OptionalTexts = Field(default_factory=dict)
    order: int = Field(0, ge=0, le=10_000)
    archived: bool = False
    max_choices: int = Field(
        1, ge=1, le=MAX_CHOICES, description="most practices one ballot may approve (1: a single choice)"
    )
    min_choices: int = Field(1, ge=1, le=MAX_CHOICES, description="fewest practices one ballot must approve")
    version: int = Field(1, ge=1)

    @property
    def approval(self) -> bool:
        """Whether a ballot here is a set of approved practices ("choose up to k") rather than one choice."""
        return self.max_choices > 1


class Municipality(Contract):
    """A city taking part."""

    id: Id = Field(examples=["perm"])
    name: Localized
    country: str = Field(pattern=r"^[A-Z]{2}$", examples=["RU"], description="ISO 3166-1 alpha-2")
    region: OptionalTexts | None = None
    lat: float = Field(ge=-90, le=90, examples=[58.0105])
    lon: float = Field(ge=-180, le=180, examples=[56.2502])
    population: int | None = Field(None, ge=0, le=100_000_000)
    version: int = Field(1, ge=1)


MAX_PHOTOS = 4
PHOTO_ID = r"^[0-9a-f]{20}$"


class Photo(Contract):
    """A photo a municipality uploaded with its practice, kept in two sizes (large, thumb) as JPEG; its id is a
    digest of the large image, so its address never shows other bytes."""

    id: str = Field(pattern=PHOTO_ID, examples=["3f2a9c1b7d4e5f6a8b9c"])
    width: int = Field(ge=1, le=4096, description="of the large image, in pixels")
    height: int = Field(ge=1, le=4096)
    alt: str = Field("", max_length=300, description="what the photo shows, for people who cannot see it")


class Practice(Contract):
    """What a municipality submits to a nomination (the public part)."""

    id: Id
    contest: Id
    nomination: Id
    municipality: Id
    title: PracticeTitle
    summary: PracticeSummary = Field(default_factory=dict)
    description: PracticeDescription = Field(default_factory=dict)
    links: list[HttpUrl] = Field(default_factory=list, max_length=10)
    photos: list[Photo] = Field(default_factory=list, max_length=MAX_PHOTOS, description="moderated with the text")
    status: PracticeStatus = PracticeStatus.pending
    reject_reason: str | None = Field(None, max_length=1_000)
    version: int = Field(1, ge=1)


class _Event(Contract):
    event_id: str = Field(default_factory=new_id, description="unique id; consumers ignore repeats")
    schema_version: Literal[1, 2] = Field(
        2,
        description="2: every text is a language -> text map. Version 1 (texts as {ru, en} pairs or plain strings)"
        " is read as 2: plain strings become language `und`, empty texts are dropped",
    )
    occurred_at: datetime = Field(default_factory=utcnow)


ContestEventType = Literal["ContestCreated", "ContestUpdated", "ContestPhaseChanged"]
NominationEventType = Literal["NominationCreated", "NominationUpdated"]
MunicipalityEventType = Literal["MunicipalityRegistered", "MunicipalityUpdated"]
PracticeEventType = Literal[
    "PracticeSubmitted",
    "PracticeUpdated",
    "PracticeApproved",
    "PracticeRejected",
    "PracticeWithdrawn",
    "PracticeResubmitted",
]
CatalogEventType = ContestEventType | NominationEventType | MunicipalityEventType | PracticeEventType


class ContestEvent(_Event):
    type: ContestEventType
    contest: Contest


class NominationEvent(_Event):
    type: NominationEventType
    nomination: Nomination


class MunicipalityEvent(_Event):
    type: MunicipalityEventType
    municipality: Municipality


class PracticeEvent(_Event):
    type: PracticeEventType
    practice: Practice


CatalogEvent = Annotated[
    ContestEvent | NominationEvent | MunicipalityEvent | PracticeEvent, Field(discriminator="type")
]
