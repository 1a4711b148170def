"""Coalesced live snapshots: at most one LeaderboardChanged per nomination per interval."""

import logging
from collections.abc import Awaitable, Callable

from faststream.nats import NatsBroker

from veche_shared import subjects
from veche_shared.contracts.results import LeaderboardChanged
from veche_shared.periodic import Periodic

log = logging.getLogger("veche.results.live")

Publish = Callable[[str, str], Awaitable[None]]


class BusBoards:
    """The LiveBoards port on NATS: each snapshot on core subject live.leaderboard.<contest>.<nomination>."""

    def __init__(self, broker: NatsBroker) -> None:
        self._broker = broker

    async def send(self, board: LeaderboardChanged) -> None:
        await self._broker.publish(
            board.model_dump_json().encode(), subjects.live_leaderboard(board.contest, board.nomination)
        )


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
