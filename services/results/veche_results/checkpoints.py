"""Signed checkpoints of every log this process writes, every few seconds while its ballots arrive, kept as history."""

import base64
import contextlib
import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from pymongo import ASCENDING, DESCENDING, AsyncMongoClient
from pymongo.errors import DuplicateKeyError

from veche_results.tlog_store import Head, Key, LogStore
from veche_shared.contracts.tlog import FinalCheckpoint, SignedCheckpoint
from veche_shared.tlog.keys import log_origin
from veche_shared.tlog.note import Checkpoint, Signer, sign_note, split_note

log = logging.getLogger("veche.results.checkpoints")
Doc = dict[str, Any]


class LogMismatch(Exception):
    """A log that does not hold what the ledger says it should: the contest is not certified."""


class CheckpointHistory:
    """Every signed checkpoint of every log, by (contest, nomination, size); never overwritten."""

    def __init__(self, client: AsyncMongoClient[Doc], database: str) -> None:
        self.collection = client[database].log_checkpoints

    async def ensure_indexes(self) -> None:
        keys = [("contest", ASCENDING), ("nomination", ASCENDING), ("size", DESCENDING)]
        await self.collection.create_index(keys, name="by_size")
        by_seq = [("contest", ASCENDING), ("nomination", ASCENDING), ("last_seq", ASCENDING)]
        await self.collection.create_index(by_seq, name="by_last_seq")

    async def add(self, key: Key, head: Head, note: str, signed_at: datetime) -> None:
        """Keep a signed checkpoint of `head`, with the last ledger sequence it holds (to find a ballot's entry)."""
        doc = {"contest": key[0], "nomination": key[1], "size": head.size, "last_seq": head.last_seq}
        doc |= {"note": note, "signed_at": signed_at, "cosignatures": []}
        with contextlib.suppress(DuplicateKeyError):  # signed before a restart: the same tree, Ed25519 the same note
            await self.collection.insert_one({"_id": f"{key[0]}:{key[1]}:{head.size}", **doc})

    async def around(self, key: Key, seq: int) -> tuple[int, int | None]:
        """The entries that ledger sequence `seq` may be among: from the size of the last checkpoint signed before
        the log reached it to the size of the first that holds it (None: no signed checkpoint holds it yet)."""
        log = {"contest": key[0], "nomination": key[1]}
        before = self.collection.find(log | {"last_seq": {"$lt": seq}}).sort("last_seq", DESCENDING).limit(1)
        after = self.collection.find(log | {"last_seq": {"$gte": seq}}).sort("last_seq", ASCENDING).limit(1)
        below, above = await before.to_list(), await after.to_list()
        return (below[0]["size"] if below else 0), (above[0]["size"] if above else None)

    async def latest(self, key: Key) -> SignedCheckpoint | None:
        query = {"contest": key[0], "nomination": key[1]}
        docs = await self.collection.find(query).sort("size", DESCENDING).limit(1).to_list()
        return _checkpoint(docs[0]) if docs else None

    async def at(self, key: Key, size: int) -> SignedCheckpoint | None:
        doc = await self.collection.find_one({"_id": f"{key[0]}:{key[1]}:{size}"})
        return _checkpoint(doc) if doc else None

    async def thin(self, key: Key, before: datetime) -> int:
        """Of the checkpoints signed before `before`, keep the last of each minute and every cosigned one; the
        others go (docs/adr/0018-checkpoint-history-thinning.md). Answers how many went."""
        query = {"contest": key[0], "nomination": key[1], "signed_at": {"$lt": before}}
        fields = {"size": 1, "signed_at": 1, "cosignatures": 1}
        last_of_minute: dict[datetime, Doc] = {}
        doomed = []
        for doc in await self.collection.find(query, fields).sort("size", ASCENDING).to_list():
            minute = doc["signed_at"].replace(second=0, microsecond=0)
            earlier = last_of_minute.get(minute)
            last_of_minute[minute] = doc
            if earlier is not None and not earlier.get("cosignatures"):
                doomed.append(earlier["_id"])
        for start in range(0, len(doomed), 1_000):
            await self.collection.delete_many({"_id": {"$in": doomed[start : start + 1_000]}})
        return len(doomed)

    async def add_cosignature(self, key: Key, size: int, line: str) -> None:
        await self.collection.update_one({"_id": f"{key[0]}:{key[1]}:{size}"}, {"$addToSet": {"cosignatures": line}})


def _checkpoint(doc: Doc) -> SignedCheckpoint:
    return SignedCheckpoint(
        contest=doc["contest"],
        nomination=doc["nomination"],
        size=doc["size"],
        note=doc["note"] + "".join(doc.get("cosignatures", [])),
        signed_at=doc["signed_at"],
    )


class Checkpointer:
    """Signs each log's newest head when it grew since the last signature."""

    def __init__(
        self, logs: LogStore, history: CheckpointHistory, signer: Signer, platform: str, clock: Callable[[], datetime]
    ) -> None:
        self._logs = logs
        self._clock = clock
        self.history = history
        self._signer = signer
        self._platform = platform
        self._signed: dict[Key, int] = {}

    def note(self, key: Key, head: Head) -> str:
        return sign_note(Checkpoint(log_origin(self._platform, *key), head.size, head.root).text, self._signer)

    async def sign_due(self) -> int:
        """Sign every log whose head moved; answers how many were signed."""
        signed = 0
        for key, head in list(self._logs.committed.items()):
            if key not in self._signed:
                latest = await self.history.latest(key)
                self._signed[key] = latest.size if latest else -1
            if head.size > self._signed[key]:
                await self.history.add(key, head, self.note(key, head), self._clock())
                self._signed[key] = head.size
                signed += 1
        return signed

    async def thin_all(self, keep: timedelta) -> int:
        """Thin the history of every log this process writes (one writer per log) beyond `keep` of age."""
        thinned = 0
        for key in list(self._logs.committed):
            thinned += await self.history.thin(key, self._clock() - keep)
        if thinned:
            log.info("thinned %d signed checkpoints older than %s", thinned, keep)
        return thinned

    async def final(self, contest: str, sizes: dict[str, int]) -> dict[str, FinalCheckpoint]:
        """The signed checkpoint of each nomination's whole log, which must hold `sizes[nomination]` entries."""
        finals = {}
        for nomination, size in sorted(sizes.items()):
            signed = await self.sign_now((contest, nomination))
            if signed.size != size:
                raise LogMismatch(f"the log of {contest}/{nomination} has {signed.size} entries, the ledger {size}")
            checkpoint = Checkpoint.parse(split_note(signed.note)[0])
            root = base64.b64encode(checkpoint.root).decode()
            finals[nomination] = FinalCheckpoint(size=signed.size, root=root, checkpoint=signed.note)
        return finals

    async def sign_now(self, key: Key) -> SignedCheckpoint:
        """A checkpoint of the log as MongoDB has it now (the certificate's final one), signed if it is new."""
        head = await self._logs.head(key, fresh=True)
        if (done := await self.history.at(key, head.size)) is not None:
            return done
        await self.history.add(key, head, self.note(key, head), self._clock())
        self._signed[key] = max(self._signed.get(key, -1), head.size)
        found = await self.history.at(key, head.size)
        assert found is not None
        return found
