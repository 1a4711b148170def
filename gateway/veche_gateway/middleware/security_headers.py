"""Browser policy: security headers with a CSP, framing only for /embed, CORS open for public reads only."""

from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from veche_gateway.asgi import header, with_headers
from veche_gateway.errors import refusal

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "base-uri 'none'; form-action 'self'; object-src 'none'; frame-ancestors {ancestors}"
)
STATIC_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}
PAGE_HEADERS = STATIC_HEADERS | {"Content-Security-Policy": CSP.format(ancestors="'none'"), "X-Frame-Options": "DENY"}
EMBED_HEADERS = STATIC_HEADERS | {
    "Content-Security-Policy": CSP.format(ancestors="*"),
    "Cross-Origin-Opener-Policy": "unsafe-none",
}
PREFLIGHT = {"Access-Control-Allow-Methods": "GET, HEAD, POST, PUT, PATCH, DELETE", "Access-Control-Max-Age": "600"}
REFUSED = "this origin may not make this request (VECHE_GATEWAY_CORS_ALLOW_ORIGINS)"
PUBLIC_HEADERS = "Content-Type, If-None-Match, Last-Event-ID, X-Request-Id"
VOTER_HEADERS = "Authorization, Content-Type, Idempotency-Key, X-API-Key, X-Request-Id"


def embeddable(path: str) -> bool:
    return path.startswith("/embed/") or path == "/embed.js"


def public_read(path: str, method: str) -> bool:
    """Reads anyone may make from any origin: not operator routes, not a voter's own ballot."""
    reads = method in ("GET", "HEAD")
    return reads and (embeddable(path) or (path.startswith("/api/v1/") and not restricted(path)))


def restricted(path: str) -> bool:
    representatives = path == "/api/v1/municipality" or path.startswith("/api/v1/municipality/")
    return path.startswith("/api/v1/admin") or representatives or path.endswith("/my-ballot")


def cors_headers(scope: Scope, allowed: list[str]) -> dict[str, str]:
    origin = header(scope, b"origin")
    if origin is None:
        return {}
    method = (header(scope, b"access-control-request-method") or scope["method"]).upper()
    if public_read(scope["path"], method):
        return {"Access-Control-Allow-Origin": "*", "Access-Control-Allow-Headers": PUBLIC_HEADERS,
                "Access-Control-Expose-Headers": "ETag, Retry-After"}  # fmt: skip
    if origin in allowed:
        return {"Access-Control-Allow-Origin": origin, "Access-Control-Allow-Headers": VOTER_HEADERS,
                "Access-Control-Expose-Headers": "ETag, Retry-After", "Vary": "Origin"}  # fmt: skip
    return {"Vary": "Origin"}


def page_headers(path: str) -> dict[str, str]:
    """The security headers of a path: framing only for embeds; every page (the API docs too) the same strict CSP."""
    return EMBED_HEADERS if embeddable(path) else PAGE_HEADERS


class BrowserPolicy:
    """Adds the policy headers to every response and answers CORS preflights itself."""

    def __init__(self, app: ASGIApp, cors_allow_origins: list[str]) -> None:
        self.app = app
        self.allowed = cors_allow_origins

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cors = cors_headers(scope, self.allowed)
        headers = page_headers(scope["path"]) | cors
        if scope["method"] == "OPTIONS" and header(scope, b"access-control-request-method") is not None:
            allowed = "Access-Control-Allow-Origin" in cors
            preflight = Response(status_code=204) if allowed else refusal(scope, 403, "origin_not_allowed", REFUSED)
            await preflight(scope, receive, with_headers(send, headers | PREFLIGHT))
            return
        await self.app(scope, receive, with_headers(send, headers))
