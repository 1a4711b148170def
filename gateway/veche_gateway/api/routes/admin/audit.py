"""GET /api/v1/admin/audit: the operators' audit trail, filtered and paged (observer and up)."""

from typing import Annotated

from fastapi import APIRouter, Query, Request

from veche_gateway.api.deps import Observer, Refusals
from veche_gateway.state import gateway
from veche_shared import audit
from veche_shared.bus import connection
from veche_shared.contracts.audit import AuditPage, AuditQuery

router = APIRouter(prefix="/api/v1/admin", tags=["operators"], responses=Refusals)


@router.get("/audit")
async def audit_trail(request: Request, query: Annotated[AuditQuery, Query()], _: Observer) -> AuditPage:
    """Operator actions, oldest first; filter by contest, operator, action and time; pass next_cursor back."""
    return await audit.read(connection(gateway(request).broker).jetstream(), query)
