"""Reads a contest's part of the vote ledger from the first message to the last, in stream order."""

from collections.abc import AsyncIterator

from nats.aio.msg import Msg
from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy

from veche_shared import subjects


async def ledger_size(js: JetStreamContext, contest: str) -> int:
    info = await js.stream_info(subjects.VOTES_STREAM, subjects_filter=f"votes.*.{subjects.token(contest)}.>")
    return sum((info.state.subjects or {}).values())


async def ledger_messages(js: JetStreamContext, contest: str, batch: int = 1_000) -> AsyncIterator[list[Msg]]:
    """Batches of every VoteCast and VotesAnnulled of a contest, oldest first (an ephemeral consumer)."""
    remaining = await ledger_size(js, contest)
    if remaining == 0:
        return
    config = ConsumerConfig(
        ack_policy=AckPolicy.NONE, deliver_policy=DeliverPolicy.ALL, inactive_threshold=60, mem_storage=True
    )
    sub = await js.pull_subscribe(f"votes.*.{contest}.>", stream=subjects.VOTES_STREAM, config=config)
    try:
        while remaining > 0:
            msgs = await sub.fetch(min(batch, remaining), timeout=10)
            remaining -= len(msgs)
            yield msgs
    finally:
        await sub.unsubscribe()
