"""Live boards sealed with the log key: each names the log head its numbers were counted at (docs/verifiability.md).

The board and the head are read under LogStore.writing, which the projector holds while it writes a batch's
tallies and log entries, so both describe the same ledger position. Only the process that writes a nomination's log
seals its boards: another process's view of the tallies could be half a batch behind or ahead of the head.
"""

import base64
from collections.abc import Awaitable, Callable

from veche_results.tlog_store import LogStore
from veche_shared.contracts.results import Leaderboard
from veche_shared.tlog.note import Signer
from veche_shared.tlog.seal import sealed

Build = Callable[[], Awaitable[Leaderboard]]


class BoardSealer:
    def __init__(self, logs: LogStore, signer: Signer, owns: Callable[[str, str], bool]) -> None:
        self._logs = logs
        self._signer = signer
        self._owns = owns

    async def seal(self, contest: str, nomination: str, build: Build) -> Leaderboard | None:
        """The board build() computes, with its log head and signature; None if another process writes this log."""
        if not self._owns(contest, nomination):
            return None
        async with self._logs.writing:
            board = await build()
            head = await self._logs.head((contest, nomination))
        if board.visible:
            board = board.model_copy(update={"log_size": head.size, "log_root": base64.b64encode(head.root).decode()})
        return sealed(board, self._signer)
