"""Token buckets per key (an IP, a voter): `take` says how long to wait, 0 when the request may pass."""

import time
from collections.abc import Callable

from veche_gateway.settings import Bucket

MAX_KEYS = 100_000


class TokenBuckets:
    def __init__(self, rule: Bucket, clock: Callable[[], float] = time.monotonic) -> None:
        self._rule = rule
        self._clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}  # key -> (tokens, at)

    def wait(self, key: str) -> float:
        """The seconds until key's bucket holds a token (0.0 if it holds one now), spending nothing."""
        tokens, at = self._buckets.get(key, (self._rule.burst, self._clock()))
        tokens = min(self._rule.burst, tokens + (self._clock() - at) * self._rule.per_second)
        return 0.0 if tokens >= 1 else (1 - tokens) / self._rule.per_second

    def take(self, key: str) -> float:
        """Spend one token of key's bucket: 0.0 if there was one, else the seconds until there will be."""
        now = self._clock()
        tokens, at = self._buckets.get(key, (self._rule.burst, now))
        tokens = min(self._rule.burst, tokens + (now - at) * self._rule.per_second)
        if tokens < 1:
            self._buckets[key] = (tokens, now)
            return (1 - tokens) / self._rule.per_second
        if len(self._buckets) >= MAX_KEYS and key not in self._buckets:
            self._forget_full(now)
        self._buckets[key] = (tokens - 1, now)
        return 0.0

    def _forget_full(self, now: float) -> None:
        """Drop buckets that have refilled completely: they hold nothing a fresh bucket would not."""
        refill = self._rule.burst / self._rule.per_second
        self._buckets = {k: v for k, v in self._buckets.items() if now - v[1] < refill}

    def __len__(self) -> int:
        return len(self._buckets)
