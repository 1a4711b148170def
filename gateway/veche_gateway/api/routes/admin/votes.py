"""Operator REST API for the vote ledger: annulments (admin)."""

from fastapi import APIRouter, Request

from veche_gateway.api.deps import Admin, Refusals, command
from veche_gateway.api.upstream import ask
from veche_shared.contracts.common import Id
from veche_shared.contracts.votes import Annulment, AnnulmentReport, AnnulVotes
from veche_shared.operations import voting as ops

router = APIRouter(prefix="/api/v1/admin", tags=["operators"], responses=Refusals)


@router.post("/contests/{contest}/annulments")
async def annul_votes(request: Request, contest: Id, body: Annulment, operator: Admin) -> AnnulmentReport:
    """Annul ballots (each at most once); with dry_run, only count what would be annulled."""
    key = request.headers.get("x-api-key", "")  # the voting service checks the admin's key again itself
    order = command(AnnulVotes, body, contest=contest, operator=operator.name, operator_key=key)
    return await ask(request, ops.BALLOT_ANNUL, order)
