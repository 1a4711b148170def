"""Vote tallies in MongoDB: one document per practice, guarded by the last ledger sequence applied."""

import asyncio
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pymongo import ASCENDING, AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

Doc = dict[str, Any]


@dataclass(frozen=True)
class Counted:
    """One ledger message's effect on one tally."""

    seq: int
    contest: str
    nomination: str
    practice: str
    delta: int
    at: datetime | None  # cast time of a ballot; None for an annulment


def tally_key(contest: str, nomination: str, practice: str) -> str:
    return f"{contest}:{nomination}:{practice}"


class TallyRepository:
    def __init__(self, client: AsyncMongoClient[Doc], database: str) -> None:
        self.client = client
        self._db: AsyncDatabase[Doc] = client[database]
        self._applied: dict[str, int] = {}  # tally key -> last_seq; this process is the only writer

    async def ensure_indexes(self) -> None:
        await self._db.tallies.create_index([("contest", ASCENDING), ("nomination", ASCENDING)], name="by_nomination")

    async def apply(self, counted: list[Counted]) -> None:
        """Apply messages in stream order; a message already applied to its tally is skipped."""
        by_key: dict[str, list[Counted]] = {}
        for item in counted:
            by_key.setdefault(tally_key(item.contest, item.nomination, item.practice), []).append(item)
        await self._load_applied([k for k in by_key if k not in self._applied])
        while by_key:
            stale = await self._write(by_key)
            for key in stale:
                del self._applied[key]
            await self._load_applied(stale)
            by_key = {k: by_key[k] for k in stale}

    async def _load_applied(self, keys: list[str]) -> None:
        if keys:
            async for doc in self._db.tallies.find({"_id": {"$in": keys}}, {"last_seq": 1}):
                self._applied[doc["_id"]] = doc["last_seq"]
            for key in keys:
                self._applied.setdefault(key, 0)

    async def _write(self, by_key: dict[str, list[Counted]]) -> list[str]:
        """Concurrent guarded upserts; returns the keys whose guard failed (the stored tally was newer).

        One update per tally rather than a bulk write: FerretDB answers a bulk write that has a
        duplicate-key error without nModified, which PyMongo cannot parse.
        """
        writes = {
            key: fresh for key, items in by_key.items() if (fresh := [i for i in items if i.seq > self._applied[key]])
        }
        outcomes = await asyncio.gather(*(self._write_one(key, fresh) for key, fresh in writes.items()))
        return [key for key, ok in zip(writes, outcomes, strict=True) if not ok]

    async def _write_one(self, key: str, fresh: list[Counted]) -> bool:
        last = fresh[-1]
        update: Doc = {
            "$inc": {"votes": sum(i.delta for i in fresh)},
            "$set": {
                "last_seq": last.seq,
                "contest": last.contest,
                "nomination": last.nomination,
                "practice": last.practice,
            },
        }
        if cast_times := [i.at for i in fresh if i.at is not None]:
            update["$max"] = {"last_vote_at": max(cast_times)}
        try:
            await self._db.tallies.update_one({"_id": key, "last_seq": {"$lt": fresh[0].seq}}, update, upsert=True)
        except DuplicateKeyError:
            return False
        self._applied[key] = last.seq
        return True

    async def tallies(self, contest: str, nomination: str) -> list[Doc]:
        return [d async for d in self._db.tallies.find({"contest": contest, "nomination": nomination})]

    async def contest_counts(self, contest: str) -> dict[tuple[str, str], int]:
        """(nomination, practice) -> votes for a whole contest."""
        cursor = self._db.tallies.find({"contest": contest}, {"nomination": 1, "practice": 1, "votes": 1})
        return {(d["nomination"], d["practice"]): d["votes"] async for d in cursor}
