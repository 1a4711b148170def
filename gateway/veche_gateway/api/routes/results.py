"""Results beyond one leaderboard: all nominations, totals, the map, charts and certified results."""

from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import StreamingResponse

from veche_gateway.api import ballot_files
from veche_gateway.api.ballot_files import BALLOT_FILES, FormatQuery
from veche_gateway.api.deps import Admin, Observer, Refusals, contest_leaderboards
from veche_gateway.api.upstream import ask
from veche_gateway.state import gateway
from veche_shared.contracts import results as r
from veche_shared.contracts.common import Id
from veche_shared.operations import results as ops

public = APIRouter(prefix="/api/v1/contests/{contest}", tags=["public"], responses=Refusals)
admin = APIRouter(prefix="/api/v1/admin/contests/{contest}", tags=["operators"], responses=Refusals)
PUBLISHED = "public, max-age=3600"  # certified ballots no longer change: shared caches spare the results service
Minutes = Annotated[int, Query(ge=1, le=2_880, description="how far back")]


async def _totals(request: Request, contest: str, hidden: bool) -> r.ContestTotals:
    query = r.ContestQuery(contest=contest, include_hidden=hidden)
    return await ask(request, ops.CONTEST_TOTALS_GET, query)


async def _map(request: Request, contest: str, hidden: bool) -> r.MunicipalityTotals:
    query = r.ContestQuery(contest=contest, include_hidden=hidden)
    return await ask(request, ops.MUNICIPALITY_TOTALS_GET, query)


async def _series(request: Request, contest: str, nomination: str, minutes: int, hidden: bool) -> r.TimeSeries:
    query = r.TimeSeriesQuery(contest=contest, nomination=nomination, minutes=minutes, include_hidden=hidden)
    return await ask(request, ops.TIMESERIES_GET, query)


@public.get("/leaderboards")
async def leaderboards(request: Request, contest: Id) -> list[r.Leaderboard]:
    """Standings of every nomination, each the board `.../leaderboard` serves: sealed by the log key at the log head
    it was counted at (numbers only when the contest's visibility allows)."""
    boards = gateway(request).boards
    shown = []
    for listed in await contest_leaderboards(request, contest, hidden=False):  # the nominations, in display order
        snapshot = (await boards.board(contest, listed.nomination)).snapshot
        assert snapshot is not None  # board() hands out only boards that hold a snapshot
        shown.append(snapshot.board.public())
    return shown


@public.get("/totals")
async def totals(request: Request, contest: Id) -> r.ContestTotals:
    """Votes per nomination and in all."""
    return await _totals(request, contest, hidden=False)


@public.get("/map")
async def municipality_map(request: Request, contest: Id) -> r.MunicipalityTotals:
    """Votes per municipality with coordinates, for the map."""
    return await _map(request, contest, hidden=False)


@public.get("/nominations/{nomination}/timeseries")
async def timeseries(request: Request, contest: Id, nomination: Id, minutes: Minutes = 60) -> r.TimeSeries:
    """Net votes per minute in a nomination."""
    return await _series(request, contest, nomination, minutes, hidden=False)


@public.get("/ballots", response_class=StreamingResponse, responses=BALLOT_FILES)
async def ballots(request: Request, contest: Id, fmt: FormatQuery = "jsonl") -> StreamingResponse:
    """The anonymised ballots the certificate counts, for anyone once the results are published (404 not_certified
    before): each with its keyed voter hash only, as the transparency log shows it. `veche verify certificate.json
    ballots.jsonl` recomputes the certificate from them."""
    first = await ballot_files.first_page(request, contest)
    return ballot_files.ballots_file(request, contest, fmt, first, PUBLISHED)


@public.get("/certificate")
async def certificate(request: Request, contest: Id) -> r.Certificate:
    """The certified final results (after publication): ledger sequence, SHA-256 digest, standings."""
    return await ask(request, ops.CERTIFICATE_GET, r.ContestQuery(contest=contest))


@admin.get("/leaderboards")
async def admin_leaderboards(request: Request, contest: Id, _: Observer) -> list[r.Leaderboard]:
    """Every nomination's standings, hidden ones included."""
    return await contest_leaderboards(request, contest, hidden=True)


@admin.get("/totals")
async def admin_totals(request: Request, contest: Id, _: Observer) -> r.ContestTotals:
    """Totals, hidden ones included."""
    return await _totals(request, contest, hidden=True)


@admin.get("/map")
async def admin_map(request: Request, contest: Id, _: Observer) -> r.MunicipalityTotals:
    """Votes per municipality, hidden ones included."""
    return await _map(request, contest, hidden=True)


@admin.get("/nominations/{nomination}/timeseries")
async def admin_timeseries(
    request: Request, contest: Id, nomination: Id, _: Observer, minutes: Minutes = 60
) -> r.TimeSeries:
    """Votes per minute, hidden ones included: the fraud watch."""
    return await _series(request, contest, nomination, minutes, hidden=True)


@admin.post("/recount")
async def recount(request: Request, contest: Id, _: Admin) -> r.RecountReport:
    """Replay the ledger into fresh collections and compare with the live counts (may take a while)."""
    query = r.ContestQuery(contest=contest, include_hidden=True)
    return await ask(request, ops.LEDGER_RECOUNT, query)
