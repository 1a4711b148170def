"""Gateway policy against the running platform: device tokens, rate limits, stream limits, CORS, headers."""

import json
import uuid
from collections.abc import Iterator
from contextlib import ExitStack

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.live_helpers import admin_client, open_contest, running_platform, vote
from veche_dev import devstack
from veche_dev.demo_votes import solved_challenge
from veche_gateway.settings import DEV_DEVICE_TOKEN_KEY
from veche_shared import device_tokens

ADMIN_KEY = "e2e-policy-admin-key-not-a-secret"
CITY = "https://city.example"


@pytest.fixture(scope="module")
def platform(infra: dict[str, str]) -> Iterator[devstack.Platform]:
    """Tight limits (reads too); X-Forwarded-For trusted so that each test is a client address of its own."""
    with running_platform(
        infra,
        "policy",
        ADMIN_KEY,
        VECHE_GATEWAY_TRUSTED_PROXIES='["127.0.0.1"]',
        VECHE_GATEWAY_RATE_IP_READS=json.dumps({"burst": 10, "per_second": 0.001}),
        VECHE_GATEWAY_RATE_IP_WRITES=json.dumps({"burst": 4, "per_second": 0.001}),
        VECHE_GATEWAY_RATE_VOTER=json.dumps({"burst": 1, "per_second": 0.001}),
        VECHE_GATEWAY_SSE_MAX_PER_IP="2",
        VECHE_GATEWAY_CORS_ALLOW_ORIGINS=json.dumps([CITY]),
    ) as started:
        yield started


@pytest.fixture
def admin(platform: devstack.Platform) -> Iterator[httpx.Client]:
    with admin_client(platform, ADMIN_KEY) as client:
        yield client


@pytest.fixture
def client(platform: devstack.Platform) -> Iterator[httpx.Client]:
    """A public client with an address of its own."""
    ip = f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}"
    with httpx.Client(base_url=platform.url(), timeout=15, headers={"X-Forwarded-For": ip}) as c:
        yield c


def test_device_token_only_for_device_contests(client: httpx.Client, admin: httpx.Client, uid: str) -> None:
    open_contest(admin, f"dev-{uid}", identity_mode="device", device_difficulty=20)
    open_contest(admin, f"jwt-{uid}")
    altcha = solved_challenge(client, "", f"dev-{uid}")
    issued = client.post(f"/api/v1/contests/dev-{uid}/device-token", json={"altcha": altcha})
    assert issued.status_code == 201, issued.text
    device = device_tokens.verify(DEV_DEVICE_TOKEN_KEY, issued.json()["token"], f"dev-{uid}", leeway=0)
    assert device.startswith("dev_")
    refused = client.post(f"/api/v1/contests/jwt-{uid}/device-token", json={"altcha": altcha})
    assert (refused.status_code, refused.json()["code"]) == (409, "wrong_identity_mode")
    assert client.post(f"/api/v1/contests/none-{uid}/device-token", json={"altcha": altcha}).status_code == 404


def test_votes_are_limited_per_voter_and_per_address(client: httpx.Client, admin: httpx.Client, uid: str) -> None:
    contest = f"rate-{uid}"
    [practice] = open_contest(admin, contest)
    assert vote(client, contest, "n0", practice, "dora").status_code == 202
    again = vote(client, contest, "n0", practice, "dora")
    assert again.status_code == 429, "the voter's bucket is empty before the ledger says already voted"
    assert again.json()["code"] == "rate_limited"
    assert int(again.headers["retry-after"]) >= 1
    assert vote(client, contest, "n0", practice, "erin").status_code == 202
    assert vote(client, contest, "n0", practice, "fred").status_code == 202
    limited = vote(client, contest, "n0", practice, "gina")
    assert limited.status_code == 429
    assert "address" in limited.json()["detail"]
    assert client.get(f"/api/v1/contests/{contest}").status_code == 200, "reads have a bucket of their own"


def rate_limited(platform: devstack.Platform) -> dict[str, float]:
    """veche_gateway_rate_limited_total by limit, as the gateway's /metrics exposes it."""
    text = httpx.get(platform.metrics_url("veche_gateway"), timeout=10).text
    families = (f for f in text_string_to_metric_families(text) if f.name == "veche_gateway_rate_limited")
    return {s.labels["limit"]: s.value for f in families for s in f.samples if s.name.endswith("_total")}


def test_refusals_are_counted_by_limit(
    platform: devstack.Platform, client: httpx.Client, admin: httpx.Client, uid: str
) -> None:
    contest = f"count-{uid}"
    [practice] = open_contest(admin, contest)
    before = rate_limited(platform)
    assert vote(client, contest, "n0", practice, "hana").status_code == 202
    assert vote(client, contest, "n0", practice, "hana").status_code == 429
    assert [vote(client, contest, "n0", practice, v).status_code for v in ("ivan", "jana", "kira")] == [202, 202, 429]
    reads = [client.get(f"/api/v1/contests/{contest}").status_code for _ in range(11)]
    assert reads == [200] * 10 + [429]
    after = rate_limited(platform)
    assert {limit: after[limit] - before.get(limit, 0) for limit in after} == {
        "voter": 1,
        "address_writes": 1,
        "address_reads": 1,
        "sign_in": 0,  # its own limit (issue 26), not touched by votes and reads
    }


