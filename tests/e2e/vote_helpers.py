"""Waiting for ballots to show on a leaderboard of the running platform."""

from typing import Any

import httpx
import nats

from veche_dev.eventually import eventually_sync
from veche_shared import subjects


def wait_for_votes(api: httpx.Client, path: str, expected: int) -> dict[str, Any]:
    """The leaderboard at `path` once it shows `expected` votes."""
    answer = eventually_sync(
        lambda: api.get(path),
        lambda got: got.status_code == 200 and got.json()["total_votes"] == expected,
        what=f"{expected} votes on the leaderboard",
        timeout=15,
    )
    board: dict[str, Any] = answer.json()
    return board


async def ballots_in_ledger(nats_url: str, contest: str) -> int:
    nc = await nats.connect(nats_url)
    try:
        ballots = subjects.contest_ballots(contest)
        info = await nc.jetstream().stream_info(subjects.VOTES_STREAM, subjects_filter=ballots)
    finally:
        await nc.close()
    return sum((info.state.subjects or {}).values())
