"""Operator routes: the X-API-Key is checked before anything reads the body; failed keys are limited per address."""

import logging
import math

from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from veche_gateway.asgi import header
from veche_gateway.auth.console_session import identify
from veche_gateway.context import request_context
from veche_gateway.errors import refusal
from veche_gateway.metrics import GatewayMetrics
from veche_gateway.middleware.token_buckets import TokenBuckets
from veche_gateway.settings import GatewaySettings

ADMIN_PREFIX = "/api/v1/admin"
log = logging.getLogger("veche.gateway.operators")


class OperatorGate:
    """401 without a known key, 429 for an address whose failed attempts used up its bucket (a key guesser's);
    a known key's operator goes on the request's context for the routes' role checks."""

    def __init__(
        self, app: ASGIApp, settings: GatewaySettings, failures: TokenBuckets, metrics: GatewayMetrics
    ) -> None:
        self.app = app
        self.keys = settings.operator_keys
        self.session_key = settings.session_key()
        self.failures = failures
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(ADMIN_PREFIX):
            await self.app(scope, receive, send)
            return
        ip = request_context(scope).client_key
        if wait := self.failures.wait(ip):  # checked first: a limited address cannot try keys at all
            self.metrics.rate_limited.labels("operator_key").inc()
            message = "too many failed operator keys from this address; retry later"
            retry = {"Retry-After": str(max(1, math.ceil(wait)))}
            await refusal(scope, 429, "rate_limited", message, retry)(scope, receive, send)
            return
        presented = header(scope, b"x-api-key")
        operator = identify(self.keys, self.session_key, presented) if presented else None
        if operator is None:
            await self.refuse(scope, "unknown" if presented else "missing")(scope, receive, send)
            return
        request_context(scope).operator = operator
        await self.app(scope, receive, send)

    def refuse(self, scope: Scope, reason: str) -> Response:
        self.failures.take(request_context(scope).client_key)
        self.metrics.operator_auth_failures.labels(reason).inc()
        log.warning("operator key refused (%s): %s %s", reason, scope["method"], scope["path"])  # never the key
        message = "unknown API key" if reason == "unknown" else "an operator API key is required (X-API-Key)"
        return refusal(scope, 401, "unauthenticated", message)
