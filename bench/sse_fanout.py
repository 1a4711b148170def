"""How many SSE clients one gateway process holds: N streams, one snapshot, time until every client has it.

    .venv/bin/python bench/sse_fanout.py --clients 2000 --rounds 5

Starts its own nats-server and one gateway process (no other service is needed: the board is fed by
publishing LeaderboardChanged, as the results service does). Prints the gateway's memory and fan-out times.
"""

import argparse
import asyncio
import json
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import nats

from veche_shared import devstack, subjects
from veche_shared.contracts.results import LeaderboardChanged, LeaderboardEntry

PATH = "/api/v1/contests/bench/nominations/n/leaderboard/stream"


def snapshot(version: int) -> bytes:
    entries = [
        LeaderboardEntry(
            practice=f"p{i}",
            title=f"Practice {i}",
            municipality=f"m{i}",
            municipality_name={"en": "M"},
            votes=version + i,
            share=0.1,
            rank=i + 1,
        )
        for i in range(10)
    ]
    board = LeaderboardChanged(
        contest="bench",
        nomination="n",
        visible=True,
        total_votes=version * 10,
        entries=entries,
        version=version,
        updated_at=datetime.now(UTC),
    )
    return board.model_dump_json().encode()


async def client(port: int, seen: list[float], ready: asyncio.Event) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(f"GET {PATH} HTTP/1.1\r\nHost: bench\r\nAccept: text/event-stream\r\n\r\n".encode())
    await writer.drain()
    while True:
        line = await reader.readline()
        if not line:
            return
        if line.startswith(b"id: "):
            version = int(line[4:])
            if version > 1:
                seen.append(time.perf_counter())
            else:
                ready.set()


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def bench(clients: int, rounds: int) -> None:
    base = Path(tempfile.mkdtemp(prefix="veche-bench-"))
    nats_port = devstack.free_port()
    nats_process = devstack.start_nats(nats_port, base / "nats", base / "logs")
    platform = devstack.Platform(f"nats://127.0.0.1:{nats_port}", "mongodb://127.0.0.1:1/", base / "logs")
    platform.extra_env = {
        "VECHE_GATEWAY_SSE_MAX_PER_IP": str(clients + 10),
        "VECHE_GATEWAY_RATE_IP_READS": json.dumps({"burst": clients + 10, "per_second": 1000}),
        "VECHE_GATEWAY_LOG_LEVEL": "WARNING",
    }
    gateway = platform.start("veche_gateway")
    nc = await nats.connect(f"nats://127.0.0.1:{nats_port}")
    subject = subjects.live_leaderboard("bench", "n")
    try:
        await nc.publish(subject, snapshot(1))
        await nc.flush()
        await asyncio.sleep(0.5)
        idle_mb = rss_mb(gateway.popen.pid)
        readies = [asyncio.Event() for _ in range(clients)]
        arrivals: list[list[float]] = [[] for _ in range(clients)]
        port = platform.ports["veche_gateway"]
        tasks = [asyncio.create_task(client(port, arrivals[i], readies[i])) for i in range(clients)]
        await asyncio.gather(*(r.wait() for r in readies))
        print(f"{clients} streams open; gateway RSS {rss_mb(gateway.popen.pid):.0f} MB (idle {idle_mb:.0f} MB)")
        spreads = []
        for version in range(2, rounds + 2):
            sent = time.perf_counter()
            await nc.publish(subject, snapshot(version))
            await nc.flush()
            while sum(len(a) >= version - 1 for a in arrivals) < clients:  # noqa: ASYNC110 - polling the clients is the measurement loop
                await asyncio.sleep(0.005)
            spreads.append(max(a[version - 2] for a in arrivals) - sent)
        print(
            f"snapshot to all {clients} clients: median {statistics.median(spreads) * 1000:.0f} ms, "
            f"max {max(spreads) * 1000:.0f} ms over {rounds} rounds"
        )
        for task in tasks:
            task.cancel()
    finally:
        await nc.close()
        platform.stop_all()
        nats_process.stop()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    asyncio.run(bench(args.clients, args.rounds))


if __name__ == "__main__":
    main()
