"""Applies stream VOTES to the tallies in batches, in order, acknowledging only what MongoDB has.

With N > 1 results partitions, each projector reads one ledger partition with a filtered consumer (partitions.py),
so the server delivers it only that partition's ballots and every tally has exactly one writer.
"""

import asyncio
import contextlib
import logging
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from nats.aio.msg import Msg
from nats.js import JetStreamContext
from nats.js.api import ConsumerInfo
from nats.js.errors import NotFoundError
from pydantic import ValidationError

from veche_results.dead_letters import NOMINATION_HEADER, nomination_in
from veche_results.log_entries import leaves_of
from veche_results.metrics import ResultsMetrics
from veche_results.partitions import WHOLE, LedgerPart, consumer_name
from veche_results.ports import BALLOTS, Counted, Tallies
from veche_results.settings import ResultsSettings
from veche_results.tlog_store import Leaf, LogStore
from veche_shared import subjects
from veche_shared.bus import publish_once
from veche_shared.contracts.ops import DeadLetterKind
from veche_shared.contracts.votes import VoteCast, VotesAnnulled
from veche_shared.stream_read import connection_of

log = logging.getLogger("veche.results.projector")
ZERO = timedelta(0)
V1_TOKENS = 9  # $JS.ACK.<stream>.<consumer>.<delivered>.<stream seq>.<consumer seq>.<time>.<pending>
# A filtered consumer at the start of the stream: before its first delivery nats-server walks its per-subject index
# for the filter (one subject per voter), on every pull request, and drops a request that expired meanwhile. With a
# backlog, the first fetch waits this long, so a large ledger's first batch is not asked for again and again.
FIRST_FETCH_WAIT = 30.0


class ConsumerMissing(RuntimeError):
    """The projector's durable consumer was not provisioned."""


class Poison(Exception):
    """A ledger message this projector cannot apply; kind as in contracts.ops.DeadLetter."""

    def __init__(self, reason: str, kind: DeadLetterKind) -> None:
        super().__init__(reason)
        self.kind = kind


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


Event = VoteCast | VotesAnnulled


def parsed(subject: str, data: bytes, seq: int) -> tuple[int, Event]:
    """A ledger message's stream sequence and event."""
    try:
        if subjects.is_vote_cast(subject):
            return seq, VoteCast.model_validate_json(data)
        if subjects.is_votes_annulled(subject):
            return seq, VotesAnnulled.model_validate_json(data)
    except ValidationError as exc:
        raise Poison(f"invalid {subject.split('.')[1]} message: {exc.error_count()} errors", "invalid_event") from None
    raise Poison(f"unknown subject {subject}", "unknown_subject")


def counted_of(seq: int, event: Event) -> list[Counted]:
    """What one ledger event does to the tallies: +1 per practice a ballot approves and +1 to its nomination's
    ballots; an annulment the same with -1 for each ballot it annuls."""
    if isinstance(event, VoteCast):
        b = event
        minute = minute_of(b.cast_at)
        ballot = Counted(seq, b.contest, b.nomination, BALLOTS, 1, b.cast_at, minute)
        return [ballot, *(Counted(seq, b.contest, b.nomination, p, 1, b.cast_at, minute) for p in b.practices)]
    a = event
    minute = minute_of(a.occurred_at)
    ballots = Counted(seq, a.contest, a.nomination, BALLOTS, -len(a.votes), None, minute)
    return [
        ballots,
        *(Counted(seq, a.contest, a.nomination, p, -1, None, minute) for v in a.votes for p in v.practices),
    ]


def counted(subject: str, data: bytes, seq: int) -> list[Counted]:
    """What one ledger message does to the tallies."""
    return counted_of(*parsed(subject, data, seq))


