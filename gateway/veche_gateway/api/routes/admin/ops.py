"""The operators' overview behind the console's operations view (/admin#/ops): every service's health, the ledger
and its dead letters, moderation, hidden standings, and the deployment's dashboard and runbook."""

import asyncio
import time
from collections.abc import Awaitable
from typing import TypeVar

from fastapi import APIRouter, Request
from nats.errors import Error as NatsError

from veche_gateway.api.deps import Observer, Refusals, contest_leaderboards
from veche_gateway.api.upstream import ask
from veche_gateway.state import gateway
from veche_shared import subjects
from veche_shared.bus import connection
from veche_shared.contracts import results, submissions
from veche_shared.contracts.catalog import Contest
from veche_shared.contracts.common import Empty, Id
from veche_shared.contracts.ops import (
    LedgerStatus,
    OpsLinks,
    OpsOverview,
    PracticeCounts,
    PracticeCountsQuery,
    ServiceStatus,
)
from veche_shared.errors import DomainError, ErrorKind
from veche_shared.operations import results as results_ops
from veche_shared.operations import submissions as submissions_ops
from veche_shared.operations import voting as voting_ops
from veche_shared.service import nats_connected
from veche_shared.status import instance_id

router = APIRouter(prefix="/api/v1/admin/contests/{contest}", tags=["operators"], responses=Refusals)
platform = APIRouter(prefix="/api/v1/admin", tags=["operators"], responses=Refusals)
SERVICES = (submissions_ops.S, voting_ops.S, results_ops.S)
STATUS_DEADLINE = 0.5  # how long replicas have to answer; one that takes longer is not listed (see Roster)
T = TypeVar("T")
INSTANCE = instance_id("gateway")


async def service_instances(request: Request, service: str) -> list[ServiceStatus]:
    """Every replica of service that answered, or one entry saying that none did."""
    subject = subjects.health_instances(service)
    try:
        found = await gateway(request).instances.gather(connection(gateway(request).broker), service, STATUS_DEADLINE)
    except (RuntimeError, NatsError):  # not connected: like a service that does not answer
        found = []
    no_answer = f"no service answers {subject} within {STATUS_DEADLINE} s"
    return found or [ServiceStatus(service=service, ready=False, checks={}, uptime_seconds=0, error=no_answer)]


def gateway_status(request: Request) -> ServiceStatus:
    """The gateway that serves this request (gateways answer no instance request: each reports itself)."""
    connected = nats_connected(gateway(request).broker)
    uptime = time.monotonic() - gateway(request).started_at
    checks = {"nats": connected}
    return ServiceStatus(service="gateway", ready=connected, checks=checks, uptime_seconds=uptime, instance=INSTANCE)


async def unless_down(part: Awaitable[T]) -> T | None:
    """The part, or None when its service is down or slow; a refusal such as 404 still fails the request."""
    try:
        return await part
    except DomainError as exc:
        if exc.kind in (ErrorKind.unavailable, ErrorKind.timeout):
            return None
        raise


async def _ledger(request: Request) -> LedgerStatus:
    return await ask(request, results_ops.LEDGER_STATUS, Empty())


async def _boards(request: Request, contest: str) -> list[results.Leaderboard]:
    try:
        return await contest_leaderboards(request, contest, hidden=True)
    except DomainError as exc:
        if (
            exc.kind == ErrorKind.not_found
        ):  # a draft: results keeps no standings yet (an unknown contest is submissions' 404)
            return []
        raise


async def _contest(request: Request, contest: str) -> Contest:
    query = submissions.GetContest(contest=contest)
    return await ask(request, submissions_ops.CONTEST_GET, query)


async def _moderation(request: Request, contest: str) -> PracticeCounts:
    query = PracticeCountsQuery(contest=contest)
    return await ask(request, submissions_ops.PRACTICE_COUNT, query)


@router.get("/ops")
async def ops_overview(request: Request, contest: Id, _: Observer) -> OpsOverview:
    """Health of every service, ledger rate and projector lag, the newest dead letters, the moderation queue, every
    nomination's standings (hidden ones included) and where to look next: what the console's operations view
    shows, refreshed every 5 seconds."""
    statuses, details, ledger, moderation, boards = await asyncio.gather(
        asyncio.gather(*(service_instances(request, service) for service in SERVICES)),
        unless_down(_contest(request, contest)),
        unless_down(_ledger(request)),
        unless_down(_moderation(request, contest)),
        unless_down(_boards(request, contest)),
    )
    return overview(request, statuses, ledger).model_copy(
        update={
            "contest": contest,
            "details": details,
            "results_public": details.results_public() if details else None,
            "moderation": moderation,
            "leaderboards": boards,
        }
    )


@platform.get("/ops")
async def platform_overview(request: Request, _: Observer) -> OpsOverview:
    """The platform's part of the overview, before any contest is chosen: every service's health, the ledger and
    its newest dead letters, and where to look next (contest null)."""
    statuses, ledger = await asyncio.gather(
        asyncio.gather(*(service_instances(request, service) for service in SERVICES)),
        unless_down(_ledger(request)),
    )
    return overview(request, statuses, ledger)


def overview(request: Request, statuses: list[list[ServiceStatus]], ledger: LedgerStatus | None) -> OpsOverview:
    """The platform's part: services (this gateway first), the ledger, the deployment's links."""
    settings = gateway(request).settings
    return OpsOverview(
        contest=None,
        generated_at=gateway(request).clock(),
        details=None,
        results_public=None,
        services=[gateway_status(request), *(instance for found in statuses for instance in found)],
        ledger=ledger,
        moderation=None,
        leaderboards=None,
        links=OpsLinks(grafana=settings.grafana_url, runbook=settings.runbook_url),
    )
