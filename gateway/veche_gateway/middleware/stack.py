"""The gateway's middlewares, in the order a request meets them (the first entry sees it first). Each is plain ASGI
and one concept; their order is load-bearing, so it is written here once, with why each entry stands where it does."""

from starlette.middleware import Middleware

from veche_gateway.api.routes.admin.municipalities import IMPORT_PATH
from veche_gateway.api.routes.admin.roll import ROLL_UPLOAD_PATH
from veche_gateway.api.routes.photos import UPLOAD_PATH
from veche_gateway.errors import LastResort
from veche_gateway.middleware.audit_trail import AuditTrail
from veche_gateway.middleware.body_limit import BodyLimit
from veche_gateway.middleware.client_address import ClientAddress
from veche_gateway.middleware.compression import Compression
from veche_gateway.middleware.fastlane import FastLane
from veche_gateway.middleware.head_requests import HeadAsGet
from veche_gateway.middleware.log_lane import LogLane
from veche_gateway.middleware.operator_gate import OperatorGate
from veche_gateway.middleware.rate_limits import RateLimits
from veche_gateway.middleware.representative_gate import RepresentativeGate
from veche_gateway.middleware.request_context import RequestContextMiddleware
from veche_gateway.middleware.security_headers import BrowserPolicy
from veche_gateway.middleware.token_buckets import TokenBuckets
from veche_gateway.state import Gateway


def middlewares(state: Gateway) -> list[Middleware]:
    """The stack for FastAPI(middleware=...): outermost first."""
    settings = state.settings
    failed_keys = TokenBuckets(settings.rate_operator_key_failures)  # operators' and representatives' alike
    ip_and_voter = {
        "reads": TokenBuckets(settings.rate_ip_reads),
        "writes": TokenBuckets(settings.rate_ip_writes),
        "voters": TokenBuckets(settings.rate_voter),
        "sign_ins": TokenBuckets(settings.rate_sign_in),
    }
    return [
        # gzip outermost of our own: it sees the final headers (Vary from the browser policy too); the fast lane's
        # routes and anything already encoded pass through untouched
        Middleware(Compression),
        # request id and client address next: every entry below logs, limits and audits by them
        Middleware(RequestContextMiddleware, client_address=ClientAddress(settings.trusted_proxies)),
        # security headers and CORS on every answer, refusals of the entries below included
        Middleware(BrowserPolicy, cors_allow_origins=settings.cors_allow_origins),
        # the audit trail sees every operator request that may change something, refused ones too
        Middleware(AuditTrail, broker=state.broker, metrics=state.metrics, clock=state.clock),
        # bodies are counted as they arrive, before a gate or a route reads one
        Middleware(
            BodyLimit,
            max_body_bytes=settings.max_body_bytes,
            uploads={IMPORT_PATH: settings.max_import_bytes, ROLL_UPLOAD_PATH: settings.max_import_bytes},
            patterns={UPLOAD_PATH: settings.max_photo_bytes},
        ),
        # a representative's invitation key is resolved before anything reads the body
        Middleware(RepresentativeGate, state=state, failures=failed_keys),
        # an operator's key is checked before anything reads the body; failed keys are limited per address
        Middleware(OperatorGate, settings=settings, failures=failed_keys, metrics=state.metrics),
        # per-address and per-voter rate limits, after the gates so operators are known
        Middleware(RateLimits, buckets=ip_and_voter, metrics=state.metrics),
        # HEAD answered as GET without a body, for every route below (the fast lane's included)
        Middleware(HeadAsGet),
        # the last resort: an exception nothing else answered becomes a problem document, not a bare 500
        Middleware(LastResort),
        # the transparency log's repeated reads from memory, wrapped like the fast lane (disjoint paths)
        Middleware(LogLane, boards=state.boards),
        # innermost: the lean vote, leaderboard read and stream, with every entry above wrapped around them
        Middleware(FastLane, state=state),
    ]
