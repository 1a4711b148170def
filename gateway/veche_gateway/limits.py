"""Rate limits per client IP (reads and writes apart) and per voter token, as one middleware."""

import hashlib
import math
from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request, Response

from veche_gateway.errors import error_response
from veche_gateway.ratelimit import TokenBuckets
from veche_gateway.settings import GatewaySettings
from veche_shared.contracts.common import ErrorBody

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def voter_key(request: Request) -> str | None:
    """A digest of the bearer token of a vote: the raw token is never kept."""
    authorization = request.headers.get("authorization", "")
    if request.method != "POST" or not request.url.path.endswith("/votes") or not authorization:
        return None
    return hashlib.sha256(authorization.encode()).hexdigest()


def too_many(wait: float, what: str) -> Response:
    body = ErrorBody(status=429, code="rate_limited", message=f"too many requests from this {what}; retry later")
    return error_response(body, {"Retry-After": str(max(1, math.ceil(wait)))})


def install(app: FastAPI, settings: GatewaySettings) -> None:
    reads = TokenBuckets(settings.rate_ip_reads)
    writes = TokenBuckets(settings.rate_ip_writes)
    voters = TokenBuckets(settings.rate_voter)
    app.state.rate_limits = {"reads": reads, "writes": writes, "voters": voters}

    @app.middleware("http")
    async def rate_limit(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        path = request.url.path
        if not path.startswith("/api/") or path.startswith("/api/v1/admin"):  # operators are known by their key
            return await call_next(request)
        ip = request.state.client_ip
        buckets = reads if request.method in READ_METHODS else writes
        if wait := buckets.take(ip):
            return too_many(wait, "address")
        voter = voter_key(request)
        if voter is not None and (wait := voters.take(voter)):
            return too_many(wait, "voter")
        return await call_next(request)
