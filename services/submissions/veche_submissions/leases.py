"""One writer per catalog document across replicas: a lease in a NATS KV bucket.

KeyedLocks serialise the writes of one process, but on FerretDB a filtered update is read, then write, so two
replicas could both pass the same version check. Before writing a document a replica creates the document's
key in the lease bucket; JetStream accepts only the first create (a publish that expects the key's subject to
be empty), so one replica at a time writes a document, and it deletes the key (its own revision only) after.
A replica that dies holding a lease blocks that document for at most the bucket's TTL.
"""

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

import nats.errors
from nats.js import JetStreamContext
from nats.js.errors import BucketNotFoundError, KeyWrongLastSequenceError
from nats.js.errors import Error as JetStreamError
from nats.js.kv import KeyValue

from veche_shared import subjects
from veche_shared.bus import NotProvisioned
from veche_shared.contracts.common import new_id
from veche_shared.errors import Unavailable
from veche_submissions.settings import SubmissionsSettings

log = logging.getLogger("veche.submissions.leases")


def writer_busy() -> Unavailable:
    return Unavailable("writer_busy", "another replica is still writing this record; try again")


class WriterLeases:
    def __init__(self, kv: KeyValue, owner: str, wait: float) -> None:
        self._kv = kv
        self._owner = owner.encode()
        self._wait = wait

    @contextlib.asynccontextmanager
    async def hold(self, name: str) -> AsyncIterator[None]:
        """Hold the lease of name (e.g. practices.p1) for the body; 503 writer_busy after `wait` seconds."""
        revision = await self._acquire(name)
        try:
            yield
        finally:
            try:
                await self._kv.delete(name, last=revision)
            except (JetStreamError, nats.errors.Error):  # expired and taken over, or the bus is away: the TTL frees it
                log.warning("could not release the writer lease of %s", name)

    async def _acquire(self, name: str) -> int:
        loop = asyncio.get_running_loop()
        deadline, delay = loop.time() + self._wait, 0.005
        while True:
            try:
                return await self._kv.create(name, self._owner)
            except KeyWrongLastSequenceError:
                if loop.time() > deadline:
                    raise writer_busy() from None
                await asyncio.sleep(delay)
                delay = min(delay * 2, 0.1)


async def writer_leases(js: JetStreamContext, settings: SubmissionsSettings) -> WriterLeases:
    """The lease bucket `veche provision` made and this replica's leases on it."""
    try:
        kv = await js.key_value(subjects.WRITER_LEASES_BUCKET)
    except BucketNotFoundError:
        raise NotProvisioned(f"bucket {subjects.WRITER_LEASES_BUCKET} does not exist: run `veche provision`") from None
    return WriterLeases(kv, owner=new_id(), wait=settings.writer_wait_seconds)
