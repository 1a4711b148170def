"""The chaos run's clients: fresh voters through the load balancer, each voting in the single-choice nomination
n0 and the approval nomination n1 (a set of 1 to 3 practices), some retrying with the same Idempotency-Key, some
trying a second ballot. Every loop is bounded in attempts and time."""

import asyncio
import random
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import altcha
import httpx

from veche_dev.demo_votes import DEMO_KEY, voter_token

RETRY_FOR = 45.0  # seconds a client keeps retrying one request through a fault (same Idempotency-Key)
SINGLE, APPROVAL = "n0", "n1"  # the contest's single-choice nomination and its "choose up to 3" one
MAX_CHOICES = 3
Body = dict[str, str] | dict[str, list[str]]


@dataclass
class Tally:
    accepted: dict[str, str] = field(default_factory=dict)  # voter -> practice (n0)
    approved: dict[str, tuple[str, ...]] = field(default_factory=dict)  # voter -> the set of practices (n1)
    errors: Counter[str] = field(default_factory=Counter)  # client-visible failures by status
    retries_same_key_ok: int = 0
    second_refused: int = 0
    second_accepted: int = 0
    longest_outage: float = 0.0
    device_answers: Counter[str] = field(default_factory=Counter)  # every answer to POST .../device-token
    device_lost: int = 0  # device voters whose retried, solved challenge was refused (their proof of work lost)
    device_voted: int = 0
    receipts: dict[str, list[tuple[str, int]]] = field(default_factory=dict)  # nomination -> (leaf, ledger seq)


async def _send(
    client: httpx.AsyncClient, url: str, body: Body, headers: dict[str, str], t: Tally, answer: dict[str, Any]
) -> int:
    """POST until an answer that is not a fault (5xx, 429, no connection); the time until then is an outage.
    `answer` gets the JSON of an accepted one (its receipt)."""
    started, failed = time.monotonic(), False
    while True:
        try:
            got = await client.post(url, json=body, headers=headers)
            status = got.status_code
        except httpx.HTTPError as exc:
            status, name = 0, type(exc).__name__
        else:
            name = str(status)
        if status and status < 500 and status != 429:
            if failed:
                t.longest_outage = max(t.longest_outage, time.monotonic() - started)
            if status in (200, 202):
                answer.update(got.json())
            return status
        failed = True
        t.errors[name] += 1
        if time.monotonic() - started > RETRY_FOR:
            return status
        await asyncio.sleep(0.2)


async def voter(client: httpx.AsyncClient, base: str, contest: str, practices: dict[str, list[str]], t: Tally) -> None:
    name = f"chaos-{uuid.uuid4().hex[:12]}"
    auth = {"Authorization": f"Bearer {voter_token(DEMO_KEY, contest, name)}"}
    single = await ballot(client, f"{base}/api/v1/contests/{contest}", SINGLE, auth, practices[SINGLE], 1, t)
    if single is not None:
        t.accepted[name] = single[0]
    chosen = await ballot(
        client, f"{base}/api/v1/contests/{contest}", APPROVAL, auth, practices[APPROVAL], MAX_CHOICES, t
    )
    if chosen is not None:
        t.approved[name] = chosen


