"""Commands and queries answered by the submissions service (svc.submissions.*)."""

from datetime import datetime
from typing import Annotated

from pydantic import EmailStr, Field, HttpUrl, StringConstraints

from veche_shared.contracts.catalog import (
    Contest,
    IdentityMode,
    Municipality,
    Nomination,
    Phase,
    Practice,
    PracticeStatus,
    Visibility,
)
from veche_shared.contracts.common import Contract, Id, Localized, LongText, ShortText

SERVICE = "submissions"


class CreateContest(Contract):
    id: Id
    title: Localized
    description: Localized = Localized()
    identity_mode: IdentityMode = IdentityMode.jwt
    visibility: Visibility = Visibility.live
    opens_at: datetime | None = None
    closes_at: datetime | None = None
    jwt_audience: str | None = Field(None, max_length=200)
    jwt_key_ref: str = Field("default", pattern=r"^[A-Za-z0-9_-]{1,64}$")


class ChangePhase(Contract):
    contest: Id
    phase: Phase
    expected_version: int | None = Field(None, ge=1, description="refuse with 409 if the contest changed")


class CreateNomination(Contract):
    contest: Id
    id: Id
    title: Localized
    description: Localized = Localized()
    order: int = Field(0, ge=0, le=10_000)


class RegisterMunicipality(Contract):
    id: Id
    name: Localized
    country: str = Field(pattern=r"^[A-Z]{2}$")
    region: str | None = Field(None, max_length=200)
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    population: int | None = Field(None, ge=0, le=100_000_000)


class SubmitPractice(Contract):
    id: Id | None = Field(None, description="chosen by the server if empty")
    contest: Id
    nomination: Id
    municipality: Id
    title: ShortText
    summary: Annotated[str, StringConstraints(strip_whitespace=True, max_length=1_000)] = ""
    description: LongText = ""
    links: list[HttpUrl] = Field(default_factory=list, max_length=10)
    contact: EmailStr | None = Field(None, description="moderators' contact; never published")


class ModeratePractice(Contract):
    practice: Id
    expected_version: int | None = Field(None, ge=1)


class GetContest(Contract):
    contest: Id


class ListPractices(Contract):
    contest: Id
    nomination: Id | None = None
    status: PracticeStatus | None = None


class ListNominations(Contract):
    contest: Id


class ListMunicipalities(Contract):
    ids: list[Id] | None = Field(None, max_length=1_000)


__all__ = ["Contest", "Municipality", "Nomination", "Practice"]
