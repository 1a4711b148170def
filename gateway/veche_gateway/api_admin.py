"""Operator REST API under /api/v1/admin (X-API-Key with a role)."""

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from pydantic import Field

from veche_gateway.api_public import Refusals
from veche_gateway.auth import require
from veche_gateway.settings import OperatorKey
from veche_gateway.upstream import ask
from veche_shared.contracts import results
from veche_shared.contracts import submissions as s
from veche_shared.contracts.catalog import Contest, Municipality, Nomination, Phase, Practice, PracticeStatus
from veche_shared.contracts.common import Contract, Id, Localized, LongText, ShortText
from veche_shared.contracts.results import Leaderboard

router = APIRouter(prefix="/api/v1/admin", tags=["operators"], responses=Refusals)
Admin = Annotated[OperatorKey, Depends(require("admin"))]
Moderator = Annotated[OperatorKey, Depends(require("moderator"))]
Observer = Annotated[OperatorKey, Depends(require("observer"))]


class PhaseChange(Contract):
    phase: Phase
    expected_version: int | None = Field(None, ge=1)


class NewNomination(Contract):
    id: Id
    title: Localized
    description: Localized = Localized()
    order: int = Field(0, ge=0, le=10_000)


class NewPractice(Contract):
    id: Id | None = None
    nomination: Id
    municipality: Id
    title: ShortText
    summary: str = Field("", max_length=1_000)
    description: LongText = ""
    links: list[str] = Field(default_factory=list, max_length=10)
    contact: str | None = Field(None, max_length=320)


class Moderation(Contract):
    expected_version: int | None = Field(None, ge=1)


@router.post("/contests", status_code=201)
async def create_contest(request: Request, body: s.CreateContest, _: Admin) -> Contest:
    """Create a contest (phase draft)."""
    return Contest.model_validate(await ask(request, s.SERVICE, "contest.create", body))


@router.get("/contests/{contest}")
async def get_contest(request: Request, contest: Id, _: Observer) -> Contest:
    """A contest in any phase, drafts included."""
    return Contest.model_validate(await ask(request, s.SERVICE, "contest.get", s.GetContest(contest=contest)))


@router.post("/contests/{contest}/phase")
async def change_phase(request: Request, contest: Id, body: PhaseChange, _: Admin) -> Contest:
    """Move a contest to another phase (guarded transitions)."""
    command = s.ChangePhase(contest=contest, phase=body.phase, expected_version=body.expected_version)
    return Contest.model_validate(await ask(request, s.SERVICE, "contest.phase", command))


@router.post("/contests/{contest}/nominations", status_code=201)
async def create_nomination(request: Request, contest: Id, body: NewNomination, _: Admin) -> Nomination:
    """Add a nomination to a contest."""
    command = s.CreateNomination(contest=contest, **body.model_dump())
    return Nomination.model_validate(await ask(request, s.SERVICE, "nomination.create", command))


@router.post("/municipalities", status_code=201)
async def register_municipality(request: Request, body: s.RegisterMunicipality, _: Admin) -> Municipality:
    """Register a municipality (unique per country and name)."""
    return Municipality.model_validate(await ask(request, s.SERVICE, "municipality.register", body))


@router.post("/contests/{contest}/practices", status_code=201)
async def submit_practice(request: Request, contest: Id, body: NewPractice, _: Moderator) -> Practice:
    """Submit a practice on behalf of a municipality."""
    command = s.SubmitPractice.model_validate({"contest": contest, **body.model_dump()})
    return Practice.model_validate(await ask(request, s.SERVICE, "practice.submit", command))


@router.get("/contests/{contest}/practices")
async def list_practices(
    request: Request, contest: Id, _: Observer, status: PracticeStatus | None = None, nomination: Id | None = None
) -> list[Practice]:
    """Practices of a contest in any status (the moderation queue with status=pending)."""
    query = s.ListPractices(contest=contest, nomination=nomination, status=status)
    return [Practice.model_validate(p) for p in await ask(request, s.SERVICE, "practice.list", query)]


@router.post("/practices/{practice}/approve")
async def approve_practice(request: Request, practice: Id, body: Moderation, _: Moderator) -> Practice:
    """Approve a pending practice."""
    command = s.ModeratePractice(practice=practice, expected_version=body.expected_version)
    return Practice.model_validate(await ask(request, s.SERVICE, "practice.approve", command))


@router.get("/contests/{contest}/nominations/{nomination}/leaderboard")
async def leaderboard(request: Request, contest: Id, nomination: Id, _: Observer) -> Leaderboard:
    """Standings including results hidden from the public."""
    query = results.LeaderboardQuery(contest=contest, nomination=nomination, include_hidden=True)
    return Leaderboard.model_validate(await ask(request, results.SERVICE, "leaderboard", query))
