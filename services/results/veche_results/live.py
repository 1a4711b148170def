"""Coalesced live snapshots: at most one LeaderboardChanged per nomination per interval."""

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger("veche.results.live")

Publish = Callable[[str, str], Awaitable[None]]


class LivePublisher:
    def __init__(self, publish: Publish, interval: float) -> None:
        self._publish = publish
        self._interval = interval
        self._dirty: set[tuple[str, str]] = set()
        self._task: asyncio.Task[None] | None = None

    def mark(self, nominations: set[tuple[str, str]]) -> None:
        self._dirty |= nominations

    def start(self) -> None:
        self._task = asyncio.create_task(self._loop(), name="live-publisher")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _loop(self) -> None:
        while True:
            await asyncio.sleep(self._interval)
            dirty, self._dirty = self._dirty, set()
            for contest, nomination in dirty:
                try:
                    await self._publish(contest, nomination)
                except Exception:
                    log.exception("live snapshot of %s/%s failed", contest, nomination)
