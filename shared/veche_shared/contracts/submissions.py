"""Commands and queries answered by the submissions service (svc.submissions.*)."""

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Base64Bytes, EmailStr, Field, HttpUrl, StringConstraints

from veche_shared.contracts.catalog import (
    DEFAULT_DEVICE_DIFFICULTY,
    MAX_CHOICES,
    PHOTO_ID,
    Claim,
    Contest,
    IdentityMode,
    Municipality,
    Nomination,
    OidcSignIn,
    Phase,
    Practice,
    PracticeStatus,
    Visibility,
)
from veche_shared.contracts.common import Contract, Id, Omittable, WholeNumber
from veche_shared.contracts.texts import (
    DEFAULT_LANGUAGE,
    LanguageTag,
    LocalizedInput,
    OptionalTextsInput,
    PracticeDescriptionInput,
    PracticeSummaryInput,
    PracticeTitleInput,
)

SERVICE = "submissions"
Version = Annotated[
    int, Field(ge=1, strict=True, description="the version you read; 409 stale_version if it moved on"), WholeNumber
]
KeyRef = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{1,64}$")]
TitleSearch = Annotated[str, StringConstraints(min_length=1, max_length=200), Field(description="case-insensitive")]
PhotoSize = Literal["large", "thumb"]
Choices = Annotated[int, Field(ge=1, le=MAX_CHOICES, strict=True), WholeNumber]


class CreateContest(Contract):
    id: Id
    title: LocalizedInput
    description: OptionalTextsInput = Field(default_factory=dict)
    default_language: LanguageTag = Field(DEFAULT_LANGUAGE, description="plain-string texts are in it")
    identity_mode: IdentityMode = IdentityMode.jwt
    visibility: Visibility = Visibility.live
    opens_at: datetime | None = None
    closes_at: datetime | None = None
    jwt_audience: str | None = Field(None, max_length=200)
    jwt_key_ref: str = Field("default", pattern=r"^[A-Za-z0-9_-]{1,64}$")
    jwt_issuer: str | None = Field(None, max_length=300)
    jwt_max_age: Annotated[int, Field(ge=60, le=366 * 24 * 3600, strict=True), WholeNumber] | None = None
    oidc: OidcSignIn | None = None
    device_difficulty: Annotated[int, Field(ge=1, le=10_000_000, strict=True), WholeNumber] = DEFAULT_DEVICE_DIFFICULTY
    roll_claim: Claim | None = Field(None, description="identity mode jwt: the claim checked against the voter roll")


class PhaseChange(Contract):
    phase: Phase
    expected_version: Annotated[int, Field(ge=1, strict=True), WholeNumber] | None = Field(
        None, description="refuse with 409 if the contest changed"
    )


class NewNomination(Contract):
    id: Id
    title: LocalizedInput = Field(description="a map, or a plain string in the contest's default language")
    description: OptionalTextsInput = Field(default_factory=dict)
    order: Annotated[int, Field(ge=0, le=10_000, strict=True), WholeNumber] = 0
    max_choices: Choices = Field(1, description="most practices a ballot may approve; 1 is a single choice")
    min_choices: Choices = Field(1, description="fewest practices a ballot must approve (at most max_choices)")


class RegisterMunicipality(Contract):
    id: Id
    name: LocalizedInput = Field(description=f"a map, or a plain string in `{DEFAULT_LANGUAGE}`")
    country: str = Field(pattern=r"^[A-Z]{2}$")
    region: OptionalTextsInput | None = None
    lat: float = Field(ge=-90, le=90, strict=True)
    lon: float = Field(ge=-180, le=180, strict=True)
    population: Annotated[int, Field(ge=0, le=100_000_000, strict=True), WholeNumber] | None = None


class PracticeDraft(Contract):
    """A practice as its municipality writes it (a representative's submission names no municipality: the
    invitation does)."""

    id: Id | None = Field(None, description="chosen by the server if empty")
    nomination: Id
    title: PracticeTitleInput = Field(description="a map, or a plain string in the contest's default language")
    summary: PracticeSummaryInput = Field(default_factory=dict)
    description: PracticeDescriptionInput = Field(default_factory=dict)
    links: list[HttpUrl] = Field(default_factory=list, max_length=10)
    contact: EmailStr | None = Field(None, description="moderators' contact; never published")


