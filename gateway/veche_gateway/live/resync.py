"""Keeps the in-memory leaderboards equal to the results service after faults.

Two triggers: a NATS reconnect (snapshots published while the gateway was away are lost) re-fetches every board
at once; and an interval re-fetches them all anyway, which bounds staleness from anything else that drops a
snapshot (a results partition that died after writing a batch but before publishing it, a message lost in a
slow-consumer cut-off) to one interval.
"""

import asyncio
import logging

from veche_gateway.live.boards import LiveBoards
from veche_shared.periodic import Periodic

log = logging.getLogger("veche.gateway.resync")


class BoardResync:
    def __init__(self, interval: float) -> None:
        self._interval = interval
        self._boards: LiveBoards | None = None
        self._periodic: Periodic | None = None
        self._now: set[asyncio.Task[int]] = set()

    def start(self, boards: LiveBoards) -> None:
        self._boards = boards
        self._periodic = Periodic("board-resync", self._interval, boards.resync, first_wait=True)
        self._periodic.start()

    async def after_reconnect(self) -> None:
        """nats-py awaits this inside its reconnect loop: start the re-sync in a task and return."""
        if self._boards is None:
            return
        log.info("reconnected to NATS; re-syncing %d leaderboards", len(self._boards))
        task = asyncio.create_task(self._boards.resync(), name="board-resync-now")
        self._now.add(task)
        task.add_done_callback(self._now.discard)

    async def stop(self) -> None:
        if self._periodic is not None:
            await self._periodic.stop()
        for task in list(self._now):
            task.cancel()
