"""The anonymised ballots of a certified contest as a streamed file (JSON lines, the lines the certificate's digest
hashes, or a CSV table): the console's export and, once the results are published, the public download. A ballot
carries only what the transparency log already publishes (the keyed voter hash, never a voter id)."""

import csv
import io
from collections.abc import AsyncIterator
from typing import Annotated, Any, Literal

from fastapi import Query, Request
from starlette.responses import StreamingResponse

from veche_gateway.api.upstream import ask
from veche_shared.contracts.results import BallotPage, BallotPageQuery, CountedBallot, csv_columns
from veche_shared.operations import results as ops

Format = Literal["jsonl", "csv"]
FormatQuery = Annotated[Format, Query(alias="format")]
MEDIA: dict[str, str] = {"jsonl": "application/x-ndjson", "csv": "text/csv; charset=utf-8"}
TEXT = {"schema": {"type": "string"}}
BALLOT_FILES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "one ballot a line (jsonl: canonical JSON, the lines the digest hashes) or a CSV table",
        "content": {"application/x-ndjson": TEXT, "text/csv": TEXT},
    }
}


def attachment(filename: str, cache_control: str = "no-store") -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": cache_control}


async def first_page(request: Request, contest: str) -> BallotPage:
    """The first page, asked before any byte is sent: 404 not_certified until the results are published."""
    return await ask(request, ops.BALLOT_PAGE, BallotPageQuery(contest=contest))


def ballots_file(
    request: Request, contest: str, fmt: Format, first: BallotPage, cache_control: str
) -> StreamingResponse:
    pages = ballot_pages(request, contest, first)
    body = jsonl(pages, first.schema_version) if fmt == "jsonl" else table(pages, first.schema_version)
    headers = attachment(f"{contest}-ballots.{fmt}", cache_control)
    return StreamingResponse(body, media_type=MEDIA[fmt], headers=headers)


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
