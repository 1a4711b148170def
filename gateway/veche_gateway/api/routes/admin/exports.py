"""Downloads of certified results: the certificate and the anonymised ballots (observer and up, recorded in the
audit trail). `veche verify certificate.json ballots.jsonl` checks one against the other."""

from fastapi import APIRouter, Request
from starlette.responses import Response, StreamingResponse

from veche_gateway.api import ballot_files
from veche_gateway.api.ballot_files import BALLOT_FILES, FormatQuery, attachment
from veche_gateway.api.deps import Observer, Refusals
from veche_gateway.api.upstream import ask
from veche_gateway.middleware import audit_trail
from veche_gateway.state import gateway
from veche_shared.contracts.common import Id
from veche_shared.contracts.results import Certificate, ContestQuery
from veche_shared.operations import results as ops

router = APIRouter(prefix="/api/v1/admin/contests/{contest}/exports", tags=["operators"], responses=Refusals)


@router.get("/certificate", response_model=Certificate)
async def export_certificate(request: Request, contest: Id, _: Observer) -> Response:
    """The certified results as a file (404 not_certified until the results are published and certified)."""
    certificate = await ask(request, ops.CERTIFICATE_GET, ContestQuery(contest=contest))
    summary = {"export": "certificate", "digest_sha256": certificate.digest_sha256}
    await audit_trail.record_export(request.scope, gateway(request).broker, summary, gateway(request).clock())
    body = certificate.model_dump_json(indent=2, exclude_none=True) + "\n"
    return Response(body, media_type="application/json", headers=attachment(f"{contest}-certificate.json"))


@router.get("/ballots", response_class=StreamingResponse, responses=BALLOT_FILES)
async def export_ballots(request: Request, contest: Id, _: Observer, fmt: FormatQuery = "jsonl") -> StreamingResponse:
    """The certified contest's counted ballots, anonymised (keyed voter hashes only), in ledger order, each
    marked annulled or not; exactly the ballots the certificate counts."""
    first = await ballot_files.first_page(request, contest)
    await audit_trail.record_export(
        request.scope, gateway(request).broker, {"export": "ballots", "format": fmt}, gateway(request).clock()
    )
    return ballot_files.ballots_file(request, contest, fmt, first, "no-store")
