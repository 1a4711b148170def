"""The OpenAPI document against the running platform: schemathesis with every check finds nothing, and bodies
are limited by the bytes a real server receives. `make test` runs the short form (the coverage phase, with an
operator key: about 1,600 requests); `make api-contract` (VECHE_SCHEMATHESIS_FULL=1) every phase with and
without a key."""

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.live_helpers import admin_client, ok, running_platform
from veche_dev import devstack

ADMIN_KEY = "e2e-schemathesis-admin-key-not-a-secret"
CONFIG = Path(__file__).with_name("schemathesis.toml")
FULL = os.environ.get("VECHE_SCHEMATHESIS_FULL") == "1"
PHASES = ["--max-examples", "10"] if FULL else ["--phases", "coverage"]  # coverage: every method, boundaries
RUNS = {"with-operator-key": True, "without-key": False} if FULL else {"with-operator-key": True}
OPEN = json.dumps({"burst": 1_000_000, "per_second": 100_000})  # the fuzzer is one address sending thousands


@pytest.fixture(scope="module")
def platform(infra: dict[str, str]) -> Iterator[devstack.Platform]:
    limits = {
        f"VECHE_GATEWAY_RATE_{name}": OPEN for name in ("IP_READS", "IP_WRITES", "VOTER", "OPERATOR_KEY_FAILURES")
    }
    with running_platform(infra, "schemathesis", ADMIN_KEY, **limits) as started:
        with admin_client(started, ADMIN_KEY) as admin:
            seed(admin)
        yield started


def seed(admin: httpx.Client) -> None:
    """The contest of the document's examples (forum-2018, peoples-diplomacy, perm), open for votes, so that the
    fuzzer reaches real resources and not only 404s."""
    title = {"en": "Forum 2018", "ru": "Форум 2018"}
    ok(admin.post("/contests", json={"id": "forum-2018", "title": title, "identity_mode": "device"}))
    name = {"en": "Perm", "ru": "Пермь"}
    ok(admin.post("/municipalities", json={"id": "perm", "name": name, "country": "RU", "lat": 58.0, "lon": 56.2}))
    ok(admin.post("/contests/forum-2018/nominations", json={"id": "peoples-diplomacy", "title": title}))
    practice = {"id": "perm-peoples-diplomacy", "nomination": "peoples-diplomacy", "municipality": "perm"}
    ok(admin.post("/contests/forum-2018/practices", json=practice | {"title": "People's diplomacy"}))
    ok(admin.post("/practices/perm-peoples-diplomacy/approve", json={}))
    for phase in ("submissions_open", "voting_open"):
        ok(admin.post("/contests/forum-2018/phase", json={"phase": phase}))


@pytest.mark.timeout(1800)
@pytest.mark.parametrize("operator", list(RUNS.values()), ids=list(RUNS))
def test_schemathesis_with_every_check_finds_nothing(
    platform: devstack.Platform, operator: bool, tmp_path: Path
) -> None:
    argv = [str(Path(sys.executable).with_name("schemathesis")), "--no-color", "--config-file", str(CONFIG), "run",
            f"{platform.url()}/openapi.json", "--checks", "all", *PHASES, "--workers", "1", "--seed", "1"]  # fmt: skip
    if operator:
        argv += ["--header", f"X-API-Key: {ADMIN_KEY}"]
    # its cache of failures (.schemathesis/) goes to the test's folder, not the repository
    run = subprocess.run(argv, capture_output=True, text=True, timeout=1780, check=False, cwd=tmp_path)
    summary = run.stdout[run.stdout.rfind("SUMMARY") :]
    failures = re.search(r"(\d+) failures?", summary)
    found = run.stdout[run.stdout.find("FAILURES") :][:12_000]  # the failures themselves, then the summary
    assert run.returncode == 0, f"{failures.group(0) if failures else 'failed'}:\n{found}\n{summary}{run.stderr}"


def test_chunked_bodies_are_limited_by_the_bytes_received(platform: devstack.Platform) -> None:
    """Through uvicorn: no Content-Length, so only counting what arrives can stop the body (64 KiB by default)."""

    def chunks() -> Iterator[bytes]:
        yield b'{"practice": "'
        for _ in range(100):
            yield b"x" * 1024

    with httpx.Client(base_url=platform.url(), timeout=15) as client:
        votes = "/api/v1/contests/forum-2018/nominations/peoples-diplomacy/votes"
        refused = client.post(votes, content=chunks(), headers={"Content-Type": "application/json"})
        assert refused.request.headers["transfer-encoding"] == "chunked"
        assert (refused.status_code, refused.json()["code"]) == (413, "body_too_large"), refused.text
        assert refused.json()["request_id"] == refused.headers["x-request-id"]
        assert refused.headers["x-content-type-options"] == "nosniff"
        keyless = client.post("/api/v1/admin/contests", content=chunks(), headers={"Content-Type": "application/json"})
        assert (keyless.status_code, keyless.json()["code"]) == (401, "unauthenticated")  # the key before the body
