"""The service's side of request-reply: a handler per operation, a uniform envelope, one queue group."""

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Generic

from faststream.nats import NatsBroker
from faststream.nats.annotations import NatsMessage
from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.aio.subscription import Subscription
from pydantic import ValidationError
from pydantic_core import to_json

from veche_shared.contracts.common import RpcRefusal
from veche_shared.errors import BUS_FAULTS, DomainError, ErrorCode, ErrorKind, bus_unavailable
from veche_shared.logs import request_id_var
from veche_shared.metrics import RpcMetrics
from veche_shared.operators import OperatorKey, Role
from veche_shared.rpc.actors import actor_var, keyed_actor, read_actor, recorded_var
from veche_shared.rpc.client import REQUEST_ID_HEADER
from veche_shared.rpc.operation import Operation, Rep, Req

log = logging.getLogger("veche.rpc")
Handler = Callable[[Req], Awaitable[Rep]]


def _refusal(kind: ErrorKind, code: ErrorCode, message: str, details: list[dict[str, object]]) -> bytes:
    return to_json({"ok": False, "error": RpcRefusal(kind=kind, code=code, message=message, details=details)})


async def answer(op: Operation[Req, Rep], handler: Handler[Req, Rep], body: bytes) -> tuple[bytes, str | None]:
    """The reply envelope for one request (handler(request) or a typed refusal, never an exception) and,
    for a refusal, its error code. The reply is encoded once, by to_json: the hot path pays nothing more."""
    try:
        request = op.request.model_validate_json(body)
    except ValidationError as exc:
        details = [dict(d) for d in exc.errors(include_url=False, include_context=False, include_input=False)]
        return _refusal(ErrorKind.invalid, "invalid_request", "the request is not valid", details), "invalid_request"
    recorded_var.set(None)
    try:
        result = await handler(request)
    except DomainError as exc:
        return _refusal(exc.kind, exc.code, exc.message, exc.details), exc.code
    except BUS_FAULTS as exc:
        log.warning("rpc %s: the bus did not answer (%s)", op.subject, type(exc).__name__)
        fault = bus_unavailable()
        return _refusal(fault.kind, fault.code, fault.message, []), fault.code
    except Exception:
        log.exception("rpc %s failed", op.subject)
        return _refusal(ErrorKind.internal, "internal_error", "internal error", []), "internal_error"
    recorded = recorded_var.get()
    return to_json({"ok": True, "data": result} | ({"audit": recorded} if recorded else {})), None


async def _measured(
    op: Operation[Req, Rep], handler: Handler[Req, Rep], body: bytes, metrics: RpcMetrics | None
) -> bytes:
    started = time.perf_counter()
    reply, error_code = await answer(op, handler, body)
    if metrics is not None:
        metrics.observe(op.name, time.perf_counter() - started, error_code)
    return reply


@dataclass(frozen=True)
class Route(Generic[Req, Rep]):
    """An operation and the handler that answers it (mypy checks that the handler fits): a service's table of these
    is what it serves on the bus, and what fast tests answer in process with `answer`."""

    op: Operation[Req, Rep]
    handler: Handler[Req, Rep]


def route(op: Operation[Req, Rep], handler: Handler[Req, Rep]) -> Route[Any, Any]:
    """A Route for a service's table: mypy checks here (free of the table's Any) that the handler fits the operation."""
    return Route(op, handler)


def serve_routes(
    broker: NatsBroker,
    routes: list[Route[Any, Any]],
    metrics: RpcMetrics | None = None,
    operator_keys: list[OperatorKey] | None = None,
) -> None:
    """Serve each route; with operator_keys, also the keyed subject of the operations the commands ask by key."""
    for route in routes:
        serve(broker, route.op, route.handler, metrics)
        if operator_keys is not None and route.op.by_key is not None:
            serve_keyed(broker, route.op, route.handler, operator_keys, metrics)


def serve(
    broker: NatsBroker, op: Operation[Req, Rep], handler: Handler[Req, Rep], metrics: RpcMetrics | None = None
) -> None:
    """Answer op's subject in queue group <service> with handler(request)."""

    async def endpoint(msg: NatsMessage) -> bytes:
        request_id_var.set((msg.headers or {}).get(REQUEST_ID_HEADER, "-"))
        actor_var.set(read_actor(msg.headers))
        return await _measured(op, handler, msg.body, metrics)

    endpoint.__name__ = f"{op.service}_{op.name}".replace(".", "_")
    broker.subscriber(op.subject, queue=op.service)(endpoint)


def serve_keyed(
    broker: NatsBroker,
    op: Operation[Req, Rep],
    handler: Handler[Req, Rep],
    keys: list[OperatorKey],
    metrics: RpcMetrics | None = None,
) -> None:
    """Answer op's keyed subject: an operator command's request, whose operator key (of at least op.by_key) this
    service checks itself and whose operator it records; without one, refused (403 forbidden)."""
    role: Role = op.by_key or "admin"

    async def endpoint(msg: NatsMessage) -> bytes:
        request_id_var.set((msg.headers or {}).get(REQUEST_ID_HEADER, "-"))
        actor = keyed_actor(msg.headers, keys, role)
        if actor is None:
            log.warning("rpc %s: refused a request without an operator key of the %s role", op.keyed_subject, role)
            return _refusal(ErrorKind.forbidden, "forbidden", f"this command needs an operator key ({role})", [])
        actor_var.set(actor)
        return await _measured(op, handler, msg.body, metrics)

    endpoint.__name__ = f"{op.service}_keyed_{op.name}".replace(".", "_")
    broker.subscriber(op.keyed_subject, queue=op.service)(endpoint)


async def serve_concurrent(
    nc: Client,
    op: Operation[Req, Rep],
    handler: Handler[Req, Rep],
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
            actor_var.set(read_actor(msg.headers))
            await msg.respond(await _measured(op, handler, msg.data, metrics))
        except Exception:  # the connection closed under us: the caller times out and may retry
            log.warning("rpc %s: could not send the reply", op.subject, exc_info=True)
        finally:
            gate.release()

    async def on_message(msg: Msg) -> None:
        await gate.acquire()  # when full, the subscription stops taking messages: NATS buffers them
        task = asyncio.create_task(reply(msg))
        running.add(task)
        task.add_done_callback(running.discard)

    return await nc.subscribe(op.subject, queue=op.service, cb=on_message)
