"""Operator REST API under /api/v1/admin (X-API-Key with a role)."""

from typing import Annotated, TypeVar

from fastapi import APIRouter, Depends, Query, Request
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
C = TypeVar("C", bound=Contract)


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


class PracticeQuery(Contract):
    nomination: Id | None = None
    municipality: Id | None = None
    status: PracticeStatus | None = None
    q: str | None = Field(None, min_length=1, max_length=200, description="case-insensitive title search")
    cursor: str | None = Field(None, max_length=200)
    limit: int = Field(100, ge=1, le=500)


def command(model: type[C], body: Contract, **ids: str) -> C:
    """The command for body plus path ids, keeping which fields the caller left out (a partial update)."""
    return model.model_validate(ids | body.model_dump(exclude_unset=True))


@router.post("/contests", status_code=201)
async def create_contest(request: Request, body: s.CreateContest, _: Admin) -> Contest:
    """Create a contest (phase draft)."""
    return Contest.model_validate(await ask(request, s.SERVICE, "contest.create", body))


@router.get("/contests/{contest}")
async def get_contest(request: Request, contest: Id, _: Observer) -> Contest:
    """A contest in any phase, drafts included."""
    return Contest.model_validate(await ask(request, s.SERVICE, "contest.get", s.GetContest(contest=contest)))


async def contest_before(request: Request, contest: str) -> None:
    """The contest as it was, for the audit entry of a change to it."""
    found = await ask(request, s.SERVICE, "contest.get", s.GetContest(contest=contest))
    request.state.audit_before = found if isinstance(found, dict) else None


@router.post("/contests/{contest}/phase")
async def change_phase(request: Request, contest: Id, body: PhaseChange, _: Admin) -> Contest:
    """Move a contest to another phase (guarded transitions)."""
    await contest_before(request, contest)
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
    request: Request, contest: Id, query: Annotated[PracticeQuery, Query()], _: Observer
) -> s.PracticePage:
    """A page of practices in any status (the moderation queue with status=pending); pass next_cursor back."""
    filters = query.model_dump(exclude={"q"}) | {"title_contains": query.q}
    page = s.ListPractices(contest=contest, include_unpublished=True, **filters)
    return s.PracticePage.model_validate(await ask(request, s.SERVICE, "practice.page", page))


@router.patch("/contests/{contest}")
async def update_contest(request: Request, contest: Id, body: s.ContestChanges, _: Admin) -> Contest:
    """Change a contest's title or settings; 409 stale_version if expected_version is not the current one."""
    await contest_before(request, contest)
    update = command(s.UpdateContest, body, contest=contest)
    return Contest.model_validate(await ask(request, s.SERVICE, "contest.update", update))


@router.patch("/contests/{contest}/nominations/{nomination}")
async def update_nomination(
    request: Request, contest: Id, nomination: Id, body: s.NominationChanges, _: Admin
) -> Nomination:
    """Retitle, reorder (order) or archive (archived) a nomination."""
    update = command(s.UpdateNomination, body, contest=contest, nomination=nomination)
    return Nomination.model_validate(await ask(request, s.SERVICE, "nomination.update", update))


@router.patch("/municipalities/{municipality}")
async def update_municipality(
    request: Request, municipality: Id, body: s.MunicipalityChanges, _: Admin
) -> Municipality:
    """Change a municipality; its name stays unique in its country."""
    update = command(s.UpdateMunicipality, body, municipality=municipality)
    return Municipality.model_validate(await ask(request, s.SERVICE, "municipality.update", update))


@router.patch("/practices/{practice}")
async def edit_practice(request: Request, practice: Id, body: s.PracticeChanges, _: Moderator) -> Practice:
    """Edit a practice while it is pending."""
    edit = command(s.EditPractice, body, practice=practice)
    return Practice.model_validate(await ask(request, s.SERVICE, "practice.edit", edit))


@router.post("/practices/{practice}/approve")
async def approve_practice(request: Request, practice: Id, body: s.Moderation, _: Moderator) -> Practice:
    """Approve a pending practice."""
    approve = command(s.ModeratePractice, body, practice=practice)
    return Practice.model_validate(await ask(request, s.SERVICE, "practice.approve", approve))


@router.post("/practices/{practice}/reject")
async def reject_practice(request: Request, practice: Id, body: s.Rejection, _: Moderator) -> Practice:
    """Reject a pending practice with a reason."""
    reject = command(s.RejectPractice, body, practice=practice)
    return Practice.model_validate(await ask(request, s.SERVICE, "practice.reject", reject))


@router.post("/practices/{practice}/withdraw")
async def withdraw_practice(request: Request, practice: Id, body: s.Moderation, _: Moderator) -> Practice:
    """Withdraw a pending or approved practice while the contest accepts submissions."""
    withdraw = command(s.ModeratePractice, body, practice=practice)
    return Practice.model_validate(await ask(request, s.SERVICE, "practice.withdraw", withdraw))


@router.get("/contests/{contest}/nominations/{nomination}/leaderboard")
async def leaderboard(request: Request, contest: Id, nomination: Id, _: Observer) -> Leaderboard:
    """Standings including results hidden from the public."""
    query = results.LeaderboardQuery(contest=contest, nomination=nomination, include_hidden=True)
    return Leaderboard.model_validate(await ask(request, results.SERVICE, "leaderboard", query))