class NewPractice(PracticeDraft):
    municipality: Id


class Moderation(Contract):
    expected_version: Annotated[int, Field(ge=1, strict=True), WholeNumber] | None = Field(
        None, description="refuse with 409 if the practice changed"
    )


class ModeratePractice(Moderation):
    practice: Id


class ContestChanges(Contract):
    """Change the settings given; fields left out keep their value (send null to clear a window bound)."""

    expected_version: Version
    title: Omittable[LocalizedInput] = None
    description: Omittable[OptionalTextsInput] = None
    default_language: Omittable[LanguageTag] = None
    identity_mode: Omittable[IdentityMode] = None
    visibility: Omittable[Visibility] = None
    opens_at: datetime | None = None
    closes_at: datetime | None = None
    jwt_audience: str | None = Field(None, max_length=200)
    jwt_key_ref: Omittable[KeyRef] = None
    jwt_issuer: str | None = Field(None, max_length=300)
    jwt_max_age: Annotated[int, Field(ge=60, le=366 * 24 * 3600, strict=True), WholeNumber] | None = None
    oidc: OidcSignIn | None = None
    device_difficulty: Omittable[Annotated[int, Field(ge=1, le=10_000_000, strict=True), WholeNumber]] = None
    roll_claim: Claim | None = Field(None, description="null: no voter roll; locked once voting has begun")


class NominationChanges(Contract):
    """Retitle, reorder or archive a nomination; fields left out keep their value."""

    expected_version: Version
    title: Omittable[LocalizedInput] = None
    description: Omittable[OptionalTextsInput] = None
    order: Omittable[Annotated[int, Field(ge=0, le=10_000, strict=True), WholeNumber]] = None
    archived: Omittable[Annotated[bool, Field(strict=True)]] = None
    max_choices: Omittable[Choices] = Field(None, description="only before voting opens")
    min_choices: Omittable[Choices] = Field(None, description="only before voting opens")


class MunicipalityChanges(Contract):
    """Fields left out keep their value; region and population can be cleared with null."""

    expected_version: Version
    name: Omittable[LocalizedInput] = None
    country: Omittable[Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]] = None
    region: OptionalTextsInput | None = None
    lat: Omittable[Annotated[float, Field(ge=-90, le=90, strict=True)]] = None
    lon: Omittable[Annotated[float, Field(ge=-180, le=180, strict=True)]] = None
    population: Annotated[int, Field(ge=0, le=100_000_000, strict=True), WholeNumber] | None = None


class PracticeChanges(Contract):
    """Change a practice while it is pending moderation; fields left out keep their value."""

    expected_version: Version
    title: Omittable[PracticeTitleInput] = None
    summary: Omittable[PracticeSummaryInput] = None
    description: Omittable[PracticeDescriptionInput] = None
    links: Omittable[Annotated[list[HttpUrl], Field(max_length=10)]] = None
    contact: EmailStr | None = None


class Rejection(Contract):
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1_000)]
    expected_version: Annotated[int, Field(ge=1, strict=True), WholeNumber] | None = None


class ChangePhase(PhaseChange):
    contest: Id


class CreateNomination(NewNomination):
    contest: Id


class SubmitPractice(NewPractice):
    contest: Id


class UpdateContest(ContestChanges):
    contest: Id


class UpdateNomination(NominationChanges):
    contest: Id
    nomination: Id


class UpdateMunicipality(MunicipalityChanges):
    municipality: Id


class EditPractice(PracticeChanges):
    practice: Id


class RejectPractice(Rejection):
    practice: Id


class GetContest(Contract):
    contest: Id


class GetPhoto(Contract):
    """One size of a practice's photo: for the public only of an approved practice of a public contest; operators
    (moderation) see every practice's."""

    practice: Id
    photo: str = Field(pattern=PHOTO_ID)
    size: PhotoSize
    public: bool = True


