"""Browser policy: security headers with a CSP, framing only for /embed, CORS open for public reads only."""

from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request, Response

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "base-uri 'none'; form-action 'self'; object-src 'none'; frame-ancestors {ancestors}"
)
DOCS_CSP = (  # Swagger UI and ReDoc load their bundles from jsDelivr
    "default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; img-src 'self' data: https://fastapi.tiangolo.com; "
    "frame-ancestors 'none'"
)
STATIC_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}
PREFLIGHT = {"Access-Control-Allow-Methods": "GET, HEAD, POST, PUT, PATCH, DELETE", "Access-Control-Max-Age": "600"}
PUBLIC_HEADERS = "Content-Type, If-None-Match, Last-Event-ID, X-Request-Id"
VOTER_HEADERS = "Authorization, Content-Type, Idempotency-Key, X-API-Key, X-Request-Id"


def embeddable(path: str) -> bool:
    return path.startswith("/embed/") or path == "/embed.js"


def public_read(path: str, method: str) -> bool:
    """Reads anyone may make from any origin: not operator routes, not a voter's own ballot."""
    reads = method in ("GET", "HEAD")
    return reads and (embeddable(path) or (path.startswith("/api/v1/") and not restricted(path)))


def restricted(path: str) -> bool:
    return path.startswith("/api/v1/admin") or path.endswith("/my-ballot")


def cors_headers(request: Request, allowed: list[str]) -> dict[str, str]:
    origin = request.headers.get("origin")
    if origin is None:
        return {}
    method = request.headers.get("access-control-request-method", request.method).upper()
    if public_read(request.url.path, method):
        return {"Access-Control-Allow-Origin": "*", "Access-Control-Allow-Headers": PUBLIC_HEADERS,
                "Access-Control-Expose-Headers": "ETag, Retry-After"}  # fmt: skip
    if origin in allowed:
        return {"Access-Control-Allow-Origin": origin, "Access-Control-Allow-Headers": VOTER_HEADERS,
                "Access-Control-Expose-Headers": "ETag, Retry-After", "Vary": "Origin"}  # fmt: skip
    return {"Vary": "Origin"}


def install(app: FastAPI, cors_allow_origins: list[str]) -> None:
    @app.middleware("http")
    async def browser_policy(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        cors = cors_headers(request, cors_allow_origins)
        if request.method == "OPTIONS" and "access-control-request-method" in request.headers:
            response = Response(status_code=204 if "Access-Control-Allow-Origin" in cors else 403)
            cors |= PREFLIGHT
        else:
            response = await call_next(request)
        path = request.url.path
        docs = path in ("/docs", "/redoc")
        csp = DOCS_CSP if docs else CSP.format(ancestors="*" if embeddable(path) else "'none'")
        response.headers.update(STATIC_HEADERS | cors | {"Content-Security-Policy": csp})
        if not embeddable(path):
            response.headers["X-Frame-Options"] = "DENY"
        else:
            response.headers["Cross-Origin-Opener-Policy"] = "unsafe-none"
        return response
