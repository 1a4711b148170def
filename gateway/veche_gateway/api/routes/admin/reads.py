"""Operator reads the organisers' console needs: who the presented key is, and the catalog as operators see it
(drafts and archived nominations included, which the public routes leave out)."""

from fastapi import APIRouter, Request
from pydantic import Field

from veche_gateway.api.deps import Observer, Refusals
from veche_gateway.api.upstream import ask
from veche_shared.contracts import submissions as s
from veche_shared.contracts.catalog import Contest, Nomination
from veche_shared.contracts.common import Contract, Empty, Id
from veche_shared.operations import submissions as ops
from veche_shared.operators import Role

router = APIRouter(prefix="/api/v1/admin", tags=["operators"], responses=Refusals)


class Operator(Contract):
    """The operator a key belongs to: what the console may offer (the API still checks every action)."""

    name: str = Field(examples=["moderator-anna"])
    role: Role = Field(examples=["moderator"], description="admin > moderator > observer")


@router.get("/me")
async def who_am_i(operator: Observer) -> Operator:
    """The name and role of the presented key (never the key)."""
    return Operator(name=operator.name, role=operator.role)


@router.get("/contests")
async def list_contests(request: Request, _: Observer) -> list[Contest]:
    """Every contest, drafts included."""
    return await ask(request, ops.CONTEST_LIST, Empty())


@router.get("/contests/{contest}/nominations")
async def list_nominations(request: Request, contest: Id, _: Observer) -> list[Nomination]:
    """Nominations of a contest in any phase, archived ones included, in display order."""
    await ask(request, ops.CONTEST_GET, s.GetContest(contest=contest))  # 404 unknown_contest, as elsewhere
    return await ask(request, ops.NOMINATION_LIST, s.ListNominations(contest=contest))
