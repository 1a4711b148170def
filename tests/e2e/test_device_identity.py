"""Device mode against the running platform with TWO gateway processes: a token needs a solved ALTCHA challenge
used once, is issued only while voting is open and ends when the contest closes, and the per-address and
per-/64 issue limits hold across both replicas (their counters live in a NATS key-value bucket)."""

import base64
import json
import sys
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from tests.live_helpers import admin_client, ok, open_contest, running_platform
from veche_dev import devstack
from veche_dev.demo_votes import solved_challenge
from veche_gateway.settings import DEV_DEVICE_TOKEN_KEY
from veche_shared import device_tokens

ADMIN_KEY = "e2e-device-admin-key-not-a-secret"
PER_ADDRESS, PER_NETWORK = 3, 4


@pytest.fixture(scope="module")
def platform(infra: dict[str, str]) -> Iterator[devstack.Platform]:
    with running_platform(
        infra,
        "device",
        ADMIN_KEY,
        VECHE_GATEWAY_TRUSTED_PROXIES='["127.0.0.1"]',
        VECHE_GATEWAY_DEVICE_ISSUE_PER_ADDRESS=str(PER_ADDRESS),
        VECHE_GATEWAY_DEVICE_ISSUE_PER_NETWORK=str(PER_NETWORK),
        VECHE_GATEWAY_RATE_IP_WRITES=json.dumps({"burst": 1000, "per_second": 1000}),
    ) as started:
        yield started


@pytest.fixture(scope="module")
def second_gateway(platform: devstack.Platform) -> Iterator[str]:
    """Another replica of the gateway on the same NATS: it shares nothing with the first but the bus."""
    port = devstack.free_port()
    env = platform.env_for("veche_gateway") | {"VECHE_GATEWAY_HTTP_PORT": str(port)}
    process = devstack.spawn("gateway-2", [sys.executable, "-m", "veche_gateway"], platform.log_dir, env)
    try:
        devstack.wait_ready(f"http://127.0.0.1:{port}/readyz", process)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.stop()


@pytest.fixture
def admin(platform: devstack.Platform) -> Iterator[httpx.Client]:
    with admin_client(platform, ADMIN_KEY) as client:
        yield client


def clients(platform: devstack.Platform, second: str, address: str) -> tuple[httpx.Client, httpx.Client]:
    headers = {"X-Forwarded-For": address}
    return httpx.Client(base_url=platform.url(), headers=headers, timeout=15), httpx.Client(
        base_url=second, headers=headers, timeout=15
    )


def issue(client: httpx.Client, contest: str, altcha: str | None = None) -> httpx.Response:
    body = {"altcha": altcha or solved_challenge(client, "", contest)}
    return client.post(f"/api/v1/contests/{contest}/device-token", json=body)


def any_v4() -> str:
    n = uuid.uuid4().int
    return f"10.{n % 251}.{n // 251 % 251}.{n // 63001 % 251}"


def test_a_token_needs_a_solved_challenge_and_one_challenge_gives_one_token(
    platform: devstack.Platform, second_gateway: str, admin: httpx.Client, uid: str
) -> None:
    contest = f"pow-{uid}"
    closes = datetime.now(UTC) + timedelta(hours=2)
    open_contest(admin, contest, identity_mode="device", device_difficulty=50, closes_at=closes.isoformat())
    open_contest(admin, f"other-{uid}", identity_mode="device", device_difficulty=50)
    first, second = clients(platform, second_gateway, any_v4())
    with first, second:
        assert first.post(f"/api/v1/contests/{contest}/device-token", json={}).status_code == 422
        garbage = base64.b64encode(b'{"challenge": {}, "solution": {}}').decode()
        assert issue(first, contest, garbage).json()["code"] == "invalid_proof_of_work"
        elsewhere = solved_challenge(first, "", f"other-{uid}")
        assert issue(first, contest, elsewhere).status_code == 403, "a challenge names its contest"
        solved = solved_challenge(first, "", contest)
        issued = issue(first, contest, solved)
        assert issued.status_code == 201, issued.text
        # A retry (the answer lost in a fault, or a replay on another replica) gets the same token back, never a
        # second identity and never a refusal that would cost the voter their proof of work (issue 26).
        replayed = issue(second, contest, solved)
        assert (replayed.status_code, replayed.json()) == (201, issued.json()), replayed.text
    token = issued.json()["token"]
    assert device_tokens.verify(DEV_DEVICE_TOKEN_KEY, token, contest, leeway=0).startswith("dev_")
    expires = datetime.fromisoformat(issued.json()["expires_at"])
    assert expires <= closes, "a device token never outlives the contest"


def test_tokens_only_while_voting_is_open(
    platform: devstack.Platform, second_gateway: str, admin: httpx.Client, uid: str
) -> None:
    contest = f"shut-{uid}"
    open_contest(admin, contest, identity_mode="device", device_difficulty=50)
    first, second = clients(platform, second_gateway, any_v4())
    with first, second:
        solved = solved_challenge(first, "", contest)
        ok(admin.post(f"/contests/{contest}/phase", json={"phase": "voting_closed"}))
        refused = issue(first, contest, solved)
        assert (refused.status_code, refused.json()["code"]) == (409, "voting_not_open")
        assert first.get(f"/api/v1/contests/{contest}/device-challenge").status_code == 409


def test_the_address_limit_holds_across_replicas(
    platform: devstack.Platform, second_gateway: str, admin: httpx.Client, uid: str
) -> None:
    contest = f"addr-{uid}"
    open_contest(admin, contest, identity_mode="device", device_difficulty=50)
    first, second = clients(platform, second_gateway, any_v4())
    with first, second:
        answers = [issue(first if n % 2 else second, contest).status_code for n in range(PER_ADDRESS + 2)]
    third, fourth = clients(platform, second_gateway, any_v4())
    with third, fourth:
        other = issue(fourth, contest)
    assert answers == [201] * PER_ADDRESS + [429, 429], "each replica alone would have allowed more"
    assert other.status_code == 201, "another address keeps its own count"


def test_the_ipv6_network_limit_holds_across_addresses_and_replicas(
    platform: devstack.Platform, second_gateway: str, admin: httpx.Client, uid: str
) -> None:
    contest = f"net-{uid}"
    open_contest(admin, contest, identity_mode="device", device_difficulty=50)
    group = uuid.uuid4().int % 65000
    prefix = f"2001:db8:{group:x}:1"
    answers = []
    for host in range(PER_NETWORK + 1):  # a new address of the same /64 each time: the address limit never bites
        first, second = clients(platform, second_gateway, f"{prefix}::{host + 1:x}")
        with first, second:
            answer = issue(first if host % 2 else second, contest)
        answers.append(answer.status_code)
    assert answers == [201] * PER_NETWORK + [429]
    elsewhere, second = clients(platform, second_gateway, f"2001:db8:{group:x}:2::1")
    with elsewhere, second:
        assert issue(elsewhere, contest).status_code == 201, "the next /64 is another network"
