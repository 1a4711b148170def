"""Applies stream VOTES to the tallies in batches, in order, acknowledging only what MongoDB has.

With N partitions, each projector owns the nominations whose subject hashes to its partition, so every
tally has exactly one writer; each reads the whole stream and skips what it does not own.
"""

import asyncio
import contextlib
import hashlib
import logging
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from nats.aio.msg import Msg
from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from nats.js.errors import NotFoundError
from pydantic import ValidationError

from veche_results.metrics import ResultsMetrics
from veche_results.repository import Counted, TallyRepository
from veche_results.settings import ResultsSettings
from veche_shared import subjects
from veche_shared.contracts.votes import VoteCast, VotesAnnulled

log = logging.getLogger("veche.results.projector")
ZERO = timedelta(0)
V1_TOKENS = 9  # $JS.ACK.<stream>.<consumer>.<delivered>.<stream seq>.<consumer seq>.<time>.<pending>


class Poison(Exception):
    """A ledger message this projector cannot apply."""


def partition_of(subject: str, partitions: int) -> int:
    """The partition owning a ledger subject votes.<kind>.<contest>.<nomination>...: a hash of its nomination."""
    tokens = subject.split(".")
    if partitions == 1 or len(tokens) < 4:
        return 0
    return nomination_partition(tokens[2], tokens[3], partitions)


def nomination_partition(contest: str, nomination: str, partitions: int) -> int:
    digest = hashlib.sha256(f"{contest}.{nomination}".encode()).digest()
    return int.from_bytes(digest[:4], "big") % partitions


def minute_of(moment: datetime) -> datetime:
    """The UTC minute of moment. The ledger's times are UTC already, so the conversion (8% of a replay's CPU,
    bench/README.md) is made only for another offset."""
    if moment.utcoffset() != ZERO:
        moment = moment.astimezone(UTC)
    return moment.replace(second=0, microsecond=0)


def stream_seq(msg: Msg) -> int:
    """The stream sequence of a JetStream message, read off its reply subject alone (nats-py's metadata parses
    seven fields and a timestamp per message); a reply of another shape goes through nats-py."""
    tokens = msg.reply.split(".")
    if len(tokens) == V1_TOKENS and tokens[0] == "$JS":
        return int(tokens[5])
    return msg.metadata.sequence.stream


def counted(msg: Msg) -> list[Counted]:
    """What one ledger message does to the tallies: +1 for a ballot, -1 per annulled ballot."""
    seq = stream_seq(msg)
    try:
        if subjects.is_vote_cast(msg.subject):
            b = VoteCast.model_validate_json(msg.data)
            return [Counted(seq, b.contest, b.nomination, b.practice, 1, b.cast_at, minute_of(b.cast_at))]
        if subjects.is_votes_annulled(msg.subject):
            a = VotesAnnulled.model_validate_json(msg.data)
            minute = minute_of(a.occurred_at)
            return [Counted(seq, a.contest, a.nomination, v.practice, -1, None, minute) for v in a.votes]
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
        partition: int = 0,
    ) -> None:
        self._js = js
        self._partition = partition
        self._name = (
            settings.consumer
            if settings.partitions == 1
            else f"{settings.consumer}-p{partition}of{settings.partitions}"
        )
        self._repo = repo
        self._settings = settings
        self._metrics = metrics
        self._on_applied = on_applied
        self._task: asyncio.Task[None] | None = None
        self._sub: JetStreamContext.PullSubscription | None = None
        self._stopping = False
        self.applied_seq = 0

    async def start(self) -> None:
        name = self._name
        await self._js.add_consumer(subjects.VOTES_STREAM, await self._consumer_config(name))
        self._sub = await self._js.pull_subscribe_bind(durable=name, stream=subjects.VOTES_STREAM)
        self._task = asyncio.create_task(self._run(self._sub), name="projector")

    async def _consumer_config(self, name: str) -> ConsumerConfig:
        """Resume right after the ack floor.

        A process that died mid-batch leaves messages delivered but unacknowledged; the server would hand
        them out again only after ack_wait, and our next AckAll would acknowledge them unapplied. So the
        consumer is made anew at the ack floor, which only ever moves after MongoDB has a batch.

        No filter subject: VOTES holds only votes.>, and a filter, even that one, makes nats-server match every
        subject of the stream (one per voter) before it delivers; at 1,000,000 voters that took longer than a
        fetch waits (batch_wait), so the consumer never delivered (bench/README.md, scenario 2).
        """
        config = ConsumerConfig(
            durable_name=name,
            ack_policy=AckPolicy.ALL,
            deliver_policy=DeliverPolicy.ALL,
            max_ack_pending=self._settings.batch_size * 4,
            ack_wait=30,
        )
        try:
            info = await self._js.consumer_info(subjects.VOTES_STREAM, name)
        except NotFoundError:
            return config
        await self._js.delete_consumer(subjects.VOTES_STREAM, name)
        self.applied_seq = info.ack_floor.stream_seq if info.ack_floor else 0
        config.deliver_policy = DeliverPolicy.BY_START_SEQUENCE
        config.opt_start_seq = self.applied_seq + 1
        return config

    async def stop(self) -> None:
        # nats-py's fetch can lose a cancel that lands as a message arrives, which is likely while a backlog is
        # replayed (a test's stop hung for minutes): the flag ends the loop regardless.
        self._stopping = True
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self._sub is not None:
            await self._sub.unsubscribe()

    async def _run(self, sub: JetStreamContext.PullSubscription) -> None:
        while not self._stopping:
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
            if partition_of(msg.subject, self._settings.partitions) != self._partition:
                continue  # another partition's nomination: its own projector counts it
            try:
                items.extend(counted(msg))
            except Poison as exc:
                await self._dead_letter(msg, str(exc))
        with self._metrics.apply_seconds.time():
            await self._repo.apply(items)
        if cast_times := [i.at for i in items if i.at is not None]:
            self._metrics.freshness.observe(max(0.0, (datetime.now(UTC) - max(cast_times)).total_seconds()))
        for (contest, nomination), ballots in Counter((i.contest, i.nomination) for i in items if i.delta > 0).items():
            self._metrics.ballots.labels(contest, nomination).inc(ballots)
        await batch[-1].ack_sync()
        self.applied_seq = stream_seq(batch[-1])
        self._metrics.batch_size.observe(len(batch))
        self._metrics.applied_seq.labels(str(self._partition)).set(self.applied_seq)
        self._on_applied({(c.contest, c.nomination) for c in items})

    async def _dead_letter(self, msg: Msg, reason: str) -> None:
        seq = msg.metadata.sequence.stream
        headers = {"Veche-Reason": reason, "Veche-Subject": msg.subject, "Nats-Msg-Id": f"votes-{seq}"}
        await self._js.publish(subjects.dead_letter(subjects.VOTES_STREAM, seq), msg.data, headers=headers)
        self._metrics.dead_letters.inc()
        log.error("dead-lettered ledger message %d: %s", seq, reason)
