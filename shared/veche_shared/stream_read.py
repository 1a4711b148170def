"""Reads of a stream's stored messages by batched direct get, without a consumer.

A runtime identity may not create consumers (a consumer with a deliver subject would make the server publish the
stream's messages anywhere, without the creator's publish permission: docs/adr/0014-provisioned-bus.md), so reads of a
stream that are not a provisioned durable's go through `$JS.API.DIRECT.GET.<stream>` with `next_by_subj` and
`batch` (nats-server 2.11+): a plain request, answered by the stored messages and an end-of-batch status.
"""

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import nats.errors
from nats.aio.client import Client
from nats.js import JetStreamContext

BATCH = 1_000
END_OF_BATCH = "204"
NOTHING = "404"


@dataclass(frozen=True, slots=True)
class Stored:
    """One stored message: its subject, stream sequence, payload, how many more match the filter after it, and its
    headers (the message's own and the server's: Nats-Time-Stamp is when it was stored)."""

    subject: str
    seq: int
    data: bytes
    pending: int
    headers: dict[str, str] = field(default_factory=dict)


async def batch(nc: Client, stream: str, filter_subject: str, start: int, size: int, timeout: float) -> list[Stored]:
    """Up to `size` messages on the filter from sequence `start` on, oldest first ([] when there are none)."""
    inbox = nc.new_inbox()
    sub = await nc.subscribe(inbox)
    found: list[Stored] = []
    try:
        request = {"seq": max(start, 1), "next_by_subj": filter_subject, "batch": size}
        await nc.publish(f"$JS.API.DIRECT.GET.{stream}", json.dumps(request).encode(), reply=inbox)
        while True:
            msg = await sub.next_msg(timeout)
            headers = msg.headers or {}
            status = headers.get("Status")
            if status in (END_OF_BATCH, NOTHING):
                return found
            if status is not None:
                raise nats.errors.Error(f"direct get on {stream} answered {status} {headers.get('Description', '')}")
            pending = int(headers.get("Nats-Num-Pending", "0"))
            found.append(Stored(headers["Nats-Subject"], int(headers["Nats-Sequence"]), msg.data, pending, headers))
            if len(found) == size:
                return found  # the end-of-batch status follows; nothing waits for it
    finally:
        await sub.unsubscribe()


async def batches(
    nc: Client, stream: str, filter_subject: str, *, after: int = 0, size: int = BATCH, timeout: float = 10.0
) -> AsyncIterator[list[Stored]]:
    """Every message on the filter after sequence `after`, in batches, up to the last one stored when a batch
    said none was pending."""
    start = after + 1
    while True:
        found = await batch(nc, stream, filter_subject, start, size, timeout)
        if not found:
            return
        yield found
        if found[-1].pending == 0:
            return
        start = found[-1].seq + 1


def connection_of(js: JetStreamContext) -> Client:
    """The connection a JetStream context sends its requests on."""
    nc: Client = js._nc  # nats-py keeps it there and offers no accessor
    return nc
