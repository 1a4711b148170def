"""The results protocol as a page or a PDF: operators' at any time (preliminary until the results are certified),
the public's once the results are published (404 not_certified before)."""

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from starlette.responses import HTMLResponse, Response

from veche_gateway.api.deps import Observer, Refusals, public_contest
from veche_gateway.api.upstream import ask
from veche_gateway.middleware import audit_trail
from veche_gateway.protocol.model import Protocol, build
from veche_gateway.protocol.pdf import protocol_pdf
from veche_gateway.protocol.render import protocol_html
from veche_gateway.state import gateway
from veche_shared.contracts import results as r
from veche_shared.contracts import submissions as s
from veche_shared.contracts.catalog import Contest
from veche_shared.contracts.common import Id
from veche_shared.contracts.texts import LanguageTag
from veche_shared.errors import DomainError
from veche_shared.operations import results as results_ops
from veche_shared.operations import submissions as submissions_ops

public = APIRouter(prefix="/api/v1/contests/{contest}", tags=["public"], responses=Refusals)
admin = APIRouter(prefix="/api/v1/admin/contests/{contest}/exports", tags=["operators"], responses=Refusals)
Format = Annotated[Literal["html", "pdf"], Query(alias="format", description="a page to read or a PDF to print")]
Language = Annotated[LanguageTag | None, Query(alias="lang", description="the contest's default language if absent")]
DOCUMENTS: dict[int | str, dict[str, object]] = {
    200: {"description": "the protocol", "content": {"text/html": {}, "application/pdf": {}}}
}


async def certificate_of(request: Request, contest: str) -> r.Certificate | None:
    try:
        return await ask(request, results_ops.CERTIFICATE_GET, r.ContestQuery(contest=contest))
    except DomainError as refused:  # the RPC answer's kind and code, not NotFound's class
        if refused.code != "not_certified":
            raise
        return None


async def draw(request: Request, contest: Contest, certificate: r.Certificate | None) -> Protocol:
    nominations = await ask(request, submissions_ops.NOMINATION_LIST, s.ListNominations(contest=contest.id))
    query = r.ContestQuery(contest=contest.id, include_hidden=True)  # operators', or published: nothing hidden
    boards = await ask(request, results_ops.LEADERBOARD_LIST, query)
    return build(
        contest, nominations, boards, certificate, gateway(request).clock(), gateway(request).settings.log_verifier_key
    )


async def document(protocol: Protocol, fmt: str, language: str | None) -> Response:
    language = language or protocol.contest.default_language
    if fmt == "html":
        return HTMLResponse(protocol_html(protocol, language), headers={"Cache-Control": "no-store"})
    name = f"{protocol.contest.id}-protocol-{language}.pdf"
    headers = {"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"}
    return Response(await protocol_pdf(protocol, language), media_type="application/pdf", headers=headers)


@admin.get("/protocol", response_class=Response, responses=DOCUMENTS)
async def operators_protocol(
    request: Request, contest: Id, _: Observer, fmt: Format = "html", language: Language = None
) -> Response:
    """The results protocol: certified once published, else preliminary (marked so) from the live standings."""
    found = await ask(request, submissions_ops.CONTEST_GET, s.GetContest(contest=contest))
    protocol = await draw(request, found, await certificate_of(request, contest))
    summary = {"export": "protocol", "format": fmt, "certified": protocol.final}
    await audit_trail.record_export(request.scope, gateway(request).broker, summary, gateway(request).clock())
    return await document(protocol, fmt, language)


@public.get("/protocol", response_class=Response, responses=DOCUMENTS)
async def published_protocol(
    request: Request, contest: Id, fmt: Format = "html", language: Language = None
) -> Response:
    """The certified results protocol of a published contest (404 not_certified before publication)."""
    found = await public_contest(request, contest)
    certificate = await ask(request, results_ops.CERTIFICATE_GET, r.ContestQuery(contest=contest))
    return await document(await draw(request, found, certificate), fmt, language)
