"""Recount and export read a contest's whole ledger, also past the 100,000 subjects that one page of a stream's
per-subject state holds (the ledger has one subject per voter)."""

from collections.abc import AsyncIterator
from pathlib import Path

import nats
import pytest
from nats.aio.client import Client

from veche_dev import devstack
from veche_results.ledger_reader import open_ledger
from veche_shared import subjects
from veche_shared.bus import declare_streams

SUBJECT_PAGE = 100_000  # nats-server's page of STREAM.INFO subjects


@pytest.fixture
async def private_nats(tmp_path: Path) -> AsyncIterator[Client]:
    """A nats-server of this test's own: the other tests' projectors replay the shared VOTES from the start."""
    port = devstack.free_port()
    server = devstack.start_nats(port, tmp_path / "nats", tmp_path / "logs")
    client = await nats.connect(f"nats://127.0.0.1:{port}")
    await declare_streams(client.jetstream(), replicas=1)
    yield client
    await client.close()
    server.stop()


@pytest.mark.heavy
async def test_more_voters_than_a_subject_page_are_all_counted_and_read(private_nats: Client, uid: str) -> None:
    contest, voters = f"big-{uid}", SUBJECT_PAGE + 25
    js = private_nats.jetstream(publish_async_max_pending=4_000)
    for voter in range(voters):
        subject = subjects.vote_cast(contest, f"v{voter}")
        await js.publish_async(subject, b"{}", stream=subjects.VOTES_STREAM, wait_stall=30)
    await js.publish_async_completed()
    await js.publish(subjects.vote_cast(f"other-{uid}", "v0"), b"{}", stream=subjects.VOTES_STREAM)

    async with open_ledger(js, contest) as ledger:
        assert ledger.size == voters
        read = [msg.subject async for batch in ledger.batches(5_000) for msg in batch]
    assert len(read) == voters
    assert read[0].endswith(".v0")
    assert read[-1].endswith(f".v{voters - 1}")  # in stream order, and no other contest's ballot
