"""Reads a contest's part of the vote ledger from the first message to the last, in stream order."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from nats.aio.client import Client
from nats.js import JetStreamContext

from veche_shared import stream_read, subjects
from veche_shared.stream_read import Stored

TIMEOUT = 10.0


class LedgerRead:
    """One reading of a contest's ledger: `size` messages, as many as there were when the reading opened.

    The size is the first message's pending count; the stream's per-subject state would stop at one page
    (100,000 subjects), and the ledger has one subject per voter."""

    def __init__(self, nc: Client, filter_subject: str, first: list[Stored]) -> None:
        self._nc = nc
        self._filter = filter_subject
        self._first = first
        self.size = first[0].pending + 1 if first else 0

    async def batches(self, batch: int = 1_000) -> AsyncIterator[list[Stored]]:
        """Batches of every VoteCast and VotesAnnulled of the contest, oldest first."""
        remaining, found = self.size, self._first
        while remaining > 0 and found:
            found = found[:remaining]
            remaining -= len(found)
            for start in range(0, len(found), batch):
                yield found[start : start + batch]
            if remaining > 0:
                size = min(stream_read.BATCH, remaining)
                found = await stream_read.batch(
                    self._nc, subjects.VOTES_STREAM, self._filter, found[-1].seq + 1, size, TIMEOUT
                )


@asynccontextmanager
async def open_ledger(
    js: JetStreamContext, contest: str, *, filter_subject: str | None = None, after: int = 0
) -> AsyncIterator[LedgerRead]:
    """A reading of the contest's ledger (or of `filter_subject` within it) from the message after sequence
    `after` on, by direct get (no consumer: docs/adr/0014-provisioned-bus.md)."""
    filter_subject = filter_subject or subjects.contest_ledger(contest)
    nc = stream_read.connection_of(js)
    first = await stream_read.batch(nc, subjects.VOTES_STREAM, filter_subject, after + 1, stream_read.BATCH, TIMEOUT)
    yield LedgerRead(nc, filter_subject, first)
