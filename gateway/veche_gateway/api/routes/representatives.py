"""A municipality representative's REST API under /api/v1/municipality (X-API-Key: the invitation key). Every
route acts for the invitation's municipality only, which veche_gateway.middleware.representative_gate resolved."""

from typing import Annotated

from fastapi import APIRouter, Query, Request

from veche_gateway.api.deps import Representative, command
from veche_gateway.api.openapi import refusals
from veche_gateway.api.upstream import ask
from veche_shared.contracts import representatives as r
from veche_shared.contracts import submissions as s
from veche_shared.contracts.catalog import Phase, Practice
from veche_shared.contracts.common import Empty, Id
from veche_shared.errors import NotFound
from veche_shared.operations import representatives as ops
from veche_shared.operations import submissions as catalog

router = APIRouter(prefix="/api/v1/municipality", tags=["municipalities"], responses=refusals(401, 404, 409, 422))


@router.get("")
async def desk(request: Request, me: Representative) -> r.RepresentativeDesk:
    """The municipality, the invitation and the contests that accept submissions now, with their nominations."""
    found = (await ask(request, catalog.MUNICIPALITY_LIST, s.ListMunicipalities(ids=[me.municipality]))).items
    if not found:
        raise NotFound("unknown_municipality", f"no municipality {me.municipality}")
    open_contests = []
    for contest in await ask(request, catalog.CONTEST_LIST, Empty()):
        if contest.phase == Phase.submissions_open:
            nominations = await ask(request, catalog.NOMINATION_LIST, s.ListNominations(contest=contest.id))
            open_contests.append(r.OpenContest(contest=contest, nominations=[n for n in nominations if not n.archived]))
    return r.RepresentativeDesk(municipality=found[0], invitation=me, open_contests=open_contests)


@router.get("/practices")
async def own_practices(request: Request, query: Annotated[r.Paging, Query()], me: Representative) -> s.PracticePage:
    """A page of the municipality's practices in every contest and status; pass next_cursor back."""
    page = r.OwnPractices(municipality=me.municipality, **query.model_dump(exclude_unset=True))
    return await ask(request, ops.OWN_PRACTICE_PAGE, page)


@router.get("/practices/{practice}")
async def own_practice(request: Request, practice: Id, me: Representative) -> Practice:
    """One of the municipality's practices with its moderation status and the reason of a rejection."""
    return await ask(request, ops.OWN_PRACTICE_GET, r.OwnPractice(municipality=me.municipality, practice=practice))


@router.post("/contests/{contest}/practices", status_code=201)
async def submit(request: Request, contest: Id, body: s.PracticeDraft, me: Representative) -> Practice:
    """Submit a practice into a nomination of a contest in submissions_open (pending until moderated)."""
    submit = command(s.SubmitPractice, body, contest=contest, municipality=me.municipality)
    return await ask(request, ops.OWN_PRACTICE_SUBMIT, submit)


@router.patch("/practices/{practice}")
async def edit(request: Request, practice: Id, body: s.PracticeChanges, me: Representative) -> Practice:
    """Change a pending practice; 409 stale_version if expected_version is not the current one."""
    change = command(r.EditOwnPractice, body, practice=practice, municipality=me.municipality)
    return await ask(request, ops.OWN_PRACTICE_EDIT, change)


@router.post("/practices/{practice}/withdraw")
async def withdraw(request: Request, practice: Id, body: s.Moderation, me: Representative) -> Practice:
    """Withdraw a pending or approved practice while the contest accepts submissions."""
    change = command(r.WithdrawOwnPractice, body, practice=practice, municipality=me.municipality)
    return await ask(request, ops.OWN_PRACTICE_WITHDRAW, change)


@router.post("/practices/{practice}/resubmit")
async def resubmit(request: Request, practice: Id, body: s.PracticeChanges, me: Representative) -> Practice:
    """Send a rejected or withdrawn practice, with the changes given, back to moderation (pending, version + 1)."""
    change = command(r.ResubmitOwnPractice, body, practice=practice, municipality=me.municipality)
    return await ask(request, ops.OWN_PRACTICE_RESUBMIT, change)
