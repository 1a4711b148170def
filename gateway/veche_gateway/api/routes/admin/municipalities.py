"""Operators' municipality routes beyond one at a time: the CSV import (all or nothing, errors by line)."""

import asyncio
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from veche_gateway.api.deps import Admin, Refusals, decoded
from veche_gateway.api.upstream import ask
from veche_gateway.state import gateway
from veche_shared import municipality_import as mi
from veche_shared.bus import connection
from veche_shared.contracts import submissions as s
from veche_shared.errors import Invalid
from veche_shared.operations import submissions as ops

router = APIRouter(prefix="/api/v1/admin", tags=["operators"], responses=Refusals)
IMPORT_PATH = "/api/v1/admin/municipality-imports"  # the body limit of this path is max_import_bytes
CSV_EXAMPLE = "id,country,name_en,name_ru,region,lat,lon,population\nperm,RU,Perm,Пермь,Perm Krai,58.0,56.25,1000000\n"
CSV_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": f"UTF-8 CSV with a header line; columns {', '.join(mi.COLUMNS)}",
        "content": {"text/csv": {"schema": {"type": "string"}, "example": CSV_EXAMPLE}},
    }
}
DryRun = Annotated[bool, Query(description="only check the file with the service; write nothing")]


def ignore(_: str, __: int) -> None:
    """Progress of the passes: the console shows the upload's own progress, then waits for the answer."""


@router.post("/municipality-imports", openapi_extra=CSV_BODY)
async def import_municipalities(request: Request, _: Admin, dry_run: DryRun = False) -> mi.ImportSummary:
    """Register municipalities from a CSV file, all or nothing: a 422 import_rejected names every bad line
    (line, column, code, message) and nothing is written."""
    # parsed off the event loop: tens of thousands of rows must not hold up the other requests
    rows = await asyncio.to_thread(mi.parse_text, decoded(await request.body()))
    if not rows:
        raise Invalid("empty_file", "the file has a header but no rows")
    budget = int(connection(gateway(request).broker).max_payload * mi.PAYLOAD_SHARE)

    async def send(batch: list[mi.Row], check_only: bool) -> s.ImportReport:
        return await ask(request, ops.MUNICIPALITY_IMPORT, mi.command_of(batch, check_only))

    if dry_run:
        unchanged = len(await mi.check(send, rows, budget, ignore))
        return mi.ImportSummary(rows=len(rows), created=0, unchanged=unchanged, dry_run=True)
    created, unchanged = await mi.import_rows(send, rows, budget, ignore)
    return mi.ImportSummary(rows=len(rows), created=created, unchanged=unchanged, dry_run=False)
