"""The chaos run's clients: fresh voters through the load balancer, some retrying with the same
Idempotency-Key, some trying a second ballot. Every loop is bounded in attempts and time."""

import asyncio
import random
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field

import httpx

from veche_dev.demo_votes import DEMO_KEY, voter_token

RETRY_FOR = 45.0  # seconds a client keeps retrying one request through a fault (same Idempotency-Key)


@dataclass
class Tally:
    accepted: dict[str, str] = field(default_factory=dict)  # voter -> practice
    errors: Counter[str] = field(default_factory=Counter)  # client-visible failures by status
    retries_same_key_ok: int = 0
    second_refused: int = 0
    second_accepted: int = 0
    longest_outage: float = 0.0


async def _send(client: httpx.AsyncClient, url: str, body: dict[str, str], headers: dict[str, str], t: Tally) -> int:
    """POST until an answer that is not a fault (5xx, 429, no connection); the time until then is an outage."""
    started, failed = time.monotonic(), False
    while True:
        try:
            status = (await client.post(url, json=body, headers=headers)).status_code
        except httpx.HTTPError as exc:
            status, name = 0, type(exc).__name__
        else:
            name = str(status)
        if status and status < 500 and status != 429:
            if failed:
                t.longest_outage = max(t.longest_outage, time.monotonic() - started)
            return status
        failed = True
        t.errors[name] += 1
        if time.monotonic() - started > RETRY_FOR:
            return status
        await asyncio.sleep(0.2)


async def voter(client: httpx.AsyncClient, base: str, contest: str, practices: list[str], t: Tally) -> None:
    name = f"chaos-{uuid.uuid4().hex[:12]}"
    practice, key = random.choice(practices), uuid.uuid4().hex
    auth = {"Authorization": f"Bearer {voter_token(DEMO_KEY, contest, name)}"}
    url = f"{base}/api/v1/contests/{contest}/nominations/n0/votes"
    status = await _send(client, url, {"practice": practice}, auth | {"Idempotency-Key": key}, t)
    if status not in (200, 202):
        t.errors[f"first:{status}"] += 1
        return
    t.accepted[name] = practice
    roll = random.random()
    if roll < 0.25:  # the client did not see the answer and sends the same request again
        again = await _send(client, url, {"practice": practice}, auth | {"Idempotency-Key": key}, t)
        if again in (200, 202):
            t.retries_same_key_ok += 1
        else:
            t.errors[f"same-key retry answered {again}"] += 1
    elif roll < 0.5:  # a second ballot in the same nomination
        other = random.choice(practices)
        second = await _send(client, url, {"practice": other}, auth | {"Idempotency-Key": uuid.uuid4().hex}, t)
        t.second_refused += second == 409
        t.second_accepted += second in (200, 202)


async def storm(
    base: str, contest: str, practices: list[str], stop: asyncio.Event, most: int, t: Tally, parallel: int = 12
) -> None:
    """Fresh voters, `parallel` at a time, until stop is set or `most` have voted."""
    started = 0
    async with httpx.AsyncClient(timeout=10) as client:

        async def worker() -> None:
            nonlocal started
            while not stop.is_set() and started < most:
                started += 1
                await voter(client, base, contest, practices, t)

        await asyncio.gather(*(worker() for _ in range(parallel)))
