"""The transparency log's immutable answers — full tiles, and proofs and entry lookups against a signed size —
kept in the gateway's memory, so that a repeated read costs no round trip to the results service (bench/README.md,
`make tlog-reads`: 0.07 x B3 with the round trip); and the latest checkpoint for one second (it is served with
`max-age=2` anyway).

One is served from memory only while the board the gateway holds for its nomination is visible: a log is public
exactly when the results are (docs/verifiability.md), and otherwise the results service answers, and refuses.
"""

import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from typing import TypeVar, cast

T = TypeVar("T")
ENTRIES = 4_096  # a full tile is 8 KiB: 32 MiB at most, like the results process's own cache of full tiles


class ImmutableReads:
    def __init__(self, entries: int = ENTRIES) -> None:
        self._kept: OrderedDict[Hashable, object] = OrderedDict()
        self._entries = entries

    async def read(
        self, key: Hashable, public: bool, fetch: Callable[[], Awaitable[T]], keep: Callable[[T], bool]
    ) -> T:
        """The answer kept under key while public, else fetch()'s, kept for next time if keep says it never
        changes (the least recently read goes first)."""
        if public and key in self._kept:
            self._kept.move_to_end(key)
            return cast(T, self._kept[key])
        found = await fetch()
        if keep(found):
            self._kept[key] = found
            self._kept.move_to_end(key)
            if len(self._kept) > self._entries:
                self._kept.popitem(last=False)
        return found


class RecentReads:
    """Answers that move, kept for `seconds` each while public (the latest checkpoint of each log)."""

    def __init__(self, seconds: float = 1.0, clock: Callable[[], float] = time.monotonic) -> None:
        self._kept: dict[Hashable, tuple[float, object]] = {}
        self._seconds = seconds
        self._clock = clock

    async def read(self, key: Hashable, public: bool, fetch: Callable[[], Awaitable[T]]) -> T:
        now = self._clock()
        kept = self._kept.get(key)
        if public and kept is not None and now - kept[0] < self._seconds:
            return cast(T, kept[1])
        found = await fetch()
        self._kept[key] = (now, found)
        return found

    def forget(self, key: Hashable) -> None:
        """Read it anew next time (a cosignature this gateway passed on changed the checkpoint's note)."""
        self._kept.pop(key, None)
