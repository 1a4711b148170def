"""The outbox of a bulk write: one journal document holds the events of a whole batch.

A per-document outbox costs one update per document to clear, and FerretDB's updates grow with the
collection (about 100 ms each at 10,000 municipalities). A batch therefore writes: the journal (state
`writing`, with every event), the documents with empty outboxes, the journal's state `written`; it then
publishes the events and deletes the journal. A restarted service publishes `written` journals; a journal
left `writing` longer than STALE (a crash mid-batch) publishes only the events of documents that exist.

The journal keeps its events as one JSON text, not as an array of documents: FerretDB encodes every nested
field with its type, so writing, marking and deleting a journal of 2,500 event documents took seconds,
and a text costs about what its bytes do.
"""

import asyncio
import json
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from nats.js import JetStreamContext
from pymongo import AsyncMongoClient
from pymongo.errors import BulkWriteError, DuplicateKeyError

from veche_shared.bus import publish_once
from veche_shared.contracts.common import new_id
from veche_shared.rpc import REQUEST_ID_HEADER

Doc = dict[str, Any]
JOURNAL = "_batches"
STALE = timedelta(minutes=5)


def _message(event: Doc) -> tuple[str, bytes, dict[str, str]]:
    """Subject, payload and headers of an outbox entry: the request id that caused it, and its event id, of
    which JetStream drops a repeat."""
    headers = {"Nats-Msg-Id": event["event_id"], REQUEST_ID_HEADER: event.get("request_id", "-")}
    return event["subject"], json.dumps(event["body"]).encode(), headers


async def publish(js: JetStreamContext, event: Doc) -> None:
    """Publish one outbox entry and wait for the stream's acknowledgement (the writer's flush and the relay may
    send the same entry at once: `publish_once`)."""
    subject, payload, headers = _message(event)
    await publish_once(js, subject, payload, headers)


def journal(batch_id: str, collection: str, events: list[Doc], at: datetime, state: str = "writing") -> Doc:
    """The journal document of a batch: its events (each with the key of its document) as one JSON text."""
    return {
        "_id": batch_id, "collection": collection, "state": state, "created_at": at,
        "events_json": json.dumps(events, separators=(",", ":")),
    }  # fmt: skip


def events_of(batch: Doc) -> list[Doc]:
    """The events of a journal; one left by an earlier version holds them as an array of documents."""
    return json.loads(batch["events_json"]) if "events_json" in batch else list(batch["events"])


class BatchWriter:
    def __init__(
        self, client: AsyncMongoClient[Doc], database: str, js: JetStreamContext, clock: Callable[[], datetime]
    ) -> None:
        self._db = client[database]
        self._js = js
        self._clock = clock

    async def insert(self, collection: str, documents: list[tuple[str, Doc, Doc]]) -> bool:
        """Insert new documents (key, fields, event) and publish their events, in batch round trips; all or
        nothing: False, with nothing written, if a unique index refuses any of them."""
        batch = journal(new_id(), collection, [event | {"key": key} for key, _, event in documents], self._clock())
        await self._db[JOURNAL].insert_one(batch)
        docs = [{"_id": key, **fields, "_outbox": [], "_batch": batch["_id"]} for key, fields, _ in documents]
        try:
            await self._db[collection].insert_many(docs, ordered=False)
        except (DuplicateKeyError, BulkWriteError):
            await self._roll_back(batch)
            return False
        await self._db[JOURNAL].update_one({"_id": batch["_id"]}, {"$set": {"state": "written"}})
        await self._publish(events_of(batch))
        await self._db[JOURNAL].delete_one({"_id": batch["_id"]})
        return True

    async def _roll_back(self, batch: Doc) -> None:
        """Remove what a refused batch did write, before any of its events went out. A crash meanwhile leaves
        the journal `writing`, and its recovery publishes the events of whatever documents remain."""
        await self._db[batch["collection"]].delete_many({"_batch": batch["_id"]})
        await self._db[JOURNAL].delete_one({"_id": batch["_id"]})

    async def sweep(self) -> int:
        """Publish what crashed batches left behind; returns the journals drained."""
        query = {"$or": [{"state": "written"}, {"created_at": {"$lt": self._clock() - STALE}}]}
        drained = 0
        async for batch in self._db[JOURNAL].find(query):
            if batch["state"] == "written":
                await self._publish(events_of(batch))
                await self._db[JOURNAL].delete_one({"_id": batch["_id"]})
            else:
                await self._recover(batch)
            drained += 1
        return drained

    async def _recover(self, batch: Doc) -> None:
        """Publish the events of the documents this batch did write (they carry its id), then forget it."""
        events = events_of(batch)
        query = {"_id": {"$in": [e["key"] for e in events]}, "_batch": batch["_id"]}
        written = {d["_id"] async for d in self._db[batch["collection"]].find(query, {"_id": 1})}
        await self._publish([e for e in events if e["key"] in written])
        await self._db[JOURNAL].delete_one({"_id": batch["_id"]})

    async def _publish(self, events: list[Doc]) -> None:
        """Pipelined: every event is sent before the acknowledgements are awaited (nats-py bounds the window)."""
        acks = []
        for event in events:
            subject, payload, headers = _message(event)
            acks.append(await self._js.publish_async(subject, payload, headers=headers))
        await asyncio.gather(*acks)
