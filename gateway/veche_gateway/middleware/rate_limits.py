"""Rate limits per client IP (reads and writes apart) and per voter token, as one middleware."""

import hashlib

from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from veche_gateway.asgi import header
from veche_gateway.context import request_context
from veche_gateway.errors import too_many
from veche_gateway.metrics import GatewayMetrics
from veche_gateway.middleware.token_buckets import TokenBuckets

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
LIMITS = ("address_reads", "address_writes", "voter", "sign_in")  # label values of veche_gateway_rate_limited_total


def is_sign_in(path: str) -> bool:
    """A step of an OpenID sign-in (organisers' or voters'): each writes a used-once marker to the shared bucket."""
    if path.startswith("/admin/sign-in") or path == "/api/v1/sign-in/callback":
        return True
    return path.startswith("/api/v1/contests/") and path.endswith("/sign-in")


def voter_key(scope: Scope) -> str | None:
    """A digest of the bearer token of a vote: the raw token is never kept."""
    if scope["method"] != "POST" or not scope["path"].endswith("/votes"):
        return None
    authorization = header(scope, b"authorization")
    return hashlib.sha256(authorization.encode()).hexdigest() if authorization else None


class RateLimits:
    """Refuses with 429 before the route runs, and counts each refusal by limit."""

    def __init__(self, app: ASGIApp, buckets: dict[str, TokenBuckets], metrics: GatewayMetrics) -> None:
        self.app = app
        self.reads, self.writes, self.voters = buckets["reads"], buckets["writes"], buckets["voters"]
        self.sign_ins = buckets["sign_ins"]
        self.limited = {name: metrics.rate_limited.labels(name) for name in LIMITS}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        refusal = self.refusal(scope) if scope["type"] == "http" else None
        await (refusal or self.app)(scope, receive, send)

    def refusal(self, scope: Scope) -> Response | None:
        path, ip = scope["path"], request_context(scope).client_key
        if is_sign_in(path) and (wait := self.sign_ins.take(ip)):
            self.limited["sign_in"].inc()
            return too_many(scope, wait, "address")
        if not path.startswith("/api/") or path.startswith("/api/v1/admin"):  # operators are known by their key
            return None
        read = scope["method"] in READ_METHODS
        if wait := (self.reads if read else self.writes).take(ip):
            self.limited["address_reads" if read else "address_writes"].inc()
            return too_many(scope, wait, "address")
        voter = voter_key(scope)
        if voter is not None and (wait := self.voters.take(voter)):
            self.limited["voter"].inc()
            return too_many(scope, wait, "voter")
        return None
