"""Helpers of the live and web tests: a contest opened through the admin API, votes, SSE parsing."""

import contextlib
import functools
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx

from tests.provisioning import fresh_bus
from tests.sync import run
from veche_dev import devstack
from veche_dev.demo_votes import DEMO_KEY, voter_token
from veche_dev.devkeys import operator_keys_env


def ok(answer: httpx.Response) -> Any:
    """The JSON of a successful answer (an object or a list)."""
    assert answer.status_code in (200, 201), answer.text
    return answer.json()


def open_contest(
    admin: httpx.Client,
    contest: str,
    *,
    identity_mode: str = "jwt",
    visibility: str = "live",
    nominations: int = 1,
    pending: int = 0,
    **settings: object,
) -> list[str]:
    """A contest in voting_open with one approved practice per nomination (and `pending` practices left
    unmoderated in the first one); returns the approved practices' ids. `settings` are more contest fields."""
    title = {"en": f"Contest {contest}", "ru": f"Конкурс {contest}"}
    body = {"id": contest, "title": title, "identity_mode": identity_mode, "visibility": visibility} | settings
    ok(admin.post("/contests", json=body))
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
        assert ok(admin.post(f"/contests/{contest}/practices", json=body))["status"] == "pending"
        assert ok(admin.post(f"/practices/{practice}/approve", json={}))["status"] == "approved"
        practices.append(practice)
    for number in range(pending):  # one practice per municipality and nomination: a town of its own each
        town = {"id": f"town{number}-{contest}", "name": {"en": f"Town {number} {contest}"}, "country": "RU"}
        ok(admin.post("/municipalities", json=town | {"lat": 57.6, "lon": 39.9}))
        body = {"id": f"pending{number}-{contest}", "nomination": "n0", "municipality": town["id"], "title": "Later"}
        ok(admin.post(f"/contests/{contest}/practices", json=body, headers={"X-Request-Id": f"submit-{contest}"}))
    ok(admin.post(f"/contests/{contest}/phase", json={"phase": "submissions_open"}))
    assert ok(admin.post(f"/contests/{contest}/phase", json={"phase": "voting_open"}))["phase"] == "voting_open"
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


@contextlib.contextmanager
def running_platform(
    infra: dict[str, str], name: str, admin_key: str, observer_key: str | None = None, **env: str
) -> Iterator[devstack.Platform]:
    """Every service as a real process, with databases and a consumer of its own, operator keys and extra env."""
    run = uuid.uuid4().hex[:8]
    platform = devstack.Platform(infra["nats_url"], infra["mongodb_url"], Path(infra["logs"]))
    keys = [(f"{name}-admin", "admin", admin_key)] + (
        [(f"{name}-observer", "observer", observer_key)] if observer_key else []
    )
    platform.extra_env = operator_keys_env(keys) | {
        "VECHE_SUBMISSIONS_DATABASE": f"submissions_{name}{run}",
        "VECHE_RESULTS_DATABASE": f"results_{name}{run}",
        "VECHE_RESULTS_CONSUMER": f"results-{name}{run}",
        **env,
    }
    platform.start_all()
    try:
        yield platform
    finally:
        platform.stop_all()


class SharedPlatform:
    """The one folder-wide platform running now, instead of one platform per test module: the first module of a
    folder that asks for it starts it on new streams, the folder's next modules reuse it and keep apart by contest
    ids, and it stops when a module needs the bus for services of its own (tests/conftest.py fresh_streams), when
    another folder's platform starts, or with the session's nats-server. Two platforms never run at once: their
    services would answer each other's requests."""

    def __init__(self) -> None:
        self.name: str | None = None
        self.platform: devstack.Platform | None = None
        self.stack = contextlib.ExitStack()

    def use(
        self, infra: dict[str, str], name: str, admin_key: str, observer_key: str | None = None, **env: str
    ) -> devstack.Platform:
        if self.platform is None or self.name != name:
            self.stop()
            run(fresh_bus(infra["harness_url"]))
            self.platform = self.stack.enter_context(running_platform(infra, name, admin_key, observer_key, **env))
            self.name = name
        return self.platform

    def stop(self) -> None:
        self.stack.close()
        self.name, self.platform = None, None


SHARED = SharedPlatform()


@contextlib.contextmanager
def admin_client(platform: devstack.Platform, admin_key: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=f"{platform.url()}/api/v1/admin", timeout=15, headers={"X-API-Key": admin_key}) as c:
        yield c