def test_streams_are_limited_per_address(
    platform: devstack.Platform, client: httpx.Client, admin: httpx.Client, uid: str
) -> None:
    contest = f"streams-{uid}"
    open_contest(admin, contest)
    path = f"/api/v1/contests/{contest}/nominations/n0/leaderboard/stream"
    with ExitStack() as open_streams:
        for _ in range(2):
            assert open_streams.enter_context(client.stream("GET", path)).status_code == 200
        refused = client.get(path)
        assert (refused.status_code, refused.json()["code"]) == (429, "too_many_streams")
        with httpx.Client(base_url=platform.url(), timeout=15) as elsewhere, elsewhere.stream("GET", path) as other:
            assert other.status_code == 200


def test_a_forged_leftmost_hop_does_not_make_a_new_address(
    platform: devstack.Platform, admin: httpx.Client, uid: str
) -> None:
    """A client that writes its own X-Forwarded-For still counts as the address the proxy appended."""
    contest = f"spoof-{uid}"
    open_contest(admin, contest)
    real = f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.7"
    path = f"/api/v1/contests/{contest}/nominations/n0/leaderboard/stream"
    with httpx.Client(base_url=platform.url(), timeout=15) as api, ExitStack() as open_streams:
        for forged in ("198.51.100.1", "198.51.100.2"):
            headers = {"X-Forwarded-For": f"{forged}, {real}"}
            assert open_streams.enter_context(api.stream("GET", path, headers=headers)).status_code == 200
        refused = api.get(path, headers={"X-Forwarded-For": f"198.51.100.3, {real}"})
        assert refused.status_code == 429, "the forged hop was taken as the client"


def test_ipv6_clients_share_the_limit_of_their_64(platform: devstack.Platform, admin: httpx.Client, uid: str) -> None:
    contest = f"six-{uid}"
    open_contest(admin, contest)
    prefix = f"2001:db8:{uuid.uuid4().int % 65536:x}:1"
    path = f"/api/v1/contests/{contest}/nominations/n0/leaderboard/stream"
    with httpx.Client(base_url=platform.url(), timeout=15) as api, ExitStack() as open_streams:
        for host in ("::1", "::2"):
            headers = {"X-Forwarded-For": f"{prefix}{host}"}
            assert open_streams.enter_context(api.stream("GET", path, headers=headers)).status_code == 200
        assert api.get(path, headers={"X-Forwarded-For": f"{prefix}::3"}).status_code == 429
        with api.stream("GET", path, headers={"X-Forwarded-For": "2001:db8:ffff:2::1"}) as other_line:
            assert other_line.status_code == 200


def test_cors_is_open_for_public_reads_only(client: httpx.Client, admin: httpx.Client, uid: str) -> None:
    contest = f"cors-{uid}"
    open_contest(admin, contest)
    board = f"/api/v1/contests/{contest}/nominations/n0/leaderboard"
    read = client.get(board, headers={"Origin": "https://news.example"})
    assert read.headers["access-control-allow-origin"] == "*"
    assert "ETag" in read.headers["access-control-expose-headers"]

    def preflight(path: str, origin: str, method: str = "POST") -> httpx.Response:
        headers = {"Origin": origin, "Access-Control-Request-Method": method}
        return client.options(path, headers=headers | {"Access-Control-Request-Headers": "authorization"})

    votes = f"/api/v1/contests/{contest}/nominations/n0/votes"
    stranger = preflight(votes, "https://evil.example")
    assert stranger.status_code == 403
    assert "access-control-allow-origin" not in stranger.headers
    allowed = preflight(votes, CITY)
    assert (allowed.status_code, allowed.headers["access-control-allow-origin"]) == (204, CITY)
    assert "Authorization" in allowed.headers["access-control-allow-headers"]
    assert preflight(board, "https://news.example", "GET").headers["access-control-allow-origin"] == "*"
    operator = admin.get(f"/contests/{contest}", headers={"Origin": "https://news.example"})
    assert operator.status_code == 200
    assert "access-control-allow-origin" not in operator.headers


def test_security_headers_allow_framing_only_for_embeds(client: httpx.Client) -> None:
    assert client.get("/").status_code == 302  # to the list of votes in the visitor's language
    page = client.get("/en/")
    assert page.status_code == 200
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    assert "script-src 'self';" in page.headers["content-security-policy"]
    assert page.headers["x-frame-options"] == "DENY"
    assert page.headers["x-content-type-options"] == "nosniff"
    assert client.get("/docs").headers["content-security-policy"] == page.headers["content-security-policy"]  # no CDN
    embed = client.get("/embed/contests/any/nominations/thing")
    assert embed.status_code == 200
    assert "frame-ancestors *" in embed.headers["content-security-policy"]
    assert "x-frame-options" not in embed.headers
    script = client.get("/embed.js", headers={"Origin": "https://news.example"})
    assert script.headers["content-type"].startswith("text/javascript")
    assert script.headers["access-control-allow-origin"] == "*"
    assert client.get("/embed/contests/bad.id/nominations/x").status_code == 422
