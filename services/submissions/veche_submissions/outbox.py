"""Publishes the events waiting in document outboxes to stream CATALOG, in order, at least once (the adapter of
ports.CatalogEvents on JetStream)."""

import asyncio
from collections.abc import Callable
from datetime import datetime

from nats.js import JetStreamContext

from veche_shared import subjects
from veche_shared.contracts.catalog import Municipality
from veche_shared.periodic import Periodic
from veche_submissions.batches import BatchWriter, publish
from veche_submissions.documents import COLLECTION, CatalogEntity, Doc, stored_fields
from veche_submissions.repository import CatalogRepository


class OutboxRelay:
    def __init__(
        self, repo: CatalogRepository, js: JetStreamContext, interval: float, clock: Callable[[], datetime]
    ) -> None:
        self._repo = repo
        self.batches = BatchWriter(repo.client, repo.database, js, clock)
        self._js = js
        self._periodic = Periodic("outbox-relay", interval, self.sweep, first_wait=True)
        self._locks: dict[tuple[type[CatalogEntity], str], asyncio.Lock] = {}

    async def flush(self, model: type[CatalogEntity], key: str) -> None:
        """Publish every pending event of one document, oldest first."""
        lock = self._locks.setdefault((model, key), asyncio.Lock())
        async with lock:
            for event in await self._repo.outbox(model, key):
                await publish(self._js, event)
                await self._repo.drop_published(model, key, event["event_id"])
        if not lock.locked():
            self._locks.pop((model, key), None)

    async def insert_batch(self, registered: list[tuple[Municipality, Doc]]) -> bool:
        """New municipalities and their events through one journal (batches.py): all or nothing."""
        documents = [(m.id, stored_fields(m), event) for m, event in registered]
        return await self.batches.insert(COLLECTION[Municipality], documents)

    async def stream_position(self) -> int:
        """The last sequence in stream CATALOG."""
        info = await self._js.stream_info(subjects.CATALOG_STREAM)
        return int(info.state.last_seq)

    async def sweep(self) -> int:
        """Publish everything pending (after a crash, or a failed publish); returns documents flushed."""
        pending = [item async for item in self._repo.pending_outboxes()]
        for model, key in pending:
            await self.flush(model, key)
        return len(pending) + await self.batches.sweep()

    def start(self) -> None:
        self._periodic.start()

    async def stop(self) -> None:
        await self._periodic.stop()
