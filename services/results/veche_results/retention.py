"""Keeps the per-minute buckets within their retention (no TTL indexes: FerretDB has none)."""

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from veche_results.ports import Tallies
from veche_shared.periodic import Periodic

log = logging.getLogger("veche.results.retention")
EVERY = 600.0  # seconds


def retention(repo: Tallies, hours: int, clock: Callable[[], datetime]) -> Periodic:
    keep = timedelta(hours=hours)

    async def prune() -> None:
        if deleted := await repo.prune_minutes(clock() - keep):
            log.info("pruned %d per-minute buckets", deleted)

    return Periodic("minute-retention", EVERY, prune, first_wait=False)
