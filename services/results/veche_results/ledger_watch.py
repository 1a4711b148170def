"""The vote ledger as operators see it: its last sequence, appends per second, projector lag, dead letters."""

import time
from collections import deque

from nats.js import JetStreamContext
from nats.js.errors import NotFoundError

from veche_results.dead_letters import DeadLetters
from veche_results.metrics import ResultsMetrics
from veche_results.partitions import LedgerPart, consumer_lag, consumer_name, consumer_names
from veche_results.settings import ResultsSettings
from veche_shared import subjects
from veche_shared.contracts.common import Empty
from veche_shared.contracts.ops import ConsumerLag, LedgerStatus

RATE_WINDOW = 10.0  # seconds of samples behind messages_per_second


class LedgerWatch:
    """Samples stream VOTES (periodically for the lag gauge, and on every status query)."""

    def __init__(
        self, js: JetStreamContext, metrics: ResultsMetrics, settings: ResultsSettings, reads: list[LedgerPart]
    ) -> None:
        self._js = js
        self._metrics = metrics
        self._deployment = set(consumer_names(settings))
        self._mine = [consumer_name(settings, part) for part in reads]  # this process's projectors
        self._samples: deque[tuple[float, int]] = deque()
        self._dead_letters = DeadLetters(js)

    async def sample(self) -> int:
        """Read the ledger's last sequence, keep it as a rate sample and update the lag gauge."""
        last = int((await self._js.stream_info(subjects.VOTES_STREAM)).state.last_seq)
        now = time.monotonic()
        self._samples.append((now, last))
        while len(self._samples) > 2 and now - self._samples[1][0] >= RATE_WINDOW:
            self._samples.popleft()  # keep one sample at least RATE_WINDOW old
        self._metrics.lag.set(await self._lag())
        return last

    async def _lag(self) -> int:
        """Messages of this process's partitions not applied yet (a partition's consumer sees only its share, so
        the ledger's last sequence minus its ack floor would count the other partitions' messages too)."""
        lag = 0
        for name in self._mine:
            try:
                lag += consumer_lag(await self._js.consumer_info(subjects.VOTES_STREAM, name))
            except NotFoundError:
                continue  # the projector is recreating it
        return lag

    def rate(self) -> float:
        (first_at, first), (last_at, last) = self._samples[0], self._samples[-1]
        return max(0.0, (last - first) / (last_at - first_at)) if last_at > first_at else 0.0

    async def status(self, _: Empty) -> LedgerStatus:
        last = await self.sample()
        consumers = []
        for name in sorted(self._deployment):  # asked by name: listing the stream's consumers is not granted
            try:
                info = await self._js.consumer_info(subjects.VOTES_STREAM, name)
            except NotFoundError:
                continue  # a partition's durable that is not provisioned
            applied = int(info.ack_floor.stream_seq) if info.ack_floor else 0
            consumers.append(ConsumerLag(name=name, applied_sequence=applied, lag=consumer_lag(info)))
        dead = await self._js.stream_info(subjects.DEAD_LETTER_STREAM)
        return LedgerStatus(
            last_sequence=last,
            messages_per_second=round(self.rate(), 2),
            lag=max((c.lag for c in consumers), default=0),
            consumers=consumers,
            dead_letters=int(dead.state.messages),
            recent_dead_letters=await self._dead_letters.recent(int(dead.state.first_seq), int(dead.state.last_seq)),
        )
