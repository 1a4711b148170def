"""Applies stream VOTES to the tallies in batches, in order, acknowledging only what MongoDB has."""

import asyncio
import contextlib
import logging
from collections.abc import Callable

from nats.aio.msg import Msg
from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from nats.js.errors import NotFoundError
from pydantic import ValidationError

from veche_results.metrics import ResultsMetrics
from veche_results.repository import Counted, TallyRepository
from veche_results.settings import ResultsSettings
from veche_shared import subjects
from veche_shared.contracts.common import utcnow
from veche_shared.contracts.votes import VoteCast, VotesAnnulled

log = logging.getLogger("veche.results.projector")


class Poison(Exception):
    """A ledger message this projector cannot apply."""


def counted(msg: Msg) -> list[Counted]:
    """What one ledger message does to the tallies: +1 for a ballot, -1 per annulled ballot."""
    seq = msg.metadata.sequence.stream
    try:
        if msg.subject.startswith("votes.cast."):
            b = VoteCast.model_validate_json(msg.data)
            return [Counted(seq, b.contest, b.nomination, b.practice, 1, b.cast_at)]
        if msg.subject.startswith("votes.annulled."):
            a = VotesAnnulled.model_validate_json(msg.data)
            return [Counted(seq, a.contest, a.nomination, v.practice, -1, None) for v in a.votes]
    except ValidationError as exc:
        raise Poison(f"invalid {msg.subject.split('.')[1]} message: {exc.error_count()} errors") from None
    raise Poison(f"unknown subject {msg.subject}")


class Projector:
    def __init__(
        self,
        js: JetStreamContext,
        repo: TallyRepository,
        settings: ResultsSettings,
        metrics: ResultsMetrics,
        on_applied: Callable[[set[tuple[str, str]]], None],
    ) -> None:
        self._js = js
        self._repo = repo
        self._settings = settings
        self._metrics = metrics
        self._on_applied = on_applied
        self._task: asyncio.Task[None] | None = None
        self._lag_task: asyncio.Task[None] | None = None
        self._sub: JetStreamContext.PullSubscription | None = None
        self.applied_seq = 0

    async def start(self) -> None:
        name = self._settings.consumer
        await self._js.add_consumer(subjects.VOTES_STREAM, await self._consumer_config(name))
        self._sub = await self._js.pull_subscribe_bind(durable=name, stream=subjects.VOTES_STREAM)
        await self.update_lag()  # from the start: a 0 before the first reading would claim "caught up"
        self._task = asyncio.create_task(self._run(self._sub), name="projector")
        self._lag_task = asyncio.create_task(self.watch_lag(self._settings.lag_interval), name="projector-lag")

    async def _consumer_config(self, name: str) -> ConsumerConfig:
        """Resume right after the ack floor.

        A process that died mid-batch leaves messages delivered but unacknowledged; the server would hand
        them out again only after ack_wait, and our next AckAll would acknowledge them unapplied. So the
        consumer is made anew at the ack floor, which only ever moves after MongoDB has a batch.
        """
        config = ConsumerConfig(
            durable_name=name,
            ack_policy=AckPolicy.ALL,
            deliver_policy=DeliverPolicy.ALL,
            filter_subject="votes.>",
            max_ack_pending=self._settings.batch_size * 4,
            ack_wait=30,
        )
        try:
            info = await self._js.consumer_info(subjects.VOTES_STREAM, name)
        except NotFoundError:
            return config
        await self._js.delete_consumer(subjects.VOTES_STREAM, name)
        config.deliver_policy = DeliverPolicy.BY_START_SEQUENCE
        config.opt_start_seq = info.ack_floor.stream_seq + 1 if info.ack_floor else 1
        self.applied_seq = config.opt_start_seq - 1  # the tallies already have everything up to the floor
        return config

    async def watch_lag(self, interval: float) -> None:
        """Keep the lag gauge current: the stream's last sequence minus what the tallies have."""
        while True:
            await asyncio.sleep(interval)
            try:
                await self.update_lag()
            except Exception:
                log.warning("could not read VOTES stream info for the lag gauge", exc_info=True)

    async def update_lag(self) -> None:
        info = await self._js.stream_info(subjects.VOTES_STREAM)
        self._metrics.lag.set(max(0, info.state.last_seq - self.applied_seq))

    async def stop(self) -> None:
        for task in (self._lag_task, self._task):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        if self._sub is not None:
            await self._sub.unsubscribe()

    async def _run(self, sub: JetStreamContext.PullSubscription) -> None:
        while True:
            try:
                batch = await sub.fetch(self._settings.batch_size, timeout=self._settings.batch_wait)
            except TimeoutError:  # nothing new within batch_wait
                continue
            except Exception:
                log.exception("fetch failed; retrying")
                await asyncio.sleep(0.5)
                continue
            if batch:
                await self._apply_until_done(batch)

    async def _apply_until_done(self, batch: list[Msg]) -> None:
        # Retry the same batch rather than fetch past it: later messages must not be applied first.
        delay = 0.1
        while True:
            try:
                await self.apply(batch)
                return
            except Exception:
                log.exception("applying a batch failed; retrying in %.1fs", delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)

    async def apply(self, batch: list[Msg]) -> None:
        items: list[Counted] = []
        for msg in batch:
            try:
                items.extend(counted(msg))
            except Poison as exc:
                await self._dead_letter(msg, str(exc))
        with self._metrics.apply_seconds.time():
            await self._repo.apply(items)
        await batch[-1].ack_sync()
        self.applied_seq = batch[-1].metadata.sequence.stream
        self._metrics.batch_size.observe(len(batch))
        self._metrics.applied_seq.set(self.applied_seq)
        for c in items:
            if c.delta > 0:
                self._metrics.ballots.labels(c.contest, c.nomination).inc()
        newest = max((c.at for c in items if c.at is not None), default=None)
        if newest is not None:
            self._metrics.freshness.observe(max(0.0, (utcnow() - newest).total_seconds()))
        self._on_applied({(c.contest, c.nomination) for c in items})

    async def _dead_letter(self, msg: Msg, reason: str) -> None:
        seq = msg.metadata.sequence.stream
        headers = {"Veche-Reason": reason, "Veche-Subject": msg.subject, "Nats-Msg-Id": f"votes-{seq}"}
        await self._js.publish(subjects.dead_letter(subjects.VOTES_STREAM, seq), msg.data, headers=headers)
        self._metrics.dead_letters.inc()
        log.error("dead-lettered ledger message %d: %s", seq, reason)
