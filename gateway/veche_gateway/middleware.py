"""Per-request plumbing: request id, client address, body size limit."""

from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request, Response

from veche_gateway.errors import error_response
from veche_shared.contracts.common import ErrorBody, new_id
from veche_shared.logs import request_id_var

REQUEST_ID = "X-Request-Id"


def install(app: FastAPI, max_body_bytes: int, trust_forwarded_for: bool) -> None:
    @app.middleware("http")
    async def plumbing(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        incoming = request.headers.get(REQUEST_ID, "")
        request_id = incoming if 0 < len(incoming) <= 64 and incoming.isascii() else new_id()
        request.state.request_id = request_id
        request_id_var.set(request_id)
        forwarded = request.headers.get("x-forwarded-for", "") if trust_forwarded_for else ""
        request.state.client_ip = forwarded.split(",")[0].strip() or (request.client.host if request.client else "")
        length = request.headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > max_body_bytes):
            return error_response(
                ErrorBody(status=413, code="body_too_large", message=f"the body exceeds {max_body_bytes} bytes")
            )
        response = await call_next(request)
        response.headers[REQUEST_ID] = request_id
        return response
