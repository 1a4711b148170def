"""Downloads of certified results: the certificate and the anonymised ballots (observer and up, recorded in the
audit trail). `veche verify certificate.json ballots.jsonl` checks one against the other."""

import csv
import io
from collections.abc import AsyncIterator
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from starlette.responses import Response, StreamingResponse

from veche_gateway.api.deps import Observer, Refusals
from veche_gateway.api.upstream import ask
from veche_gateway.middleware import audit_trail
from veche_gateway.state import gateway
from veche_shared.contracts.common import Id
from veche_shared.contracts.results import (
    BallotPage,
    BallotPageQuery,
    Certificate,
    ContestQuery,
    CountedBallot,
    csv_columns,
)
from veche_shared.operations import results as ops

router = APIRouter(prefix="/api/v1/admin/contests/{contest}/exports", tags=["operators"], responses=Refusals)
Format = Literal["jsonl", "csv"]
MEDIA: dict[str, str] = {"jsonl": "application/x-ndjson", "csv": "text/csv; charset=utf-8"}
TEXT = {"schema": {"type": "string"}}
BALLOT_FILES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "one ballot a line (jsonl: canonical JSON, the lines the digest hashes) or a CSV table",
        "content": {"application/x-ndjson": TEXT, "text/csv": TEXT},
    }
}


def attachment(filename: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"}


@router.get("/certificate", response_model=Certificate)
async def export_certificate(request: Request, contest: Id, _: Observer) -> Response:
    """The certified results as a file (404 not_certified until the results are published and certified)."""
    certificate = await ask(request, ops.CERTIFICATE_GET, ContestQuery(contest=contest))
    summary = {"export": "certificate", "digest_sha256": certificate.digest_sha256}
    await audit_trail.record_export(request.scope, gateway(request).broker, summary, gateway(request).clock())
    body = certificate.model_dump_json(indent=2, exclude_none=True) + "\n"
    return Response(body, media_type="application/json", headers=attachment(f"{contest}-certificate.json"))


@router.get("/ballots", response_class=StreamingResponse, responses=BALLOT_FILES)
async def export_ballots(
    request: Request, contest: Id, _: Observer, fmt: Annotated[Format, Query(alias="format")] = "jsonl"
) -> StreamingResponse:
    """The certified contest's counted ballots, anonymised (keyed voter hashes only), in ledger order, each
    marked annulled or not; exactly the ballots the certificate counts."""
    first = await ask(request, ops.BALLOT_PAGE, BallotPageQuery(contest=contest))  # 404 before any byte is sent
    await audit_trail.record_export(
        request.scope, gateway(request).broker, {"export": "ballots", "format": fmt}, gateway(request).clock()
    )
    pages = ballot_pages(request, contest, first)
    body = jsonl(pages, first.schema_version) if fmt == "jsonl" else table(pages, first.schema_version)
    return StreamingResponse(body, media_type=MEDIA[fmt], headers=attachment(f"{contest}-ballots.{fmt}"))


async def ballot_pages(request: Request, contest: str, page: BallotPage) -> AsyncIterator[list[CountedBallot]]:
    yield page.ballots
    while page.next_after is not None:
        page = await ask(request, ops.BALLOT_PAGE, BallotPageQuery(contest=contest, after=page.next_after))
        yield page.ballots


async def jsonl(pages: AsyncIterator[list[CountedBallot]], version: int) -> AsyncIterator[str]:
    async for ballots in pages:
        yield "".join(ballot.line(version) + "\n" for ballot in ballots)


async def table(pages: AsyncIterator[list[CountedBallot]], version: int) -> AsyncIterator[str]:
    """CSV: a single-choice export has a `practice` column, an approval export `practices` (space-separated)."""
    columns = csv_columns(version)
    yield ",".join(columns) + "\r\n"
    async for ballots in pages:
        text = io.StringIO()
        csv.DictWriter(text, fieldnames=columns).writerows(b.row(version) for b in ballots)
        yield text.getvalue()
