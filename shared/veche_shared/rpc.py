"""Request-reply over core NATS: typed errors for callers, a uniform envelope for services."""

import json
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import nats.errors
from faststream.nats import NatsBroker
from faststream.nats.annotations import NatsMessage
from nats.aio.client import Client
from pydantic import BaseModel, ValidationError
from pydantic_core import to_json

from veche_shared import subjects
from veche_shared.contracts.common import ErrorBody
from veche_shared.logs import request_id_var
from veche_shared.metrics import RpcMetrics

log = logging.getLogger("veche.rpc")
REQUEST_ID_HEADER = "X-Request-Id"
M = TypeVar("M", bound=BaseModel)


class RpcError(Exception):
    """A refusal with an HTTP-like status and a machine-readable code."""

    def __init__(self, status: int, code: str, message: str, details: list[dict[str, Any]] | None = None):
        super().__init__(f"{status} {code}: {message}")
        self.body = ErrorBody(status=status, code=code, message=message, details=details or [])

    @property
    def status(self) -> int:
        return self.body.status

    @property
    def code(self) -> str:
        return self.body.code


class ServiceUnavailable(RpcError):
    def __init__(self, subject: str):
        super().__init__(503, "service_unavailable", f"no service answers {subject}")


class ServiceTimeout(RpcError):
    def __init__(self, subject: str):
        super().__init__(504, "service_timeout", f"{subject} did not answer in time")


def not_found(code: str, message: str) -> RpcError:
    return RpcError(404, code, message)


def conflict(code: str, message: str) -> RpcError:
    return RpcError(409, code, message)


async def call(nc: Client, subject: str, payload: BaseModel, *, timeout: float, request_id: str | None = None) -> Any:
    """Send a request and return the `data` of the answer, or raise RpcError."""
    headers = {REQUEST_ID_HEADER: request_id or request_id_var.get()}
    try:
        reply = await nc.request(subject, payload.model_dump_json().encode(), timeout=timeout, headers=headers)
    except nats.errors.NoRespondersError:
        raise ServiceUnavailable(subject) from None
    except nats.errors.TimeoutError:
        raise ServiceTimeout(subject) from None
    return parse_reply(reply.data)


def parse_reply(data: bytes) -> Any:
    body = json.loads(data)
    if body.get("ok"):
        return body.get("data")
    error = ErrorBody.model_validate(body["error"])
    raise RpcError(error.status, error.code, error.message, error.details)


def _error_envelope(error: ErrorBody) -> bytes:
    return to_json({"ok": False, "error": error})


def serve(
    broker: NatsBroker,
    service: str,
    operation: str,
    model: type[M],
    handler: Callable[[M], Awaitable[Any]],
    metrics: RpcMetrics | None = None,
) -> None:
    """Answer svc.<service>.<operation> in queue group <service> with handler(model)."""

    async def endpoint(msg: NatsMessage) -> bytes:
        request_id_var.set((msg.headers or {}).get(REQUEST_ID_HEADER, "-"))
        started = time.perf_counter()
        answer, error_code = await _answer(service, operation, model, handler, msg.body)
        if metrics is not None:
            metrics.observe(operation, time.perf_counter() - started, error_code)
        return answer

    endpoint.__name__ = f"{service}_{operation}".replace(".", "_")
    broker.subscriber(subjects.rpc(service, operation), queue=service)(endpoint)


async def _answer(
    service: str, operation: str, model: type[M], handler: Callable[[M], Awaitable[Any]], body: bytes
) -> tuple[bytes, str | None]:
    """The reply envelope and, for a refusal, its error code."""
    try:
        command = model.model_validate_json(body)
    except ValidationError as exc:
        details = exc.errors(include_url=False, include_context=False, include_input=False)
        error = ErrorBody(status=422, code="invalid_request", message="the request is not valid", details=details)
        return _error_envelope(error), error.code
    try:
        result = await handler(command)
    except RpcError as exc:
        return _error_envelope(exc.body), exc.code
    except Exception:
        log.exception("rpc %s.%s failed", service, operation)
        return _error_envelope(ErrorBody(status=500, code="internal_error", message="internal error")), "internal_error"
    return to_json({"ok": True, "data": result}), None
