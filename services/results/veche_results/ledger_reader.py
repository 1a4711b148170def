"""Reads a contest's part of the vote ledger from the first message to the last, in stream order."""

from collections.abc import AsyncIterator

from nats.aio.msg import Msg
from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy

from veche_shared import subjects


def _filter(contest: str) -> str:
    return f"votes.*.{subjects.token(contest)}.>"


def _reader_config() -> ConsumerConfig:
    return ConsumerConfig(
        ack_policy=AckPolicy.NONE, deliver_policy=DeliverPolicy.ALL, inactive_threshold=60, mem_storage=True
    )


async def ledger_size(js: JetStreamContext, contest: str) -> int:
    """How many messages the contest has in the ledger now: a consumer's pending count, which, unlike the
    stream's per-subject state (100,000 subjects a page, and one subject per voter), counts them all."""
    config = _reader_config()
    config.filter_subject = _filter(contest)
    info = await js.add_consumer(subjects.VOTES_STREAM, config)
    try:
        return int(info.num_pending or 0)
    finally:
        await js.delete_consumer(subjects.VOTES_STREAM, info.name)


async def ledger_messages(js: JetStreamContext, contest: str, batch: int = 1_000) -> AsyncIterator[list[Msg]]:
    """Batches of every VoteCast and VotesAnnulled of a contest, oldest first, up to the last one there was when
    the reading started (an ephemeral consumer)."""
    sub = await js.pull_subscribe(_filter(contest), stream=subjects.VOTES_STREAM, config=_reader_config())
    try:
        remaining = int((await sub.consumer_info()).num_pending or 0)
        while remaining > 0:
            msgs = await sub.fetch(min(batch, remaining), timeout=10)
            remaining -= len(msgs)
            yield msgs
    finally:
        await sub.unsubscribe()
