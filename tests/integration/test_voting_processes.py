"""Two voting service processes in one queue group: one ballot per voter however the attempts are spread."""

import asyncio
import os
import re
import sys
import urllib.request
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path

import pytest
from nats.aio.client import Client
from nats.aio.msg import Msg

from tests.gateway_helpers import in_process_gateway
from tests.voting_helpers import ballots_in_ledger, cast, seed, token
from veche_dev import devstack
from veche_dev.factories import operator_key
from veche_gateway.settings import GatewaySettings
from veche_shared import subjects
from veche_shared.contracts.ops import ServiceStatus
from veche_shared.errors import DomainError
from veche_shared.status import gather_instances

DEV_JWT_KEY = "dev-only-change-me-jwt-key-0123456789abcdef"  # the processes run with the development keys
ATTEMPTS = 200
OPS_KEY = "replicas-observer-key"


@pytest.fixture
def start_voting(infra: dict[str, str], tmp_path: Path) -> Iterator[Callable[[], int]]:
    """Starts voting processes; each is ready only once it has read CATALOG up to its start."""
    processes: list[devstack.Process] = []

    def start() -> int:
        port = devstack.free_port()
        env = os.environ | {
            "VECHE_VOTING_NATS_URL": infra["nats_url"],
            "VECHE_VOTING_HTTP_PORT": str(port),
            "VECHE_VOTING_ENVIRONMENT": "test",
        }
        argv = [sys.executable, "-m", "veche_voting"]
        process = devstack.spawn(f"voting-{tmp_path.name}-{len(processes)}", argv, Path(infra["logs"]), env)
        processes.append(process)
        devstack.wait_ready(f"http://127.0.0.1:{port}/readyz", process)
        return port

    yield start
    for process in processes:
        process.stop()


def answered(port: int) -> float:
    """Casts this process answered, accepted or refused, from its /metrics."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as page:
        text = page.read().decode()
    pattern = r"^veche_votes_(?:accepted|refused)_total\{[^}]*\} ([0-9.e+]+)$"
    return sum(float(v) for v in re.findall(pattern, text, re.MULTILINE))


async def test_concurrent_attempts_over_two_processes_give_one_ballot(
    start_voting: Callable[[], int], nc: Client, uid: str
) -> None:
    seeded = await seed(nc, f"c-{uid}")
    voter = token(seeded.contest, f"voter-{uid}", key=DEV_JWT_KEY)
    two_processes = [start_voting(), start_voting()]  # both have read the seeded catalog when ready

    async def attempt() -> str:
        try:
            return (await cast(nc, seeded, voter)).status
        except DomainError as exc:
            return exc.code

    outcomes = Counter(await asyncio.gather(*(attempt() for _ in range(ATTEMPTS))))

    assert outcomes == {"accepted": 1, "already_voted": ATTEMPTS - 1}
    assert await ballots_in_ledger(nc, seeded.contest) == 1
    spread = [answered(port) for port in two_processes]
    assert sum(spread) == ATTEMPTS
    assert all(n > 0 for n in spread), f"one process answered every attempt: {spread}"


async def test_ops_overview_lists_both_voting_processes(
    start_voting: Callable[[], int], infra: dict[str, str], nc: Client, uid: str
) -> None:
    """Each replica answers svc.voting.health.instances, so the operators' overview shows both, not one."""
    seeded = await seed(nc, f"c-{uid}")
    start_voting(), start_voting()
    observer = operator_key("watch", "observer", OPS_KEY)
    async with in_process_gateway(GatewaySettings(nats_url=infra["nats_url"], operator_keys=[observer])) as gw:
        address = f"/api/v1/admin/contests/{seeded.contest}/ops"
        answer = await gw.client.get(address, headers={"X-API-Key": OPS_KEY})
        again = await gw.client.get(address, headers={"X-API-Key": OPS_KEY})  # ends once both have answered
    assert answer.status_code == 200, answer.text
    voting = [s for s in answer.json()["services"] if s["service"] == "voting"]
    assert len(voting) == 2, voting
    assert all(s["ready"] and s["instance"].startswith("voting-") for s in voting)
    assert voting[0]["instance"] != voting[1]["instance"]
    listed_again = [s["instance"] for s in again.json()["services"] if s["service"] == "voting"]
    assert listed_again == [s["instance"] for s in voting]


async def test_a_round_of_instances_ends_once_the_known_ones_answered(nc: Client, uid: str) -> None:
    """The overview waits only for the instances it knows (veche_shared.status.Roster): one answering a second later
    is not waited for, though the 30 s deadline would have let it in."""
    service = f"replicas-{uid}"
    late_replied = asyncio.Event()

    def replica(name: str, delay: float) -> Callable[[Msg], Awaitable[None]]:
        async def reply(msg: Msg) -> None:
            await asyncio.sleep(delay)
            status = ServiceStatus(service=service, ready=True, checks={}, uptime_seconds=1, instance=name)
            await nc.publish(msg.reply, status.model_dump_json().encode())
            if delay:
                late_replied.set()

        return reply

    replicas = [("a", 0.0), ("b", 0.0), ("late", 1.0)]
    subs = [await nc.subscribe(subjects.health_instances(service), cb=replica(n, d)) for n, d in replicas]
    try:
        found = await gather_instances(nc, service, 30, expected={"a", "b"})
        await late_replied.wait()
        assert [s.instance for s in found] == ["a", "b"]
    finally:
        for sub in subs:
            await sub.unsubscribe()
