"""Recount: replay VOTES from the start into fresh collections and compare with the live tallies."""

import contextlib
from dataclasses import dataclass
from typing import Any

from nats.js import JetStreamContext
from pymongo import AsyncMongoClient
from tqdm import tqdm

from veche_results.ledger_reader import ledger_messages, ledger_size
from veche_results.projector import Poison, counted
from veche_results.repository import Counted, TallyRepository
from veche_shared.contracts.common import new_id


@dataclass(frozen=True)
class Difference:
    nomination: str
    practice: str
    live: int
    recounted: int


async def recount(
    js: JetStreamContext,
    mongo: AsyncMongoClient[dict[str, Any]],
    database: str,
    contest: str,
    *,
    progress: bool = False,
) -> list[Difference]:
    """Every (nomination, practice) whose live count differs from a replay of the ledger."""
    scratch = f"{database}_recount_{new_id().lower()}"
    fresh = TallyRepository(mongo, scratch)
    try:
        with tqdm(total=await ledger_size(js, contest), unit="msg", disable=not progress, desc="recount") as bar:
            async for batch in ledger_messages(js, contest):
                items: list[Counted] = []
                for msg in batch:
                    with contextlib.suppress(Poison):  # dead-lettered by the live projector: never counted
                        items.extend(counted(msg))
                await fresh.apply(items)
                bar.update(len(batch))
        return _compare(
            await TallyRepository(mongo, database).contest_counts(contest), await fresh.contest_counts(contest)
        )
    finally:
        await mongo.drop_database(scratch)


def _compare(live: dict[tuple[str, str], int], recounted: dict[tuple[str, str], int]) -> list[Difference]:
    keys = sorted(set(live) | set(recounted))
    return [
        Difference(n, p, live.get((n, p), 0), recounted.get((n, p), 0))
        for n, p in keys
        if live.get((n, p), 0) != recounted.get((n, p), 0)
    ]
