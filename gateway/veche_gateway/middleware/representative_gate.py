"""Municipality representatives' routes: the invitation key (X-API-Key) is resolved before anything reads the body;
failed keys take from the same per-address bucket as failed operator keys, so a guesser gains nothing by trying
both kinds."""

import hashlib
import logging
import math

from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from veche_gateway.asgi import header
from veche_gateway.context import request_context
from veche_gateway.errors import refusal
from veche_gateway.middleware.token_buckets import TokenBuckets
from veche_gateway.state import Gateway
from veche_shared.bus import connection
from veche_shared.contracts.representatives import Invitation, ResolveInvitation
from veche_shared.errors import DomainError, ErrorKind, Unauthenticated
from veche_shared.operations import representatives as ops
from veche_shared.rpc import call

PREFIX = "/api/v1/municipality"
log = logging.getLogger("veche.gateway.representatives")


def for_representatives(path: str) -> bool:
    """/api/v1/municipality and below; not the public /api/v1/municipalities."""
    return path == PREFIX or path.startswith(PREFIX + "/")


def key_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class RepresentativeGate:
    """401 without a valid invitation key, 429 for an address whose failed keys used up its bucket; the valid
    key's invitation goes on the request's context, and the routes act for its municipality only."""

    def __init__(self, app: ASGIApp, state: Gateway, failures: TokenBuckets) -> None:
        self.app = app
        self.state = state
        self.failures = failures

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not for_representatives(scope["path"]):
            await self.app(scope, receive, send)
            return
        if wait := self.failures.wait(request_context(scope).client_key):
            self.state.metrics.rate_limited.labels("invitation_key").inc()
            retry = {"Retry-After": str(max(1, math.ceil(wait)))}
            message = "too many failed keys from this address; retry later"
            await refusal(scope, 429, "rate_limited", message, retry)(scope, receive, send)
            return
        try:
            request_context(scope).invitation = await self.resolve(scope)
        except DomainError as refused:
            await self.refuse(scope, refused)(scope, receive, send)
            return
        await self.app(scope, receive, send)

    async def resolve(self, scope: Scope) -> Invitation:
        presented = header(scope, b"x-api-key")
        if not presented or len(presented) > 200:
            raise Unauthenticated("unauthenticated", "an invitation key is required (X-API-Key)")
        query = ResolveInvitation(key_sha256=key_digest(presented))
        nc, timeout = connection(self.state.broker), self.state.settings.rpc_timeout
        return await call(
            nc, ops.INVITATION_RESOLVE, query, timeout=timeout, request_id=request_context(scope).request_id
        )

    def refuse(self, scope: Scope, refused: DomainError) -> Response:
        if refused.kind == ErrorKind.unauthenticated:
            self.failures.take(request_context(scope).client_key)
            self.state.metrics.invitation_auth_failures.labels(refused.code).inc()
            log.warning(
                "invitation key refused (%s): %s %s", refused.code, scope["method"], scope["path"]
            )  # never the key
        headers = {"Retry-After": "5"} if refused.kind == ErrorKind.unavailable else None
        return refusal(scope, refused.status, refused.code, refused.message, headers)
