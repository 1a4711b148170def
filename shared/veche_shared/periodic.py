"""A background task that runs one coroutine at a fixed interval until stopped."""

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger("veche.periodic")


class Periodic:
    def __init__(self, name: str, interval: float, work: Callable[[], Awaitable[object]], *, first_wait: bool) -> None:
        self._name = name
        self._interval = interval
        self._work = work
        self._first_wait = first_wait
        self._task: asyncio.Task[None] | None = None
        self._stopping = False

    def start(self) -> None:
        self._task = asyncio.create_task(self._loop(), name=self._name)

    async def stop(self) -> None:
        # nats-py can lose a cancel that lands as its answer arrives (its waits run in an inner task under
        # asyncio.wait_for); the flag still ends the loop, at the latest one interval later.
        self._stopping = True
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _loop(self) -> None:
        if self._first_wait:
            await asyncio.sleep(self._interval)
        while not self._stopping:
            try:
                await self._work()
            except Exception:
                log.exception("%s failed; trying again in %.1fs", self._name, self._interval)
            await asyncio.sleep(self._interval)
