"""Recount: replay VOTES from the start into fresh collections and compare with the live tallies."""

import contextlib
from typing import Any

from nats.js import JetStreamContext
from pymongo import AsyncMongoClient
from tqdm import tqdm

from veche_results.ledger_reader import open_ledger
from veche_results.ports import Counted
from veche_results.projector import Poison, counted
from veche_results.repository import TallyRepository
from veche_shared.contracts.common import new_id
from veche_shared.contracts.results import RecountDifference, RecountReport


async def recount(
    js: JetStreamContext,
    mongo: AsyncMongoClient[dict[str, Any]],
    database: str,
    contest: str,
    *,
    progress: bool = False,
) -> RecountReport:
    """Every (nomination, practice) whose live count differs from a replay of the ledger."""
    scratch = f"{database}_recount_{new_id().lower()}"
    fresh = TallyRepository(mongo, scratch)
    try:
        async with open_ledger(js, contest) as ledger:
            with tqdm(total=ledger.size, unit="msg", disable=not progress, desc="recount") as bar:
                async for batch in ledger.batches():
                    items: list[Counted] = []
                    for msg in batch:
                        with contextlib.suppress(Poison):  # dead-lettered by the live projector: never counted
                            items.extend(counted(msg.subject, msg.data, msg.seq))
                    await fresh.apply(items)
                    bar.update(len(batch))
        live_repo = TallyRepository(mongo, database)
        differences = _compare(await live_repo.contest_counts(contest), await fresh.contest_counts(contest))
        differences += _compare_ballots(await live_repo.contest_ballots(contest), await fresh.contest_ballots(contest))
        return RecountReport(contest=contest, ledger_messages=ledger.size, differences=differences)
    finally:
        await mongo.drop_database(scratch)


def _compare(live: dict[tuple[str, str], int], recounted: dict[tuple[str, str], int]) -> list[RecountDifference]:
    keys = sorted(set(live) | set(recounted))
    return [
        RecountDifference(nomination=n, practice=p, live=live.get((n, p), 0), recounted=recounted.get((n, p), 0))
        for n, p in keys
        if live.get((n, p), 0) != recounted.get((n, p), 0)
    ]


def _compare_ballots(live: dict[str, int], recounted: dict[str, int]) -> list[RecountDifference]:
    """Ballots per nomination, where the live read model counts them (one from before the count of ballots has
    none; its single-choice ballots are its votes, compared above)."""
    return [
        RecountDifference(nomination=n, practice=None, live=live[n], recounted=recounted.get(n, 0))
        for n in sorted(live)
        if live[n] != recounted.get(n, 0)
    ]
