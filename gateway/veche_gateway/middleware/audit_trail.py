"""The audit trail of operator actions: every operator request that may change something (any method but GET,
HEAD, OPTIONS under /api/v1/admin) by an authenticated operator becomes one AuditEntry in stream AUDIT.

A change a service made is recorded by that service, before the change, and refused if the record cannot be made
(docs/adr/0017-the-writing-service-records-the-change.md); this middleware records the rest: refused requests,
and actions that change nothing a service records (a dry run, a repeated approval). Its entry is appended once
the outcome is known and before the operator gets the answer (docs/adr/0004-operator-audit-trail.md). The response
is held back for that: operator answers are small JSON documents.
"""

import json
import logging
import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

from faststream.nats import NatsBroker
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from veche_gateway.context import request_context
from veche_gateway.metrics import GatewayMetrics
from veche_shared.audit import append
from veche_shared.bus import connection
from veche_shared.contracts.audit import AuditEntry
from veche_shared.contracts.common import new_id
from veche_shared.subjects import TOKEN_PATTERN

log = logging.getLogger("veche.gateway.audit")
PREFIX = "/api/v1/admin"
READS = frozenset({"GET", "HEAD", "OPTIONS"})
KEPT_BYTES = 64 * 1024  # a larger body is recorded as its size only


UNKEPT_BODIES = frozenset({"/api/v1/admin/roll-uploads"})  # personal identifiers: recorded as a size only


def as_json(raw: bytes) -> dict[str, Any] | None:
    if not raw or len(raw) > KEPT_BYTES:
        return {"bytes": len(raw)} if raw else None
    try:
        value = json.loads(raw)
    except ValueError:
        return {"bytes": len(raw)}
    return value if isinstance(value, dict) else {"value": value}


def audited(scope: Scope) -> bool:
    return scope["type"] == "http" and scope["method"] not in READS and scope["path"].startswith(PREFIX)


class Recorder:
    """Collects what one request received and answered."""

    def __init__(self) -> None:
        self.received = bytearray()
        self.status = 500
        self.held: list[Message] = []
        self.answer = bytearray()

    def wrap_receive(self, receive: Receive) -> Receive:
        async def recording() -> Message:
            message = await receive()
            if message["type"] == "http.request" and len(self.received) <= KEPT_BYTES:
                self.received += message.get("body", b"")
            return message

        return recording


class AuditTrail:
    def __init__(
        self, app: ASGIApp, broker: NatsBroker, metrics: GatewayMetrics, clock: Callable[[], datetime]
    ) -> None:
        self.app = app
        self.broker = broker
        self.clock = clock
        self.failures = metrics.audit_failures

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not audited(scope):
            await self.app(scope, receive, send)
            return
        record = Recorder()

        async def holding(message: Message) -> None:
            if message["type"] == "http.response.start":
                record.status = message["status"]
            record.held.append(message)
            if message["type"] == "http.response.body":
                record.answer += message.get("body", b"")
                if not message.get("more_body", False):
                    await self.write(scope, record)
                    for held in record.held:
                        await send(held)

        try:
            await self.app(scope, record.wrap_receive(receive), holding)
        except Exception:
            record.status = 500  # the outcome is unknown to the operator too: recorded as a failure
            await self.write(scope, record)
            raise

    async def write(self, scope: Scope, record: Recorder) -> None:
        if record.status < 400 and request_context(scope).recorded:
            return  # the service that made the change recorded it, before it answered (fail closed)
        entry = entry_of(scope, record, self.clock())
        if entry is None:
            return  # no operator was authenticated: refused before it could act
        try:
            await append(connection(self.broker).jetstream(), entry)
        except Exception:
            self.failures.inc()
            log.exception("an operator action could not be written to the audit trail", extra={"action": entry.action})


def entry_of(scope: Scope, record: Recorder, at: datetime) -> AuditEntry | None:
    context = request_context(scope)
    operator = context.operator
    if operator is None:
        return None
    route = scope.get("route")
    target = {k: str(v) for k, v in scope.get("path_params", {}).items()}
    answer = as_json(bytes(record.answer))  # `after`, unless the route kept a secret of its answer out
    ok = record.status < 400
    return AuditEntry(
        id=new_id(),
        at=at,
        operator=operator.name,
        role=operator.role,
        request_id=context.request_id,
        action=getattr(getattr(route, "endpoint", None), "__name__", "unknown"),
        route=f"{scope['method']} {getattr(route, 'path', scope['path'])}",
        contest=token(target.get("contest")) or contest_of(target, answer if ok else None),
        target=target,
        status=record.status,
        error_code=None if ok else error_code(answer),
        change={"bytes": len(record.received)} if scope["path"] in UNKEPT_BODIES else as_json(bytes(record.received)),
        before=context.audit_before,
        after=(answer if context.audit_after is None else context.audit_after) if ok else None,
    )


def token(value: str | None) -> str | None:
    """A path's contest id if it is one (a refused request may name anything; the entry keeps it in target)."""
    return value if value is not None and re.match(TOKEN_PATTERN, value) else None


def contest_of(target: dict[str, str], answer: dict[str, Any] | None) -> str | None:
    """The contest of an action whose path names none: a created contest, or a practice's contest."""
    if answer is None:
        return None
    found = answer.get("contest") if "contest" in answer else answer.get("id") if "phase" in answer else None
    return found if isinstance(found, str) else None


def error_code(answer: dict[str, Any] | None) -> str | None:
    error = (answer or {}).get("error")
    code = error.get("code") if isinstance(error, dict) else (answer or {}).get("code")
    return code if isinstance(code, str) else None


async def record_export(scope: Scope, broker: NatsBroker, summary: dict[str, Any], at: datetime) -> None:
    """A download of results data is an operator action too (reads are not otherwise recorded): appended before
    its first byte is sent, and if the trail cannot take it the download is refused."""
    record = Recorder()
    record.status, record.answer = 200, bytearray(json.dumps(summary).encode())
    entry = entry_of(scope, record, at)
    if entry is not None:
        await append(connection(broker).jetstream(), entry)
