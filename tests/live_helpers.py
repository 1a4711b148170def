"""Helpers of the live and web tests: a contest opened through the admin API, votes, SSE parsing."""

import functools
import time
from collections.abc import Iterator

import httpx

from veche_gateway.cli import DEMO_KEY, voter_token


def ok(answer: httpx.Response) -> dict:
    assert answer.status_code in (200, 201), answer.text
    return answer.json()


def open_contest(
    admin: httpx.Client, contest: str, *, identity_mode: str = "jwt", visibility: str = "live", nominations: int = 1
) -> list[str]:
    """A contest in voting_open with one approved practice per nomination; returns the practice ids."""
    title = {"en": f"Contest {contest}", "ru": f"Конкурс {contest}"}
    ok(
        admin.post(
            "/contests", json={"id": contest, "title": title, "identity_mode": identity_mode, "visibility": visibility}
        )
    )
    city = f"city-{contest}"
    ok(
        admin.post(
            "/municipalities",
            json={
                "id": city,
                "name": {"en": f"Perm {contest}", "ru": f"Пермь {contest}"},
                "country": "RU",
                "lat": 58.0105,
                "lon": 56.2502,
            },
        )
    )
    practices = []
    for number in range(nominations):
        nomination = f"n{number}"
        names = {"en": f"Nomination {number}", "ru": f"Номинация {number}"}
        ok(admin.post(f"/contests/{contest}/nominations", json={"id": nomination, "title": names}))
        practice = f"p{number}-{contest}"
        body = {"id": practice, "nomination": nomination, "municipality": city, "title": f"Practice {number}"}
        ok(admin.post(f"/contests/{contest}/practices", json=body))
        ok(admin.post(f"/practices/{practice}/approve", json={}))
        practices.append(practice)
    ok(admin.post(f"/contests/{contest}/phase", json={"phase": "submissions_open"}))
    ok(admin.post(f"/contests/{contest}/phase", json={"phase": "voting_open"}))
    return practices


@functools.cache
def token_of(contest: str, voter: str) -> str:
    """One token per voter: a token made again a second later differs, and the gateway keys limits by token."""
    return voter_token(DEMO_KEY, contest, voter)


def vote(api: httpx.Client, contest: str, nomination: str, practice: str, voter: str) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token_of(contest, voter)}"}
    return api.post(
        f"/api/v1/contests/{contest}/nominations/{nomination}/votes", json={"practice": practice}, headers=headers
    )


def wait_until(check, what: str, timeout: float = 20.0):  # type: ignore[no-untyped-def]
    """check() until it returns something truthy; the deadline only bounds a failure."""
    deadline = time.monotonic() + timeout
    while not (result := check()):
        if time.monotonic() > deadline:
            raise AssertionError(f"never saw {what}")
        time.sleep(0.05)
    return result


def sse_blocks(response: httpx.Response) -> Iterator[dict[str, str]]:
    """The blocks of an event stream as {field: value}; a comment line gives {"comment": text}."""
    block: dict[str, str] = {}
    for line in response.iter_lines():
        if not line:
            if block:
                yield block
            block = {}
        elif line.startswith(":"):
            block["comment"] = line[1:].strip()
        else:
            name, _, value = line.partition(":")
            block[name] = value.removeprefix(" ")
