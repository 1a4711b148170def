"""Every refusal leaves the gateway as {"error": {status, code, message, details}}; the HTTP status of a domain
error comes from its kind, through the one table in veche_shared.errors."""

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from starlette.exceptions import HTTPException

from veche_shared.contracts.common import ErrorBody
from veche_shared.errors import DomainError, ErrorKind, http_status


def error_response(body: ErrorBody, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": body.model_dump()}, status_code=body.status, headers=headers)


def install(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def domain_error(_: Request, exc: DomainError) -> JSONResponse:
        headers = {"Retry-After": "5"} if exc.kind == ErrorKind.unavailable else None
        body = ErrorBody(status=http_status(exc.kind), code=exc.code, message=exc.message, details=exc.details)
        return error_response(body, headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        details = [{k: v for k, v in e.items() if k in ("loc", "msg", "type")} for e in exc.errors()]
        return error_response(
            ErrorBody(status=422, code="invalid_request", message="the request is not valid", details=details)
        )

    @app.exception_handler(ValidationError)
    async def invalid_command(_: Request, exc: ValidationError) -> JSONResponse:
        # a route builds a shared contract from valid HTTP input and the contract refuses it (e.g. an oversized token)
        details = exc.errors(include_url=False, include_context=False, include_input=False)
        return error_response(
            ErrorBody(status=422, code="invalid_request", message="the request is not valid", details=list(details))
        )

    @app.exception_handler(HTTPException)
    async def http_error(_: Request, exc: HTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        return error_response(ErrorBody(status=exc.status_code, code=code, message=str(exc.detail)))
