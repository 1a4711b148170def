"""The transparency log's immutable answers — full tiles, and proofs and entry lookups against a signed size —
kept in the gateway's memory, so that a repeated read costs no round trip to the results service (bench/README.md,
`make tlog-reads`: 0.07 x B3 with the round trip).

One is served from memory only while the board the gateway holds for its nomination is visible: a log is public
exactly when the results are (docs/verifiability.md), and otherwise the results service answers, and refuses.
"""

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
