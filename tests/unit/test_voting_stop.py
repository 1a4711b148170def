"""A stopping voting process lets its in-flight casts finish, but a subscription's drain that never ends (nats-py
waits for every queued message to be marked done) no longer holds the process for good."""

import asyncio
import logging

import pytest

from veche_voting.app import drained


async def test_a_drain_that_ends_is_awaited_whole() -> None:
    done: list[str] = []

    async def drain() -> None:
        await asyncio.sleep(0.01)
        done.append("drained")

    await drained(drain, 5)
    assert done == ["drained"]


async def test_a_drain_that_never_ends_is_given_up_at_its_bound(caplog: pytest.LogCaptureFixture) -> None:
    never = asyncio.Event()

    async def drain() -> None:
        await never.wait()

    with caplog.at_level(logging.WARNING, logger="veche.voting"):
        await drained(drain, 0.05)
    assert "stopping without them" in caplog.text
