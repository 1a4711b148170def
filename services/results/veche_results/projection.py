"""The projectors of the partitions this process owns (one per ledger partition it reads), started and stopped
together."""

from collections.abc import Callable
from datetime import datetime

from nats.js import JetStreamContext

from veche_results.metrics import ResultsMetrics
from veche_results.partitions import reads
from veche_results.ports import Tallies
from veche_results.projector import Projector
from veche_results.settings import ResultsSettings
from veche_results.tlog_store import LogStore


class Projection:
    def __init__(
        self,
        js: JetStreamContext,
        repo: Tallies,
        settings: ResultsSettings,
        metrics: ResultsMetrics,
        on_applied: Callable[[set[tuple[str, str]]], None],
        clock: Callable[[], datetime],
        log: LogStore,
    ) -> None:
        self.partitions = settings.my_partitions()
        self.reads = [part for p in self.partitions for part in reads(settings, p)]
        self._projectors = [Projector(js, repo, settings, metrics, on_applied, clock, log, part) for part in self.reads]

    def applied_seq(self) -> int:
        """The ledger sequence every partition of this process has applied (the slowest one's)."""
        return min(p.applied_seq for p in self._projectors)

    async def start(self) -> None:
        for projector in self._projectors:
            await projector.start()

    async def stop(self) -> None:
        for projector in self._projectors:
            await projector.stop()