async def ballot(
    client: httpx.AsyncClient,
    api: str,
    nomination: str,
    auth: dict[str, str],
    practices: list[str],
    most: int,
    t: Tally,
) -> tuple[str, ...] | None:
    """One voter's ballot in one nomination (a set of 1 to `most`), maybe a same-key retry or a second ballot;
    the set if it was accepted, whose receipt the tally keeps."""
    url = f"{api}/nominations/{nomination}/votes"
    chosen = tuple(sorted(random.sample(practices, random.randint(1, most))))
    body: Body = {"practice": chosen[0]} if most == 1 else {"practices": list(chosen)}
    key, accepted, ignored = uuid.uuid4().hex, dict[str, Any](), dict[str, Any]()
    status = await _send(client, url, body, auth | {"Idempotency-Key": key}, t, accepted)
    if status not in (200, 202):
        t.errors[f"first:{status}"] += 1
        return None
    t.receipts.setdefault(nomination, []).append((accepted["receipt"]["leaf"], accepted["sequence"]))
    roll = random.random()
    if roll < 0.25:  # the client did not see the answer and sends the same request again
        again = await _send(client, url, body, auth | {"Idempotency-Key": key}, t, ignored)
        if again in (200, 202):
            t.retries_same_key_ok += 1
        else:
            t.errors[f"same-key retry answered {again}"] += 1
    elif roll < 0.5:  # a second ballot in the same nomination, whatever its set
        other = random.sample(practices, random.randint(1, most))
        second_body: Body = {"practice": other[0]} if most == 1 else {"practices": other}
        second = await _send(client, url, second_body, auth | {"Idempotency-Key": uuid.uuid4().hex}, t, ignored)
        t.second_refused += second == 409
        t.second_accepted += second in (200, 202)
    return chosen


async def device_voter(client: httpx.AsyncClient, base: str, contest: str, practices: list[str], t: Tally) -> None:
    """A new anonymous voter: one solved challenge, its payload sent again until an answer that is not a fault (as
    the public page's retry does), then a ballot with the token."""
    api = f"{base}/api/v1/contests/{contest}"
    challenge = None
    for _ in range(int(RETRY_FOR / 0.2)):
        try:
            answer = await client.get(f"{api}/device-challenge")
            if answer.status_code == 200:
                challenge = answer.json()
                break
        except httpx.HTTPError:
            pass
        await asyncio.sleep(0.2)
    if challenge is None:
        t.errors["device-challenge never answered"] += 1
        return
    solved = await asyncio.to_thread(solve, challenge)
    status, token = await _issue(client, f"{api}/device-token", {"altcha": solved}, t)
    if status == 403:
        t.device_lost += 1
    if status != 201:
        return
    auth = {"Authorization": f"Bearer {token}", "Idempotency-Key": uuid.uuid4().hex}
    body = {"practice": random.choice(practices)}
    voted = await _send(client, f"{api}/nominations/n0/votes", body, auth, t, {})
    t.device_voted += voted in (200, 202)


async def _issue(client: httpx.AsyncClient, url: str, body: dict[str, str], t: Tally) -> tuple[int, str]:
    """The same solved payload until an answer that is not a fault; every answer counted by status."""
    started = time.monotonic()
    while True:
        try:
            answer = await client.post(url, json=body)
        except httpx.HTTPError as exc:
            t.device_answers[type(exc).__name__] += 1
            status, token = 0, ""
        else:
            status = answer.status_code
            t.device_answers[str(status)] += 1
            token = answer.json().get("token", "") if status == 201 else ""
        if (status and status < 500 and status != 429) or time.monotonic() - started > RETRY_FOR:
            return status, token
        await asyncio.sleep(0.2)


def solve(challenge: dict[str, object]) -> str:
    made = altcha.Challenge.from_dict(challenge)
    solution = altcha.solve_challenge(made)
    if solution is None:
        raise RuntimeError("the device challenge was not solved")
    return str(altcha.Payload(made, solution).to_base64())


async def storm(
    base: str,
    contest: str,
    practices: dict[str, list[str]],
    stop: asyncio.Event,
    most: int,
    t: Tally,
    parallel: int = 12,
    device: tuple[str, list[str]] | None = None,
) -> None:
    """Fresh voters, `parallel` at a time, until stop is set or `most` have voted; with a device contest, every
    third voter is an anonymous one of it."""
    started = 0
    async with httpx.AsyncClient(timeout=10) as client:

        async def worker() -> None:
            nonlocal started
            while not stop.is_set() and started < most:
                started += 1
                if device is not None and started % 3 == 0:
                    await device_voter(client, base, device[0], device[1], t)
                else:
                    await voter(client, base, contest, practices, t)

        await asyncio.gather(*(worker() for _ in range(parallel)))