class PhotoFile(Contract):
    content_type: Literal["image/jpeg"] = "image/jpeg"
    data: Base64Bytes


class GetPractice(Contract):
    """One practice as the public sees it: approved, in a contest past draft (anything else is unknown)."""

    contest: Id
    practice: Id


class PracticeFilters(Contract):
    """Which practices of a contest, and which page of them."""

    nomination: Id | None = None
    municipality: Id | None = None
    status: PracticeStatus | None = None
    cursor: str | None = Field(None, max_length=200, description="next_cursor of the previous page")
    limit: int = Field(100, ge=1, le=1_000)


class ListPractices(PracticeFilters):
    """Practices of a contest; the public sees only approved ones of contests past draft."""

    contest: Id
    title_contains: TitleSearch | None = None
    include_unpublished: bool = Field(False, description="operators only: every status, drafts included")


class PracticePage(Contract):
    """A page in id order: may hold fewer than limit items (a page stays under 1 MB); only a null next_cursor
    says there are no more."""

    items: list[Practice]
    next_cursor: str | None = Field(None, description="pass it back for the next page; null on the last page")
    municipality_names: dict[str, dict[str, str]] = Field(
        default_factory=dict, description="operators' pages: the name of each listed practice's municipality"
    )
    contacts: dict[str, str] = Field(
        default_factory=dict,
        description="operators' pages, moderators and up: the contact e-mail each listed practice gave (never public)",
    )


class ListNominations(Contract):
    contest: Id


class MunicipalityFilters(Contract):
    """Which municipalities, and which page of them (in id order)."""

    q: TitleSearch | None = Field(None, description="part of the id or of the name in any language")
    country: str | None = Field(None, pattern=r"^[A-Z]{2}$", examples=["RU"])
    cursor: str | None = Field(None, max_length=200, description="next_cursor of the previous page")
    limit: int = Field(500, ge=1, le=1_000)


class ListMunicipalities(MunicipalityFilters):
    ids: list[Id] | None = Field(None, max_length=1_000)


class MunicipalityPage(Contract):
    """A page in id order: may hold fewer than limit items (a page stays under 1 MB); only a null next_cursor
    says there are no more."""

    items: list[Municipality]
    next_cursor: str | None = Field(None, description="pass it back for the next page; null on the last page")


class ImportMunicipalities(Contract):
    """A batch of a municipality import: all of it is checked before any of it is written."""

    items: list[RegisterMunicipality] = Field(
        min_length=1, max_length=5_000, description="as many as fit in one NATS message (1 MB)"
    )
    dry_run: bool = Field(False, strict=True, description="only report the problems")


class ImportProblem(Contract):
    index: int = Field(ge=0, description="position in items")
    code: str = Field(examples=["name_taken"])
    message: str


class ImportReport(Contract):
    created: int = Field(ge=0)
    unchanged: int = Field(ge=0, description="already registered with the same data (a re-import)")
    unchanged_at: list[int] = Field(default_factory=list, description="positions in items of the unchanged rows")
    problems: list[ImportProblem] = Field(default_factory=list)


class SnapshotQuery(Contract):
    """One page of the catalog snapshot; pass next_cursor back until it is null."""

    cursor: str | None = Field(None, max_length=400)
    limit: int = Field(1_000, ge=1, le=2_000, description="entities per page (NATS messages are 1 MB at most)")


class CatalogSnapshot(Contract):
    """Entities of one page, and where to resume stream CATALOG once every page is applied.

    Keep the newer version of every entity (as CatalogView does): changes made while you page are in the
    stream after resume_from, so applying the pages and then the stream from resume_from converges.
    """

    resume_from: int = Field(ge=1, description="the first CATALOG stream sequence to read after the snapshot")
    contests: list[Contest] = Field(default_factory=list)
    nominations: list[Nomination] = Field(default_factory=list)
    municipalities: list[Municipality] = Field(default_factory=list)
    practices: list[Practice] = Field(default_factory=list)
    next_cursor: str | None = None


__all__ = ["Contest", "Municipality", "Nomination", "Practice"]
