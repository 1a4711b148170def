"""Every refusal leaves the gateway as RFC 9457 problem details (application/problem+json)."""

import logging
import math
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, Field, ValidationError
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse, Response
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from veche_gateway.context import request_context
from veche_shared.contracts.common import ErrorBody
from veche_shared.errors import BUS_FAULTS, DomainError, ErrorCode, ErrorKind, bus_unavailable, http_status

log = logging.getLogger("veche.gateway")
PROBLEM_JSON = "application/problem+json"
TYPE_PREFIX = "urn:veche:problem:"  # a name, not a page: clients branch on it (or on `code`), never fetch it
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
HTTP_CODES: dict[int, ErrorCode] = {
    400: "bad_request",
    401: "unauthenticated",
    404: "not_found",
    405: "method_not_allowed",
    413: "body_too_large",
}


class Problem(BaseModel):
    """A refusal (RFC 9457): the standard members plus Veche's `code`, `errors` and `request_id`."""

    type: str = Field(description="URI naming the problem type", examples=["urn:veche:problem:already_voted"])
    title: str = Field(description="the HTTP status phrase", examples=["Conflict"])
    status: int = Field(ge=400, le=599, examples=[409])
    detail: str = Field(description="what happened, for people", examples=["this voter has already voted"])
    instance: str = Field(description="the request path", examples=["/api/v1/contests/forum-2018"])
    code: ErrorCode = Field(
        description="machine-readable reason, one of a published list; the last segment of `type`",
        examples=["already_voted"],
    )
    errors: list[dict[str, Any]] = Field(default_factory=list, description="per-field problems of a 422")
    request_id: str = Field(description="X-Request-Id of the request, for support", examples=["01J9Z8..."])


class ProblemResponse(JSONResponse):
    media_type = PROBLEM_JSON


def problem(scope: Scope, body: ErrorBody, headers: dict[str, str] | None = None) -> Response:
    """The problem response for a refusal of the request in scope (usable by plain ASGI middlewares)."""
    content = Problem(
        type=TYPE_PREFIX + body.code,
        title=HTTPStatus(body.status).phrase,
        status=body.status,
        detail=body.message,
        instance=scope.get("path", ""),
        code=body.code,
        errors=body.details,
        request_id=request_context(scope).request_id,
    )
    return ProblemResponse(content.model_dump(), status_code=body.status, headers=headers)


def refusal(
    scope: Scope, status: int, code: ErrorCode, message: str, headers: dict[str, str] | None = None
) -> Response:
    return problem(scope, ErrorBody(status=status, code=code, message=message), headers)


def too_many(scope: Scope, wait: float, what: str) -> Response:
    """429 with Retry-After in whole seconds (at least 1)."""
    retry = {"Retry-After": str(max(1, math.ceil(wait)))}
    return refusal(scope, 429, "rate_limited", f"too many requests from this {what}; retry later", retry)


def allowed_methods(request: Request) -> str:
    """Every method some route accepts at this path (RFC 9110: Allow lists the resource's methods), found by
    asking each route whether it would take the request with that method."""
    routes = request.app.router.routes
    methods = {m for m in METHODS if any(r.matches({**request.scope, "method": m})[0] == Match.FULL for r in routes)}
    if "GET" in methods:
        methods.add("HEAD")  # answered by veche_gateway.middleware.head_requests
    return ", ".join(sorted(methods))


def invalid(scope: Scope, details: list[dict[str, Any]]) -> Response:
    body = ErrorBody(status=422, code="invalid_request", message="the request is not valid", details=details)
    return problem(scope, body)


def domain_problem(scope: Scope, exc: DomainError) -> Response:
    """A service's refusal: the HTTP status comes from its kind, through the one table in veche_shared.errors."""
    headers = {"Retry-After": "5"} if exc.kind == ErrorKind.unavailable else None
    body = ErrorBody(status=http_status(exc.kind), code=exc.code, message=exc.message, details=exc.details)
    return problem(scope, body, headers)


class LastResort:
    """A fault of a route becomes a 500 problem inside the other middlewares, so it still carries X-Request-Id and
    the security headers (Starlette's own handler answers outside them)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = False

        async def watched_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, watched_send)
        except HTTPException:
            raise  # an answer, not a fault (e.g. bodylimit.BodyTooLarge read outside FastAPI)
        except BUS_FAULTS as exc:
            if started or scope["type"] != "http":
                raise
            log.warning("%s %s: the bus did not answer (%s)", scope["method"], scope["path"], type(exc).__name__)
            await domain_problem(scope, bus_unavailable())(scope, receive, send)
        except Exception:
            if started or scope["type"] != "http":
                raise
            log.exception("%s %s failed", scope["method"], scope["path"])
            await refusal(scope, 500, "internal_error", "internal error")(scope, receive, send)


def install(app: FastAPI) -> None:
    """The exception handlers that turn every refusal into a problem document (LastResort is in middleware/stack.py)."""

    @app.exception_handler(DomainError)
    async def domain_error(request: Request, exc: DomainError) -> Response:
        return domain_problem(request.scope, exc)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        details = [{k: v for k, v in e.items() if k in ("loc", "msg", "type")} for e in exc.errors()]
        return invalid(request.scope, details)

    @app.exception_handler(ValidationError)
    async def invalid_command(request: Request, exc: ValidationError) -> Response:
        # a route builds a shared contract from valid HTTP input and the contract refuses it (e.g. an oversized token)
        details = exc.errors(include_url=False, include_context=False, include_input=False)
        return invalid(request.scope, [dict(d) for d in details])

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            headers["Allow"] = allowed_methods(request)
        code = HTTP_CODES.get(exc.status_code, "http_error")
        return problem(request.scope, ErrorBody(status=exc.status_code, code=code, message=str(exc.detail)), headers)

    @app.exception_handler(Exception)
    async def internal_error(request: Request, _: Exception) -> Response:
        # a fault outside LastResort (in a middleware); Starlette logs it, the client learns only that it was ours
        return refusal(request.scope, 500, "internal_error", "internal error")
