"""The vote ledger as operators see it: its last sequence, appends per second, projector lag, dead letters."""

import time
from collections import deque
from collections.abc import Callable

from nats.js import JetStreamContext

from veche_results.metrics import ResultsMetrics
from veche_shared import subjects
from veche_shared.contracts.common import Empty
from veche_shared.contracts.ops import ConsumerLag, LedgerStatus

RATE_WINDOW = 10.0  # seconds of samples behind messages_per_second


class LedgerWatch:
    """Samples stream VOTES (periodically for the lag gauge, and on every status query)."""

    def __init__(
        self, js: JetStreamContext, metrics: ResultsMetrics, applied: Callable[[], int], consumer: str
    ) -> None:
        self._js = js
        self._metrics = metrics
        self._applied = applied
        self._consumer = consumer
        self._samples: deque[tuple[float, int]] = deque()

    async def sample(self) -> int:
        """Read the ledger's last sequence, keep it as a rate sample and update the lag gauge."""
        last = int((await self._js.stream_info(subjects.VOTES_STREAM)).state.last_seq)
        now = time.monotonic()
        self._samples.append((now, last))
        while len(self._samples) > 2 and now - self._samples[1][0] >= RATE_WINDOW:
            self._samples.popleft()  # keep one sample at least RATE_WINDOW old
        self._metrics.lag.set(max(0, last - self._applied()))
        return last

    def rate(self) -> float:
        (first_at, first), (last_at, last) = self._samples[0], self._samples[-1]
        return max(0.0, (last - first) / (last_at - first_at)) if last_at > first_at else 0.0

    def mine(self, name: str) -> bool:
        """A consumer of this deployment's projectors: one per partition, all named after settings.consumer."""
        return name == self._consumer or name.startswith(f"{self._consumer}-p")

    async def status(self, _: Empty) -> LedgerStatus:
        last = await self.sample()
        consumers = []
        for info in await self._js.consumers_info(subjects.VOTES_STREAM):
            if info.name and self.mine(info.name):
                applied = int(info.ack_floor.stream_seq) if info.ack_floor else 0
                consumers.append(ConsumerLag(name=info.name, applied_sequence=applied, lag=max(0, last - applied)))
        consumers.sort(key=lambda c: c.name)
        dead = await self._js.stream_info(subjects.DEAD_LETTER_STREAM)
        return LedgerStatus(
            last_sequence=last,
            messages_per_second=round(self.rate(), 2),
            lag=max((c.lag for c in consumers), default=0),
            consumers=consumers,
            dead_letters=int(dead.state.messages),
        )
