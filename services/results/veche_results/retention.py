"""Keeps the per-minute buckets within their retention (no TTL indexes: FerretDB has none)."""

import asyncio
import contextlib
import logging
from datetime import timedelta

from veche_results.repository import TallyRepository
from veche_shared.contracts.common import utcnow

log = logging.getLogger("veche.results.retention")
EVERY = 600.0  # seconds


class Retention:
    def __init__(self, repo: TallyRepository, hours: int) -> None:
        self._repo = repo
        self._keep = timedelta(hours=hours)
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._loop(), name="minute-retention")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _loop(self) -> None:
        while True:
            try:
                deleted = await self._repo.prune_minutes(utcnow() - self._keep)
                if deleted:
                    log.info("pruned %d per-minute buckets", deleted)
            except Exception:
                log.exception("pruning per-minute buckets failed")
            await asyncio.sleep(EVERY)
