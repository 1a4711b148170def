"""Applies stream VOTES to the tallies in batches, in order, acknowledging only what MongoDB has."""

import asyncio
import contextlib
import logging
from collections.abc import Callable

from nats.aio.msg import Msg
from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from pydantic import ValidationError

from veche_results.repository import Counted, TallyRepository
from veche_results.settings import ResultsSettings
from veche_shared import subjects
from veche_shared.contracts.votes import VoteCast

log = logging.getLogger("veche.results.projector")


def counted(msg: Msg) -> Counted | None:
    """What one ledger message does to a tally, or None for a message this projector skips."""
    try:
        ballot = VoteCast.model_validate_json(msg.data)
    except ValidationError:
        log.error("skipping an invalid message on %s", msg.subject)
        return None
    return Counted(msg.metadata.sequence.stream, ballot.contest, ballot.nomination, ballot.practice, 1, ballot.cast_at)


class Projector:
    def __init__(
        self,
        js: JetStreamContext,
        repo: TallyRepository,
        settings: ResultsSettings,
        on_applied: Callable[[set[tuple[str, str]]], None],
    ) -> None:
        self._js = js
        self._repo = repo
        self._settings = settings
        self._on_applied = on_applied
        self._task: asyncio.Task[None] | None = None
        self.applied_seq = 0

    async def start(self) -> None:
        config = ConsumerConfig(
            durable_name=self._settings.consumer,
            ack_policy=AckPolicy.ALL,
            deliver_policy=DeliverPolicy.ALL,
            filter_subject="votes.cast.>",
            max_ack_pending=self._settings.batch_size * 4,
            ack_wait=30,
        )
        sub = await self._js.pull_subscribe(
            "votes.cast.>", durable=self._settings.consumer, stream=subjects.VOTES_STREAM, config=config
        )
        self._task = asyncio.create_task(self._run(sub), name="projector")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

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
        items = [c for c in map(counted, batch) if c is not None]
        await self._repo.apply(items)
        await batch[-1].ack_sync()
        self.applied_seq = batch[-1].metadata.sequence.stream
        self._on_applied({(c.contest, c.nomination) for c in items})
