"""Votes per second one voting process sustains over RPC against a local nats-server.

Starts nats-server and one voting process (development keys), seeds an open contest through CATALOG, builds
`--count` tokens of distinct voters up front, then fires svc.voting.ballot.cast requests with at most `--concurrency`
in flight and reports accepted votes per second and latency percentiles. Every accepted vote is a JetStream
publish acknowledged by the server (file storage), as in production.

    .venv/bin/python -m bench.voting_rpc --count 20000 --concurrency 256
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

import nats
from nats.aio.client import Client

from veche_dev import devstack, factories
from veche_dev.eventually import eventually
from veche_shared.bus import declare_streams
from veche_shared.contracts.votes import CastVote
from veche_shared.errors import DomainError
from veche_shared.operations import voting as ops
from veche_shared.rpc import call

DEV_JWT_KEY = "dev-only-change-me-jwt-key-0123456789abcdef"


async def seed(nc: Client, contest: str) -> None:
    """An open contest with approved practice p-<contest> in nomination n."""
    await declare_streams(nc.jetstream(), 1)
    practices = {"n": [factories.practice(contest, f"p-{contest}")]}
    await factories.publish_catalog(nc, factories.catalog(factories.contest(contest), practices))


async def fire(nc: Client, commands: list[CastVote], concurrency: int) -> tuple[float, list[float], dict[str, int]]:
    gate = asyncio.Semaphore(concurrency)
    latencies: list[float] = []
    outcomes: dict[str, int] = {}

    async def one(command: CastVote) -> None:
        async with gate:
            started = time.perf_counter()
            try:
                await call(nc, ops.BALLOT_CAST, command, timeout=30)
                outcome = "accepted"
            except DomainError as exc:
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
    commands = [
        CastVote(
            contest=contest,
            nomination="n",
            practices=[f"p-{contest}"],
            client_ip=f"10.0.{i % 250}.{i % 7}",
            token=factories.token(contest, f"v{i}", key=DEV_JWT_KEY, ttl=3600),
        )
        for i in range(args.count + args.warmup)
    ]

    async def first_accepted() -> dict[str, int]:  # the service reads CATALOG live: refusals until it has
        return (await fire(nc, [commands.pop(0)], 1))[2]

    await eventually(first_accepted, {"accepted": 1}.__eq__, what="the contest known to voting", timeout=30)
    await fire(nc, commands[: args.warmup - 1], args.concurrency)  # warm-up: connections, caches
    cpu_before = cpu_seconds(voting_pid)
    measured = commands[args.warmup - 1 :]
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
