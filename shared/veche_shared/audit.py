"""Stream AUDIT: append an operator action, read entries back with filters and a cursor.

Written by the service that makes a change (`ServiceTrail`, before the change, fail closed), by the gateway
(refused operator requests, and operator actions no service records) and the operator CLIs; read by the gateway's
GET /api/v1/admin/audit.
"""

import getpass
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any

import nats.errors
from nats.js import JetStreamContext
from nats.js.errors import NotFoundError

from veche_shared import subjects
from veche_shared.bus import publish_once
from veche_shared.contracts.audit import PLATFORM_SCOPE, AuditEntry, AuditPage, AuditQuery
from veche_shared.contracts.common import new_id, utcnow
from veche_shared.errors import DomainError, Unavailable
from veche_shared.logs import request_id_var
from veche_shared.rpc.actors import actor_var, recorded_var

log = logging.getLogger("veche.audit")

SCAN_LIMIT = 5_000  # entries examined for one page; the page's cursor continues after them


async def append(js: JetStreamContext, entry: AuditEntry) -> int:
    """Append entry durably (acknowledged by JetStream); returns its sequence. A retry is deduplicated by id."""
    subject = subjects.audit(entry.contest or PLATFORM_SCOPE)
    ack = await publish_once(js, subject, entry.model_dump_json().encode(), {"Nats-Msg-Id": entry.id})
    return int(ack.seq)


def cli_entry(
    action: str, *, contest: str | None = None, ok: bool = True, change: dict[str, Any] | None = None, **after: Any
) -> AuditEntry:
    """The entry of an operator command run on the bus: the operator is the account that ran it."""
    try:
        operator = getpass.getuser()
    except (OSError, KeyError):
        operator = "unknown"
    return AuditEntry(
        id=new_id(), at=utcnow(), operator=operator, role="operator-cli", via="cli", request_id=new_id(),
        action=action, contest=contest, target={"contest": contest} if contest else {}, status=200 if ok else 500,
        change=change, after=after or None,
    )  # fmt: skip


def matches(entry: AuditEntry, query: AuditQuery) -> bool:
    return (
        (query.operator is None or entry.operator == query.operator)
        and (query.action is None or entry.action == query.action)
        and (query.since is None or entry.at >= query.since)
        and (query.until is None or entry.at < query.until)
    )


async def read(js: JetStreamContext, query: AuditQuery) -> AuditPage:
    """A page of entries, oldest first, from query.cursor on; the subject filters by contest, the rest here."""
    subject = subjects.audit(query.contest) if query.contest else subjects.AUDIT_ALL
    seq, entries = query.cursor or 1, list[AuditEntry]()
    for _ in range(SCAN_LIMIT):
        try:
            msg = await js.get_msg(subjects.AUDIT_STREAM, seq, subject=subject, next=True)
        except NotFoundError:
            return AuditPage(entries=entries, next_cursor=seq, more=False)
        seq = int(msg.seq or seq) + 1
        entry = AuditEntry.model_validate_json(msg.data or b"{}")
        if matches(entry, query):
            entries.append(entry)
            if len(entries) == query.limit:
                break
    return AuditPage(entries=entries, next_cursor=seq, more=True)


Sink = Callable[[AuditEntry], Awaitable[object]]


def on_stream(js: JetStreamContext) -> Sink:
    """Appending to stream AUDIT."""

    async def sink(entry: AuditEntry) -> int:
        return await append(js, entry)

    return sink


class AuditUnavailable(Unavailable):
    def __init__(self) -> None:
        super().__init__(
            "audit_unavailable", "the audit trail cannot take the record of this change: nothing was changed"
        )


class ServiceTrail:
    """The audit trail as the service that makes a change writes it: the entry first, then the change.

    `record` appends the entry of a change the service is about to make and raises AuditUnavailable (503) when
    the trail does not take it, so no change is made without its record. If the change then fails after all,
    `not_made` appends a second entry with the same request id and the refusal's status (best effort).
    """

    def __init__(self, sink: Sink, service: str, clock: Callable[[], datetime] = utcnow) -> None:
        self.sink = sink  # `on_stream(js)`, or an in-memory list's append in use-case tests
        self.service = service
        self.clock = clock

    async def record(
        self, action: str, *, contest: str | None, target: dict[str, str], change: dict[str, Any] | None = None,
        before: dict[str, Any] | None = None, after: dict[str, Any] | None = None, operator: str | None = None,
    ) -> AuditEntry:  # fmt: skip
        """Append the entry of a change about to be made by the actor of this request; AuditUnavailable if not."""
        actor = actor_var.get()
        entry = AuditEntry(
            id=new_id(), at=self.clock(), operator=operator or (actor.name if actor else "unknown"),
            role=actor.role if actor else "unknown", via=actor.via if actor else "bus",
            actor_kind=actor.kind if actor else "unknown", recorded_by=self.service, request_id=request_id_var.get(),
            action=(actor.action if actor and actor.action else action), route=actor.route if actor else "",
            contest=contest, target=target, status=200, change=change, before=before, after=after,
        )  # fmt: skip
        try:
            await self.sink(entry)
        except (nats.errors.Error, TimeoutError) as exc:
            log.error("no audit entry for %s (%s): the change is refused", action, type(exc).__name__)
            raise AuditUnavailable() from None
        recorded_var.set(entry.id)
        return entry

    @asynccontextmanager
    async def change(self, action: str, **fields: Any) -> AsyncIterator[AuditEntry]:
        """Record the change (`record`), then make it in the body; a body that fails is `not_made`."""
        entry = await self.record(action, **fields)
        try:
            yield entry
        except BaseException as exc:
            await self.not_made(entry, exc)
            raise

    async def not_made(self, entry: AuditEntry, error: BaseException) -> None:
        """Say in the trail that the change of entry was not made after all (its write failed)."""
        refused = error if isinstance(error, DomainError) else None
        update = {"id": new_id(), "at": self.clock(), "after": None, "status": refused.status if refused else 500}
        update["error_code"] = refused.code if refused else "internal_error"
        recorded_var.set(None)
        try:
            await self.sink(entry.model_copy(update=update))
        except (nats.errors.Error, TimeoutError):
            log.exception("the trail says %s was made, but it was not", entry.id)
