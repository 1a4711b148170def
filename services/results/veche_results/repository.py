"""Counters in MongoDB, each guarded by the last ledger sequence applied to it.

A counter document is updated only if its `last_seq` is below the first new message's sequence, so a
batch redelivered after a crash changes nothing twice — no transactions needed (FerretDB has none).
Three kinds: a tally per practice (its votes: the ballots approving it), a per-minute bucket per practice for
charts and trends, and the count of ballots per nomination (an approval ballot adds one to each practice it
approves and one to its nomination's ballots; shares are votes / ballots).
"""

import asyncio
import functools
from collections.abc import Callable
from datetime import datetime
from typing import Any

from pymongo import ASCENDING, AsyncMongoClient
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError

from veche_results.ports import BALLOTS, Counted, MinuteVotes, Tally

Doc = dict[str, Any]


class GuardedCounters:
    """Counter documents of one collection; this process is their only writer."""

    def __init__(
        self, collection: AsyncCollection[Doc], key: Callable[[Counted], str], fields: Callable[[Counted], Doc]
    ) -> None:
        self.collection = collection
        self._key = key
        self._fields = fields
        self._applied: dict[str, int] = {}  # key -> last_seq, a cache of what MongoDB holds

    async def apply(self, counted: list[Counted]) -> None:
        """Apply messages in stream order; a message already applied to its counter is skipped."""
        by_key: dict[str, list[Counted]] = {}
        for item in counted:
            by_key.setdefault(self._key(item), []).append(item)
        await self._load_applied([k for k in by_key if k not in self._applied])
        while by_key:
            stale = await self._write(by_key)
            for key in stale:
                del self._applied[key]
            await self._load_applied(stale)
            by_key = {k: by_key[k] for k in stale}

    def forget(self) -> None:
        """Drop the cache; it refills from MongoDB as counters are touched again."""
        self._applied.clear()

    async def _load_applied(self, keys: list[str]) -> None:
        if keys:
            async for doc in self.collection.find({"_id": {"$in": keys}}, {"last_seq": 1}):
                self._applied[doc["_id"]] = doc["last_seq"]
            for key in keys:
                self._applied.setdefault(key, 0)

    async def _write(self, by_key: dict[str, list[Counted]]) -> list[str]:
        """Concurrent guarded upserts; returns the keys whose guard failed (the stored counter was newer).

        One update per counter rather than a bulk write: FerretDB answers a bulk write that has a
        duplicate-key error without nModified, which PyMongo cannot parse.
        """
        writes = {k: fresh for k, items in by_key.items() if (fresh := [i for i in items if i.seq > self._applied[k]])}
        outcomes = await asyncio.gather(*(self._write_one(key, fresh) for key, fresh in writes.items()))
        return [key for key, ok in zip(writes, outcomes, strict=True) if not ok]

    async def _write_one(self, key: str, fresh: list[Counted]) -> bool:
        last = fresh[-1]
        update: Doc = {
            "$inc": {"votes": sum(i.delta for i in fresh)},
            "$set": {"last_seq": last.seq, **self._fields(last)},
        }
        if cast_times := [i.at for i in fresh if i.at is not None]:
            update["$max"] = {"last_vote_at": max(cast_times)}
        try:
            await self.collection.update_one({"_id": key, "last_seq": {"$lt": fresh[0].seq}}, update, upsert=True)
        except DuplicateKeyError:
            return False
        self._applied[key] = last.seq
        return True


def _practice_fields(c: Counted) -> Doc:
    return {"contest": c.contest, "nomination": c.nomination, "practice": c.practice}


@functools.lru_cache(maxsize=4096)
def minute_key(minute: datetime) -> str:
    """YYYYMMDDHHMM of a minute bucket, formatted once per minute (a batch's ballots share a few minutes)."""
    return f"{minute:%Y%m%d%H%M}"


class TallyRepository:
    """The Tallies port on MongoDB: collections tallies, minutes and ballots."""

    def __init__(self, client: AsyncMongoClient[Doc], database: str) -> None:
        self.client = client
        db = client[database]
        self.tallies = GuardedCounters(
            db.tallies, lambda c: f"{c.contest}:{c.nomination}:{c.practice}", _practice_fields
        )
        self.minutes = GuardedCounters(
            db.minutes,
            lambda c: f"{c.contest}:{c.nomination}:{c.practice}:{minute_key(c.minute)}",
            lambda c: _practice_fields(c) | {"minute": c.minute},
        )
        self.ballots = GuardedCounters(
            db.ballots,
            lambda c: f"{c.contest}:{c.nomination}",
            lambda c: {"contest": c.contest, "nomination": c.nomination},
        )

    async def ensure_indexes(self) -> None:
        by_nomination = [("contest", ASCENDING), ("nomination", ASCENDING)]
        await self.tallies.collection.create_index(by_nomination, name="by_nomination")
        await self.minutes.collection.create_index([*by_nomination, ("minute", ASCENDING)], name="by_minute")
        await self.ballots.collection.create_index([("contest", ASCENDING)], name="by_contest")

    async def apply(self, counted: list[Counted]) -> None:
        practices = [c for c in counted if c.practice is not BALLOTS]
        ballots = [c for c in counted if c.practice is BALLOTS]
        await asyncio.gather(self.tallies.apply(practices), self.minutes.apply(practices), self.ballots.apply(ballots))

    async def tallies_of(self, contest: str, nomination: str) -> list[Tally]:
        cursor = self.tallies.collection.find({"contest": contest, "nomination": nomination})
        return [Tally(d["practice"], d["votes"], d["last_seq"], d.get("last_vote_at")) async for d in cursor]

    async def ballots_of(self, contest: str, nomination: str) -> int:
        """Counted ballots in a nomination (0 before its first ballot)."""
        doc = await self.ballots.collection.find_one({"_id": f"{contest}:{nomination}"}, {"votes": 1})
        return int(doc["votes"]) if doc else 0

    async def contest_ballots(self, contest: str) -> dict[str, int]:
        """nomination -> counted ballots, for the nominations that have a count of ballots."""
        cursor = self.ballots.collection.find({"contest": contest}, {"nomination": 1, "votes": 1})
        return {d["nomination"]: d["votes"] async for d in cursor}

    async def contest_counts(self, contest: str) -> dict[tuple[str, str], int]:
        """(nomination, practice) -> votes for a whole contest."""
        cursor = self.tallies.collection.find({"contest": contest}, {"nomination": 1, "practice": 1, "votes": 1})
        return {(d["nomination"], d["practice"]): d["votes"] async for d in cursor}

    async def minutes_of(self, contest: str, nomination: str, since: datetime) -> list[MinuteVotes]:
        query = {"contest": contest, "nomination": nomination, "minute": {"$gte": since}}
        cursor = self.minutes.collection.find(query, {"practice": 1, "minute": 1, "votes": 1})
        return [MinuteVotes(d["practice"], d["minute"], d["votes"]) async for d in cursor]

    async def prune_minutes(self, before: datetime) -> int:
        """Drop buckets older than the retention; the tallies keep the totals."""
        deleted = (await self.minutes.collection.delete_many({"minute": {"$lt": before}})).deleted_count
        self.minutes.forget()
        return deleted
