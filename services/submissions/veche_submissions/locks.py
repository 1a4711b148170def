"""One writer per document inside this process.

FerretDB (SQLite) runs a filtered update as read, then write, without holding a lock in between, so two
concurrent `update_one({"_id": k, "version": 1}, ...)` can both match (measured: an approval and a rejection
of the same practice both succeeded). MongoDB applies such an update atomically. Serialising the writes to a
document inside the process keeps the version check and the outbox intact on both; across replicas the
check is as strong as the database's single-document update.
"""

import asyncio
from collections.abc import AsyncIterator, Hashable
from contextlib import asynccontextmanager


class KeyedLocks:
    def __init__(self) -> None:
        self._locks: dict[Hashable, tuple[asyncio.Lock, int]] = {}

    @asynccontextmanager
    async def hold(self, key: Hashable) -> AsyncIterator[None]:
        """Wait for and hold the lock of key; the lock is forgotten when nobody holds or waits for it."""
        lock, users = self._locks.get(key, (asyncio.Lock(), 0))
        self._locks[key] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._locks[key]
            if users == 1:
                del self._locks[key]
            else:
                self._locks[key] = (lock, users - 1)
