"""Keeps the per-minute buckets within their retention (no TTL indexes: FerretDB has none)."""

import logging
from datetime import timedelta

from veche_results.repository import TallyRepository
from veche_shared.contracts.common import utcnow
from veche_shared.periodic import Periodic

log = logging.getLogger("veche.results.retention")
EVERY = 600.0  # seconds


def retention(repo: TallyRepository, hours: int) -> Periodic:
    keep = timedelta(hours=hours)

    async def prune() -> None:
        if deleted := await repo.prune_minutes(utcnow() - keep):
            log.info("pruned %d per-minute buckets", deleted)

    return Periodic("minute-retention", EVERY, prune, first_wait=False)
