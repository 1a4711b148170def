"""Request-reply over core NATS: typed errors for callers, a uniform envelope for services."""

import asyncio
import json
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import nats.errors
from faststream.nats import NatsBroker
from faststream.nats.annotations import NatsMessage
from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.aio.subscription import Subscription
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
        reply = await nc.request(subject, _wire(payload), timeout=timeout, headers=headers)
    except nats.errors.NoRespondersError:
        raise ServiceUnavailable(subject) from None
    except nats.errors.TimeoutError:
        raise ServiceTimeout(subject) from None
    return parse_reply(reply.data)


def _wire(payload: BaseModel) -> bytes:
    """The fields the caller set, plus generated ones (ids): a partial update can then tell "left out"
    (keep) from an explicit null (clear); static defaults are the same on the service's side."""
    generated = {name for name, field in type(payload).model_fields.items() if field.default_factory is not None}
    return payload.model_dump_json(include=payload.model_fields_set | generated).encode()


def parse_reply(data: bytes) -> Any:
    body = json.loads(data)
    if body.get("ok"):
        return body.get("data")
    error = ErrorBody.model_validate(body["error"])
    raise RpcError(error.status, error.code, error.message, error.details)


def _error_envelope(error: ErrorBody) -> bytes:
    return to_json({"ok": False, "error": error})


async def answer(
    service: str, operation: str, model: type[M], handler: Callable[[M], Awaitable[Any]], body: bytes
) -> tuple[bytes, str | None]:
    """The reply envelope for one request (handler(model) or a typed refusal, never an exception) and,
    for a refusal, its error code."""
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


async def _measured(
    service: str,
    operation: str,
    model: type[M],
    handler: Callable[[M], Awaitable[Any]],
    body: bytes,
    metrics: RpcMetrics | None,
) -> bytes:
    started = time.perf_counter()
    reply, error_code = await answer(service, operation, model, handler, body)
    if metrics is not None:
        metrics.observe(operation, time.perf_counter() - started, error_code)
    return reply


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
        return await _measured(service, operation, model, handler, msg.body, metrics)

    endpoint.__name__ = f"{service}_{operation}".replace(".", "_")
    broker.subscriber(subjects.rpc(service, operation), queue=service)(endpoint)


async def serve_concurrent(
    nc: Client,
    service: str,
    operation: str,
    model: type[M],
    handler: Callable[[M], Awaitable[Any]],
    max_in_flight: int,
    metrics: RpcMetrics | None = None,
) -> Subscription:
    """Like serve, on the raw connection, up to max_in_flight requests at once: for hot paths, where the
    broker's per-message machinery costs as much CPU as the work itself."""
    gate = asyncio.Semaphore(max_in_flight)
    running: set[asyncio.Task[None]] = set()

    async def reply(msg: Msg) -> None:
        try:
            request_id_var.set((msg.headers or {}).get(REQUEST_ID_HEADER, "-"))
            await msg.respond(await _measured(service, operation, model, handler, msg.data, metrics))
        except Exception:  # the connection closed under us: the caller times out and may retry
            log.warning("rpc %s.%s: could not send the reply", service, operation, exc_info=True)
        finally:
            gate.release()

    async def on_message(msg: Msg) -> None:
        await gate.acquire()  # when full, the subscription stops taking messages: NATS buffers them
        task = asyncio.create_task(reply(msg))
        running.add(task)
        task.add_done_callback(running.discard)

    return await nc.subscribe(subjects.rpc(service, operation), queue=service, cb=on_message)