class Projector:
    def __init__(
        self,
        js: JetStreamContext,
        repo: Tallies,
        settings: ResultsSettings,
        metrics: ResultsMetrics,
        on_applied: Callable[[set[tuple[str, str]]], None],
        clock: Callable[[], datetime],
        log: LogStore,
        part: LedgerPart = WHOLE,
    ) -> None:
        self._js = js
        self._clock = clock
        self._log = log
        self._part = part
        self._label = "all" if part is WHOLE else str(part)
        self._name = consumer_name(settings, part)
        self._repo = repo
        self._settings = settings
        self._metrics = metrics
        self._on_applied = on_applied
        self._task: asyncio.Task[None] | None = None
        self._sub: JetStreamContext.PullSubscription | None = None
        self._stopping = False
        self._first_wait = 0.0  # FIRST_FETCH_WAIT until a filtered consumer at the stream's start has delivered
        self.applied_seq = 0

    async def start(self) -> None:
        name = self._name
        info = await self._rewind(name)
        if self._part is not WHOLE and (info.num_pending or 0) >= self._settings.batch_size:
            self._first_wait = FIRST_FETCH_WAIT  # a full batch is there: the first fetch returns once it is sent
        self._sub = await self._js.pull_subscribe_bind(durable=name, stream=subjects.VOTES_STREAM)
        self._task = asyncio.create_task(self._run(self._sub), name="projector")

    async def _rewind(self, name: str) -> ConsumerInfo:
        """Resume right after the ack floor of the provisioned consumer.

        A process that died mid-batch leaves messages delivered but unacknowledged; the server would hand
        them out again only after ack_wait, and our next AckAll would acknowledge them unapplied. So the
        consumer is reset to its ack floor (nats-server 2.14's consumer reset), which only ever moves after
        MongoDB has a batch. The consumer itself is made by `veche provision`, not here
        (docs/adr/0014-provisioned-bus.md).
        """
        try:
            await self._js.consumer_info(subjects.VOTES_STREAM, name)
        except NotFoundError:
            raise ConsumerMissing(f"consumer {name} on stream VOTES is missing: run `veche provision`") from None
        answer = await connection_of(self._js).request(f"$JS.API.CONSUMER.RESET.{subjects.VOTES_STREAM}.{name}", b"")
        if b'"error"' in answer.data:
            raise ConsumerMissing(f"consumer {name} could not be reset: {answer.data[:200]!r}")
        info: ConsumerInfo = await self._js.consumer_info(subjects.VOTES_STREAM, name)
        self.applied_seq = info.ack_floor.stream_seq if info.ack_floor else 0
        return info

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
                wait = self._first_wait or self._settings.batch_wait
                batch = await sub.fetch(self._settings.batch_size, timeout=wait)
            except TimeoutError:  # nothing new within batch_wait
                continue
            except Exception:
                log.exception("fetch failed; retrying")
                await asyncio.sleep(0.5)
                continue
            if batch:
                self._first_wait = 0.0
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
        leaves: list[Leaf] = []
        for msg in batch:
            if self._part is not WHOLE and subjects.partition_of(msg.subject) != self._part:
                continue  # not this partition's (the filter keeps them away; a guard, not the mechanism)
            try:
                seq, event = parsed(msg.subject, msg.data, stream_seq(msg))
                logged = leaves_of(seq, event)
            except (Poison, ValueError) as exc:  # ValueError: ids that no log entry can carry
                await self._dead_letter(msg, str(exc), exc.kind if isinstance(exc, Poison) else "unloggable")
                continue
            items.extend(counted_of(seq, event))
            leaves.extend(logged)
        with self._metrics.apply_seconds.time():
            async with self._log.writing:  # a sealed board sees both at one ledger position
                await asyncio.gather(self._repo.apply(items), self._log.append(leaves))
        if cast_times := [i.at for i in items if i.at is not None]:
            self._metrics.freshness.observe(max(0.0, (self._clock() - max(cast_times)).total_seconds()))
        cast = Counter((i.contest, i.nomination) for i in items if i.delta > 0 and i.practice is BALLOTS)
        for (contest, nomination), ballots in cast.items():
            self._metrics.ballots.labels(contest, nomination).inc(ballots)
        await batch[-1].ack_sync()
        self.applied_seq = stream_seq(batch[-1])
        self._metrics.batch_size.observe(len(batch))
        self._metrics.applied_seq.labels(self._label).set(self.applied_seq)
        self._on_applied({(c.contest, c.nomination) for c in items})

    async def _dead_letter(self, msg: Msg, reason: str, kind: DeadLetterKind) -> None:
        seq = msg.metadata.sequence.stream
        headers = {
            "Veche-Reason": reason,
            "Veche-Kind": kind,
            "Veche-Subject": msg.subject,
            "Nats-Msg-Id": f"votes-{seq}",
        }
        if nomination := nomination_in(msg.data):  # a ballot's subject does not name it
            headers[NOMINATION_HEADER] = nomination
        await publish_once(self._js, subjects.dead_letter(subjects.VOTES_STREAM, seq), msg.data, headers)
        self._metrics.dead_letters.inc()
        log.error("dead-lettered ledger message %d: %s", seq, reason)
