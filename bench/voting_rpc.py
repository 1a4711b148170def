"""Votes per second one voting process sustains over RPC against a local nats-server.

Starts nats-server and one voting process (development keys), seeds an open contest through CATALOG, builds
`--count` tokens of distinct voters up front, then fires svc.voting.cast requests with at most `--concurrency`
in flight and reports accepted votes per second and latency percentiles. Every accepted vote is a JetStream
publish acknowledged by the server (file storage), as in production.

    .venv/bin/python bench/voting_rpc.py --count 20000 --concurrency 256
"""

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

import jwt
import nats
from nats.aio.client import Client

from veche_dev import devstack
from veche_shared import subjects
from veche_shared.bus import declare_streams
from veche_shared.contracts.catalog import (
    Contest,
    ContestEvent,
    Nomination,
    NominationEvent,
    Phase,
    Practice,
    PracticeEvent,
    PracticeStatus,
)
from veche_shared.contracts.common import Localized
from veche_shared.contracts.votes import CastVote
from veche_shared.rpc import RpcError, call

DEV_JWT_KEY = "dev-only-change-me-jwt-key-0123456789abcdef"


async def seed(nc: Client, contest: str) -> None:
    js = nc.jetstream()
    await declare_streams(js, 1)
    title = Localized(en="bench")
    events = [
        (
            "nomination",
            NominationEvent(type="NominationCreated", nomination=Nomination(id="n", contest=contest, title=title)),
        ),
        (
            "practice",
            PracticeEvent(
                type="PracticeApproved",
                practice=Practice(
                    id=f"p-{contest}",
                    contest=contest,
                    nomination="n",
                    municipality="m",
                    title="P",
                    status=PracticeStatus.approved,
                ),
            ),
        ),
        (
            "contest",
            ContestEvent(type="ContestCreated", contest=Contest(id=contest, title=title, phase=Phase.voting_open)),
        ),
    ]
    for entity, event in events:
        await js.publish(subjects.catalog_event(entity, contest), event.model_dump_json().encode())


async def fire(nc: Client, commands: list[CastVote], concurrency: int) -> tuple[float, list[float], dict[str, int]]:
    gate = asyncio.Semaphore(concurrency)
    latencies: list[float] = []
    outcomes: dict[str, int] = {}

    async def one(command: CastVote) -> None:
        async with gate:
            started = time.perf_counter()
            try:
                await call(nc, subjects.rpc("voting", "cast"), command, timeout=30)
                outcome = "accepted"
            except RpcError as exc:
                outcome = exc.code
            latencies.append(time.perf_counter() - started)
            outcomes[outcome] = outcomes.get(outcome, 0) + 1

    started = time.perf_counter()
    await asyncio.gather(*(one(c) for c in commands))
    return time.perf_counter() - started, latencies, outcomes


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def bench(nats_url: str, voting_pid: int, args: argparse.Namespace) -> None:
    nc = await nats.connect(nats_url)
    contest = f"bench-{uuid.uuid4().hex[:8]}"
    await seed(nc, contest)
    exp = int(time.time()) + 3600
    commands = [
        CastVote(
            contest=contest,
            nomination="n",
            practice=f"p-{contest}",
            client_ip=f"10.0.{i % 250}.{i % 7}",
            token=jwt.encode({"sub": f"v{i}", "aud": contest, "exp": exp}, DEV_JWT_KEY, algorithm="HS256"),
        )
        for i in range(args.count + args.warmup)
    ]
    while (await fire(nc, commands[:1], 1))[2] != {"accepted": 1}:  # the service reads CATALOG live
        commands.pop(0)
        await asyncio.sleep(0.05)
    await fire(nc, commands[1 : args.warmup], args.concurrency)  # warm-up: connections, caches
    cpu_before = cpu_seconds(voting_pid)
    measured = commands[args.warmup :]
    elapsed, latencies, outcomes = await fire(nc, measured, args.concurrency)
    cpu = cpu_seconds(voting_pid) - cpu_before
    await nc.close()
    q = statistics.quantiles(latencies, n=100)
    print(
        f"{len(measured)} casts, concurrency {args.concurrency}: {elapsed:.2f} s, "
        f"{outcomes.get('accepted', 0) / elapsed:.0f} accepted votes/s; outcomes {outcomes}"
    )
    print(f"latency ms: p50 {q[49] * 1000:.1f}  p95 {q[94] * 1000:.1f}  p99 {q[98] * 1000:.1f}")
    print(
        f"voting process CPU: {cpu:.2f} s ({cpu / elapsed:.0%} of a core), "
        f"{len(measured) / cpu:.0f} casts per CPU-second"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=20_000)
    parser.add_argument("--warmup", type=int, default=1_000)
    parser.add_argument("--concurrency", type=int, default=256)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="veche-bench-") as folder:
        base = Path(folder)
        port, http_port = devstack.free_port(), devstack.free_port()
        nats_process = devstack.start_nats(port, base / "nats", base / "logs")
        nats_url = f"nats://127.0.0.1:{port}"
        env = os.environ | {
            "VECHE_VOTING_NATS_URL": nats_url,
            "VECHE_VOTING_HTTP_PORT": str(http_port),
            "VECHE_VOTING_LOG_LEVEL": "WARNING",
        }
        voting = devstack.spawn("voting", [sys.executable, "-m", "veche_voting"], base / "logs", env)
        try:
            devstack.wait_ready(f"http://127.0.0.1:{http_port}/readyz", voting)
            asyncio.run(bench(nats_url, voting.popen.pid, args))
        finally:
            voting.stop()
            nats_process.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
