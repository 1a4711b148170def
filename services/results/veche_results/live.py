"""Coalesced live snapshots: at most one LeaderboardChanged per nomination per interval."""

import logging
from collections.abc import Awaitable, Callable

from veche_shared.periodic import Periodic

log = logging.getLogger("veche.results.live")

Publish = Callable[[str, str], Awaitable[None]]


class LivePublisher:
    def __init__(self, publish: Publish, interval: float) -> None:
        self._publish = publish
        self._dirty: set[tuple[str, str]] = set()
        self._periodic = Periodic("live-publisher", interval, self._flush, first_wait=True)
        self.start = self._periodic.start
        self.stop = self._periodic.stop

    def mark(self, nominations: set[tuple[str, str]]) -> None:
        self._dirty |= nominations

    async def _flush(self) -> None:
        dirty, self._dirty = self._dirty, set()
        for contest, nomination in dirty:
            try:
                await self._publish(contest, nomination)
            except Exception:
                log.exception("live snapshot of %s/%s failed", contest, nomination)
