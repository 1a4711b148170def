"""Operator REST API under /api/v1/admin (X-API-Key with a role)."""

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from veche_gateway.api.deps import Admin, Moderator, Observer, Refusals, command, link_next
from veche_gateway.api.upstream import ask
from veche_gateway.context import request_context
from veche_shared.contracts import results as r
from veche_shared.contracts import submissions as s
from veche_shared.contracts.catalog import Contest, Municipality, Nomination, Practice
from veche_shared.contracts.common import Id
from veche_shared.contracts.results import Leaderboard
from veche_shared.contracts.submissions import TitleSearch
from veche_shared.operations import results as results_ops
from veche_shared.operations import submissions as ops
from veche_shared.operators import holds

router = APIRouter(prefix="/api/v1/admin", tags=["operators"], responses=Refusals)


class PracticeQuery(s.PracticeFilters):
    """The moderation list's filters; `q` is the HTTP name of title_contains."""

    q: TitleSearch | None = None


@router.post("/contests", status_code=201)
async def create_contest(request: Request, body: s.CreateContest, _: Admin) -> Contest:
    """Create a contest (phase draft)."""
    return await ask(request, ops.CONTEST_CREATE, body)


@router.get("/contests/{contest}")
async def get_contest(request: Request, contest: Id, _: Observer) -> Contest:
    """A contest in any phase, drafts included."""
    return await ask(request, ops.CONTEST_GET, s.GetContest(contest=contest))


async def contest_before(request: Request, contest: str) -> None:
    """The contest as it was, for the audit entry of a change to it."""
    found = await ask(request, ops.CONTEST_GET, s.GetContest(contest=contest))
    request_context(request).audit_before = found.model_dump(mode="json")


@router.post("/contests/{contest}/phase")
async def change_phase(request: Request, contest: Id, body: s.PhaseChange, _: Admin) -> Contest:
    """Move a contest to another phase (guarded transitions)."""
    await contest_before(request, contest)
    return await ask(request, ops.CONTEST_CHANGE_PHASE, command(s.ChangePhase, body, contest=contest))


@router.post("/contests/{contest}/nominations", status_code=201)
async def create_nomination(request: Request, contest: Id, body: s.NewNomination, _: Admin) -> Nomination:
    """Add a nomination to a contest."""
    return await ask(request, ops.NOMINATION_CREATE, command(s.CreateNomination, body, contest=contest))


@router.post("/municipalities", status_code=201)
async def register_municipality(request: Request, body: s.RegisterMunicipality, _: Admin) -> Municipality:
    """Register a municipality (unique per country and name)."""
    return await ask(request, ops.MUNICIPALITY_REGISTER, body)


@router.post("/contests/{contest}/practices", status_code=201)
async def submit_practice_for_municipality(
    request: Request, contest: Id, body: s.NewPractice, _: Moderator
) -> Practice:
    """Submit a practice on behalf of a municipality (the audit trail names the operator and this action)."""
    return await ask(request, ops.PRACTICE_SUBMIT, command(s.SubmitPractice, body, contest=contest))


@router.get("/contests/{contest}/practices")
async def list_practices(
    request: Request, response: Response, contest: Id, query: Annotated[PracticeQuery, Query()], who: Observer
) -> s.PracticePage:
    """A page of practices in any status (the moderation queue with status=pending) with their municipalities'
    names, and for moderators the contact e-mail each practice gave; pass next_cursor back."""
    filters = query.model_dump(exclude={"q"}, exclude_unset=True) | {"title_contains": query.q}
    page = await ask(request, ops.PRACTICE_PAGE, s.ListPractices(contest=contest, include_unpublished=True, **filters))
    link_next(request, response, page.next_cursor)
    return page if holds(who, "moderator") else page.model_copy(update={"contacts": {}})


@router.get("/municipalities")
async def list_municipalities(
    request: Request, response: Response, query: Annotated[s.MunicipalityFilters, Query()], _: Observer
) -> s.MunicipalityPage:
    """A page of municipalities in id order, searched by `q` (id or name in any language); pass next_cursor back."""
    page = await ask(request, ops.MUNICIPALITY_LIST, s.ListMunicipalities(**query.model_dump(exclude_unset=True)))
    link_next(request, response, page.next_cursor)
    return page


@router.patch("/contests/{contest}")
async def update_contest(request: Request, contest: Id, body: s.ContestChanges, _: Admin) -> Contest:
    """Change a contest's title or settings; 409 stale_version if expected_version is not the current one."""
    await contest_before(request, contest)
    update = command(s.UpdateContest, body, contest=contest)
    return await ask(request, ops.CONTEST_UPDATE, update)


@router.patch("/contests/{contest}/nominations/{nomination}")
async def update_nomination(
    request: Request, contest: Id, nomination: Id, body: s.NominationChanges, _: Admin
) -> Nomination:
    """Retitle, reorder (order) or archive (archived) a nomination."""
    update = command(s.UpdateNomination, body, contest=contest, nomination=nomination)
    return await ask(request, ops.NOMINATION_UPDATE, update)


@router.patch("/municipalities/{municipality}")
async def update_municipality(
    request: Request, municipality: Id, body: s.MunicipalityChanges, _: Admin
) -> Municipality:
    """Change a municipality; its name stays unique in its country."""
    update = command(s.UpdateMunicipality, body, municipality=municipality)
    return await ask(request, ops.MUNICIPALITY_UPDATE, update)


@router.patch("/practices/{practice}")
async def edit_practice_for_municipality(
    request: Request, practice: Id, body: s.PracticeChanges, _: Moderator
) -> Practice:
    """Edit a practice on behalf of its municipality while it is pending."""
    edit = command(s.EditPractice, body, practice=practice)
    return await ask(request, ops.PRACTICE_EDIT, edit)


@router.post("/practices/{practice}/approve")
async def approve_practice(request: Request, practice: Id, body: s.Moderation, _: Moderator) -> Practice:
    """Approve a pending practice."""
    approve = command(s.ModeratePractice, body, practice=practice)
    return await ask(request, ops.PRACTICE_APPROVE, approve)


@router.post("/practices/{practice}/reject")
async def reject_practice(request: Request, practice: Id, body: s.Rejection, _: Moderator) -> Practice:
    """Reject a pending practice with a reason."""
    reject = command(s.RejectPractice, body, practice=practice)
    return await ask(request, ops.PRACTICE_REJECT, reject)


@router.post("/practices/{practice}/withdraw")
async def withdraw_practice(request: Request, practice: Id, body: s.Moderation, _: Moderator) -> Practice:
    """Withdraw a pending or approved practice while the contest accepts submissions."""
    withdraw = command(s.ModeratePractice, body, practice=practice)
    return await ask(request, ops.PRACTICE_WITHDRAW, withdraw)


@router.get("/contests/{contest}/nominations/{nomination}/leaderboard")
async def leaderboard(request: Request, contest: Id, nomination: Id, _: Observer) -> Leaderboard:
    """Standings including results hidden from the public."""
    query = r.LeaderboardQuery(contest=contest, nomination=nomination, include_hidden=True)
    return await ask(request, results_ops.LEADERBOARD_GET, query)
