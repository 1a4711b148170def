"""The outbox of a bulk write: one journal document holds the events of a whole batch.

A per-document outbox costs one update per document to clear, and FerretDB's updates grow with the
collection (about 100 ms each at 10,000 municipalities). A batch therefore writes: the journal (state
`writing`, with every event), the documents with empty outboxes, the journal's state `written`; it then
publishes the events and deletes the journal. A restarted service publishes `written` journals; a journal
left `writing` longer than STALE (a crash mid-batch) publishes only the events of documents that exist.
"""

import asyncio
import json
from datetime import timedelta
from typing import Any

from nats.js import JetStreamContext
from pymongo import AsyncMongoClient
from pymongo.errors import BulkWriteError, DuplicateKeyError

from veche_shared.contracts.common import new_id, utcnow
from veche_shared.errors import AlreadyExists
from veche_shared.rpc import REQUEST_ID_HEADER

Doc = dict[str, Any]
JOURNAL = "_batches"
STALE = timedelta(minutes=5)
PUBLISH_CONCURRENCY = 64


async def publish(js: JetStreamContext, event: Doc) -> None:
    """Publish one outbox entry with the request id that caused it; JetStream drops a repeat of its event id."""
    headers = {"Nats-Msg-Id": event["event_id"], REQUEST_ID_HEADER: event.get("request_id", "-")}
    await js.publish(event["subject"], json.dumps(event["body"]).encode(), headers=headers)


class BatchWriter:
    def __init__(self, client: AsyncMongoClient[Doc], database: str, js: JetStreamContext) -> None:
        self._db = client[database]
        self._js = js

    async def insert(self, collection: str, documents: list[tuple[str, Doc, Doc]]) -> None:
        """Insert new documents (key, fields, event) and publish their events, in batch round trips."""
        batch: Doc = {"_id": new_id(), "collection": collection, "state": "writing", "created_at": utcnow()}
        batch["events"] = [event | {"key": key} for key, _, event in documents]
        await self._db[JOURNAL].insert_one(batch)
        docs = [{"_id": key, **fields, "_outbox": [], "_batch": batch["_id"]} for key, fields, _ in documents]
        try:
            await self._db[collection].insert_many(docs)
        except (DuplicateKeyError, BulkWriteError):
            await self._recover(batch)
            raise AlreadyExists("some rows were registered meanwhile; run the import again") from None
        await self._db[JOURNAL].update_one({"_id": batch["_id"]}, {"$set": {"state": "written"}})
        await self._publish(batch["events"])
        await self._db[JOURNAL].delete_one({"_id": batch["_id"]})

    async def sweep(self) -> int:
        """Publish what crashed batches left behind; returns the journals drained."""
        query = {"$or": [{"state": "written"}, {"created_at": {"$lt": utcnow() - STALE}}]}
        drained = 0
        async for batch in self._db[JOURNAL].find(query):
            if batch["state"] == "written":
                await self._publish(batch["events"])
                await self._db[JOURNAL].delete_one({"_id": batch["_id"]})
            else:
                await self._recover(batch)
            drained += 1
        return drained

    async def _recover(self, batch: Doc) -> None:
        """Publish the events of the documents this batch did write (they carry its id), then forget it."""
        keys = [e["key"] for e in batch["events"]]
        query = {"_id": {"$in": keys}, "_batch": batch["_id"]}
        written = {d["_id"] async for d in self._db[batch["collection"]].find(query, {"_id": 1})}
        await self._publish([e for e in batch["events"] if e["key"] in written])
        await self._db[JOURNAL].delete_one({"_id": batch["_id"]})

    async def _publish(self, events: list[Doc]) -> None:
        gate = asyncio.Semaphore(PUBLISH_CONCURRENCY)

        async def one(event: Doc) -> None:
            async with gate:
                await publish(self._js, event)

        await asyncio.gather(*(one(event) for event in events))
