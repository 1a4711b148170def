"""Two submissions replicas racing to change one record: exactly one wins, and the record keeps one event.

On FerretDB a filtered update is read, then write, so without a writer discipline across replicas both
`update_one({"_id": k, "version": 1})` can match (measured: both won in 2 of 3 runs inside one process)."""

import asyncio
from typing import Any

from nats.aio.client import Client
from pymongo import AsyncMongoClient

from veche_dev import factories as f
from veche_shared.contracts.catalog import PracticeStatus
from veche_submissions.documents import OUTBOX, stored_fields
from veche_submissions.leases import writer_leases
from veche_submissions.repository import CatalogRepository
from veche_submissions.settings import SubmissionsSettings

ROUNDS = 30


async def replica(nc: Client, mongo: AsyncMongoClient[dict[str, Any]], database: str) -> CatalogRepository:
    """A replica's repository: locks of its own, leases on the shared bucket."""
    settings = SubmissionsSettings(database=database)
    return CatalogRepository(mongo, database, await writer_leases(nc.jetstream(), settings))


async def test_two_replicas_never_both_change_one_version(
    nc: Client, mongo: AsyncMongoClient[dict[str, Any]], uid: str
) -> None:
    database = f"leases_{uid}"
    one, two = await replica(nc, mongo, database), await replica(nc, mongo, database)
    keys = [f"p{i}" for i in range(ROUNDS)]
    pending = {k: f.practice(uid, k, municipality=k, status=PracticeStatus.pending) for k in keys}
    await mongo[database].practices.insert_many(
        [{"_id": k, **stored_fields(p), OUTBOX: []} for k, p in pending.items()]
    )

    async def race(key: str) -> list[bool]:
        approved, rejected = (
            {"status": status, "version": 2} for status in (PracticeStatus.approved, PracticeStatus.rejected)
        )
        approve = one.update(pending[key].model_copy(update=approved), 1, {"event_id": "approve"})
        reject = two.update(pending[key].model_copy(update=rejected), 1, {"event_id": "reject"})
        return list(await asyncio.gather(approve, reject))

    outcomes = await asyncio.gather(*(race(k) for k in keys))
    assert all(sum(won) == 1 for won in outcomes), outcomes
    docs = {d["_id"]: d async for d in mongo[database].practices.find()}
    for key, (approved, _) in zip(keys, outcomes, strict=True):
        assert docs[key]["status"] == ("approved" if approved else "rejected")
        assert [e["event_id"] for e in docs[key][OUTBOX]] == ["approve" if approved else "reject"]
    await mongo.drop_database(database)
