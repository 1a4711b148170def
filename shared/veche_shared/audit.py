"""Stream AUDIT: append an operator action, read entries back with filters and a cursor.

Written by the gateway (operator routes) and the operator CLIs; read by the gateway's GET /api/v1/admin/audit.
"""

import getpass
from typing import Any

from nats.js import JetStreamContext
from nats.js.errors import NotFoundError

from veche_shared import subjects
from veche_shared.contracts.audit import PLATFORM_SCOPE, AuditEntry, AuditPage, AuditQuery
from veche_shared.contracts.common import new_id, utcnow

SCAN_LIMIT = 5_000  # entries examined for one page; the page's cursor continues after them


async def append(js: JetStreamContext, entry: AuditEntry) -> int:
    """Append entry durably (acknowledged by JetStream); returns its sequence. A retry is deduplicated by id."""
    subject = subjects.audit(entry.contest or PLATFORM_SCOPE)
    ack = await js.publish(subject, entry.model_dump_json().encode(), headers={"Nats-Msg-Id": entry.id})
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
