"""Reads a contest's part of the vote ledger from the first message to the last, in stream order."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from nats.aio.msg import Msg
from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy

from veche_shared import subjects


class LedgerRead:
    """One reading of a contest's ledger: `size` messages, as many as there were when the reading opened.

    The size is the reading consumer's pending count; the stream's per-subject state would stop at one page
    (100,000 subjects), and the ledger has one subject per voter."""

    def __init__(self, sub: JetStreamContext.PullSubscription, size: int) -> None:
        self._sub = sub
        self.size = size

    async def batches(self, batch: int = 1_000) -> AsyncIterator[list[Msg]]:
        """Batches of every VoteCast and VotesAnnulled of the contest, oldest first."""
        remaining = self.size
        while remaining > 0:
            msgs = await self._sub.fetch(min(batch, remaining), timeout=10)
            remaining -= len(msgs)
            yield msgs


@asynccontextmanager
async def open_ledger(
    js: JetStreamContext, contest: str, *, filter_subject: str | None = None, after: int = 0
) -> AsyncIterator[LedgerRead]:
    """A reading of the contest's ledger (or of `filter_subject` within it) from the message after sequence
    `after` on, on an ephemeral consumer, removed afterwards."""
    config = ConsumerConfig(
        ack_policy=AckPolicy.NONE,
        deliver_policy=DeliverPolicy.BY_START_SEQUENCE if after else DeliverPolicy.ALL,
        opt_start_seq=after + 1 if after else None,
        inactive_threshold=60,
        mem_storage=True,
    )
    filter_subject = filter_subject or subjects.contest_ledger(contest)
    sub = await js.pull_subscribe(filter_subject, stream=subjects.VOTES_STREAM, config=config)
    try:
        yield LedgerRead(sub, int((await sub.consumer_info()).num_pending or 0))
    finally:
        await sub.unsubscribe()
