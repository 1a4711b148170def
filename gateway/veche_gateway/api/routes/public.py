"""Public REST API: contests, nominations, practices, voting (leaderboards live in routes/live.py)."""

from typing import Annotated

from fastapi import APIRouter, Depends, Header, Query, Request, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import Field

from veche_gateway.api.deps import Refusals, link_next, public_contest
from veche_gateway.api.upstream import ask
from veche_gateway.context import request_context
from veche_shared.contracts import submissions, votes
from veche_shared.contracts.catalog import Contest, Nomination, PracticeStatus
from veche_shared.contracts.common import Contract, Empty, Id
from veche_shared.contracts.votes import CastAccepted, ClientKind, MyBallot, VoteRequest
from veche_shared.errors import Unauthenticated
from veche_shared.operations import submissions as ops
from veche_shared.operations import voting as voting_ops

router = APIRouter(prefix="/api/v1", tags=["public"])
bearer = HTTPBearer(auto_error=False, description="voter identity token")


class PublicPractices(Contract):
    """Which approved practices, and which page of them (in id order)."""

    nomination: Id | None = None
    municipality: Id | None = None
    cursor: str | None = Field(None, max_length=200, description="next_cursor of the previous page")
    limit: int = Field(100, ge=1, le=1_000)


def _token(credentials: HTTPAuthorizationCredentials | None) -> str:
    if credentials is None or not credentials.credentials:
        raise Unauthenticated("unauthenticated", "a voter token is required (Authorization: Bearer ...)")
    return credentials.credentials


@router.get("/contests", responses=Refusals)
async def list_contests(request: Request) -> list[Contest]:
    """Contests open to the public (every phase but draft)."""
    return [c for c in await ask(request, ops.CONTEST_LIST, Empty()) if c.is_public()]


@router.get("/contests/{contest}", responses=Refusals)
async def get_contest(request: Request, contest: Id) -> Contest:
    """One contest with its phase and rules."""
    return await public_contest(request, contest)


@router.get("/contests/{contest}/nominations", responses=Refusals)
async def list_nominations(request: Request, contest: Id) -> list[Nomination]:
    """Nominations of a contest in display order."""
    await public_contest(request, contest)
    nominations = await ask(request, ops.NOMINATION_LIST, submissions.ListNominations(contest=contest))
    return [n for n in nominations if not n.archived]


@router.get("/contests/{contest}/practices", responses=Refusals)
async def list_practices(
    request: Request, response: Response, contest: Id, query: Annotated[PublicPractices, Query()]
) -> submissions.PracticePage:
    """A page of approved practices in id order; follow next_cursor (or the Link header) until it is null."""
    await public_contest(request, contest)
    filters = query.model_dump(exclude_unset=True) | {"status": PracticeStatus.approved}
    page = await ask(request, ops.PRACTICE_PAGE, submissions.ListPractices(contest=contest, **filters))
    link_next(request, response, page.next_cursor)
    return page


class PublicMunicipalities(submissions.MunicipalityFilters):
    ids: list[Id] | None = Field(
        None, max_length=100, description="only these (repeat the parameter): e.g. the places of a nomination's cards"
    )


@router.get("/municipalities", responses=Refusals)
async def list_municipalities(
    request: Request, response: Response, query: Annotated[PublicMunicipalities, Query()]
) -> submissions.MunicipalityPage:
    """A page of registered municipalities in id order; follow next_cursor (or the Link header) until it is null."""
    filters = query.model_dump(exclude_unset=True)
    page = await ask(request, ops.MUNICIPALITY_LIST, submissions.ListMunicipalities(**filters))
    link_next(request, response, page.next_cursor)
    return page


@router.post(
    "/contests/{contest}/nominations/{nomination}/votes",
    status_code=202,
    responses=Refusals | {200: {"model": CastAccepted, "description": "an idempotent retry"}},
)
async def cast_vote(
    request: Request,
    response: Response,
    contest: Id,
    nomination: Id,
    body: VoteRequest,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    idempotency_key: Annotated[str | None, Header(pattern=r"^[A-Za-z0-9_-]{8,128}$")] = None,
) -> CastAccepted:
    """Cast the caller's ballot, `{"practices": [...]}` (up to the nomination's max_choices; `{"practice": ...}` is a
    set of one): 202 accepted, 200 retry of the same Idempotency-Key, 409 already voted (whatever the set), 422
    naming what is wrong with the set (too_many_choices, too_few_choices, duplicate_choice, not_votable)."""
    command = votes.CastVote(
        contest=contest,
        nomination=nomination,
        practices=body.practices,
        token=_token(credentials),
        idempotency_key=idempotency_key,
        client_ip=request_context(request).client_key,  # ip_hash of the address, of an IPv6 client's /64
        client_kind=ClientKind.api,
    )
    accepted = await ask(request, voting_ops.BALLOT_CAST, command)
    if accepted.status == "retry":
        response.status_code = 200
    return accepted


@router.get("/contests/{contest}/nominations/{nomination}/my-ballot", responses=Refusals)
async def my_ballot(
    request: Request,
    contest: Id,
    nomination: Id,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> MyBallot:
    """The caller's own ballot in a nomination, read from the ledger; `counted` false and `annulment` (its reason)
    once an operator annulled it."""
    query = votes.MyBallotQuery(contest=contest, nomination=nomination, token=_token(credentials))
    return await ask(request, voting_ops.BALLOT_GET, query)
