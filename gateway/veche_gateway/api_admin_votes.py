"""Operator REST API for the vote ledger: annulments (admin)."""

from fastapi import APIRouter, Request
from pydantic import AwareDatetime, Field

from veche_gateway.api_admin import Admin
from veche_gateway.api_public import Refusals
from veche_gateway.upstream import ask
from veche_shared.contracts import votes
from veche_shared.contracts.common import Contract, Id
from veche_shared.contracts.votes import AnnulmentReport, AnnulVotes

router = APIRouter(prefix="/api/v1/admin", tags=["operators"], responses=Refusals)


class Annulment(Contract):
    """Exactly one selector: vote_ids, voter_hash, or ip_hash with cast_from and cast_until."""

    vote_ids: list[str] | None = Field(None, min_length=1, max_length=10_000)
    voter_hash: str | None = Field(None, pattern=r"^[0-9a-f]{64}$")
    ip_hash: str | None = Field(None, pattern=r"^[0-9a-f]{64}$")
    cast_from: AwareDatetime | None = None
    cast_until: AwareDatetime | None = None
    reason: str = Field(min_length=1, max_length=1_000)
    dry_run: bool = False


@router.post("/contests/{contest}/annulments")
async def annul_votes(request: Request, contest: Id, body: Annulment, operator: Admin) -> AnnulmentReport:
    """Annul ballots (each at most once); with dry_run, only count what would be annulled."""
    key = request.headers.get("x-api-key", "")  # the voting service checks the admin's key again itself
    command = AnnulVotes.model_validate(
        {"contest": contest, "operator": operator.name, "operator_key": key, **body.model_dump(exclude_none=True)}
    )
    return AnnulmentReport.model_validate(await ask(request, votes.SERVICE, "annul", command))
