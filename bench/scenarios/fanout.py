"""Scenario 5 (SSE fan-out): N streams of one leaderboard on one gateway process, each update timed to each client.

The board is a nomination results knows nothing of, fed by publishing LeaderboardChanged on its live subject as
the results service does; an update's delivery time is from that publish to a client's receipt of the event.
Gateway RSS before and after the streams are opened gives the memory per connection.
"""

import asyncio
import base64
import contextlib
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import nats
from nats.aio.client import Client

from bench import sse
from bench.procs import cpu_seconds, open_files_limit, own_cpu_seconds, raise_open_files, rss_mb, running_on
from bench.sizes import Sizes
from bench.stats import percentile, summary
from veche_shared import subjects
from veche_shared.contracts.results import LeaderboardChanged, LeaderboardEntry
from veche_shared.tlog.keys import DEV_LOG_SIGNER
from veche_shared.tlog.seal import sealed

CONTEST, NOMINATION = "bench-fanout", "everyone"
PATH = f"/api/v1/contests/{CONTEST}/nominations/{NOMINATION}/leaderboard/stream"
OPEN_AT_ONCE = 200  # connections opened concurrently, so that the listen backlog never overflows
DELIVERY_TIMEOUT = 10.0  # an update not at every client by then is counted as missed
SPARE_FILES = 100


def snapshot(version: int) -> bytes:
    """A ten-entry board whose standings change with every version (the gateway drops unchanged repeats), sealed
    with the development log key as the results service seals it, and plausible (no more votes than its version):
    the gateway refuses any other (docs/verifiability.md, docs/security.md)."""
    votes = version % 1_000
    entries = [
        LeaderboardEntry(
            practice=f"p{i}",
            title=f"Practice {i}",
            municipality=f"m{i}",
            municipality_name={"en": "M"},
            votes=votes + i,
            share=0.1,
            rank=i + 1,
        )
        for i in range(10)
    ]
    board = LeaderboardChanged(
        contest=CONTEST,
        nomination=NOMINATION,
        visible=True,
        total_votes=sum(e.votes for e in entries),
        total_ballots=sum(e.votes for e in entries),
        entries=entries,
        version=version,
        updated_at=datetime.now(UTC),
        log_size=sum(e.votes for e in entries),
        log_root=base64.b64encode(bytes(32)).decode(),
    )
    return sealed(board, DEV_LOG_SIGNER).model_dump_json().encode()


class Arrivals:
    """Counts the streams that have each version, so that waiting for all of them costs nothing per poll."""

    def __init__(self, streams: int) -> None:
        self.streams = streams
        self._count: dict[int, int] = {}
        self._done: dict[int, asyncio.Event] = {}

    def __call__(self, version: int) -> None:
        self._count[version] = count = self._count.get(version, 0) + 1
        if count == self.streams:
            self.everyone(version).set()

    def everyone(self, version: int) -> asyncio.Event:
        return self._done.setdefault(version, asyncio.Event())


async def _open(host: str, port: int, clients: int, arrivals: Arrivals) -> list[sse.EventStream]:
    streams: list[sse.EventStream] = []
    for first in range(0, clients, OPEN_AT_ONCE):
        wave = range(min(OPEN_AT_ONCE, clients - first))
        streams += await asyncio.gather(*(sse.open_stream(host, port, PATH, arrivals) for _ in wave))
    return streams


async def _update(nc: Client, version: int, arrivals: Arrivals) -> float:
    """Publish one update and wait until every stream has it (or the timeout passes); return the publish time."""
    sent = time.monotonic()
    await nc.publish(subjects.live_leaderboard(CONTEST, NOMINATION), snapshot(version))
    await nc.flush()
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(arrivals.everyone(version).wait(), DELIVERY_TIMEOUT)
    return sent


async def _board(nc: Client, host: str, port: int, version: int) -> None:
    """Make the board known to the gateway (a stream of an unknown board would ask results and get 404)."""
    for _ in range(100):
        await nc.publish(subjects.live_leaderboard(CONTEST, NOMINATION), snapshot(version))
        await nc.flush()
        with contextlib.suppress(ConnectionError):
            (await sse.open_stream(host, port, PATH)).close()
            return
        await asyncio.sleep(0.1)
    raise RuntimeError(f"the gateway never showed {PATH}")


async def one_run(host: str, port: int, gateway_pid: int, nats_url: str, clients: int, updates: int) -> dict[str, Any]:
    nc = await nats.connect(nats_url)
    base = 1_000 * int(time.time())  # each repetition's versions are above the last one's
    arrivals = Arrivals(clients)
    try:
        await _board(nc, host, port, base)
        rss_idle, started = rss_mb(gateway_pid), time.monotonic()
        streams = await _open(host, port, clients, arrivals)
        connect_seconds = time.monotonic() - started
        await asyncio.sleep(0.5)
        rss_open = rss_mb(gateway_pid)
        cpu, gateway_cpu, started = own_cpu_seconds(), cpu_seconds(gateway_pid), time.monotonic()
        sent = {base + v: await _update(nc, base + v, arrivals) for v in range(1, updates + 1)}
        cpu, gateway_cpu = own_cpu_seconds() - cpu, cpu_seconds(gateway_pid) - gateway_cpu
        span = time.monotonic() - started
        for stream in streams:
            stream.close()
    finally:
        await nc.close()
    return _delivery(streams, sent) | {
        "clients": clients,
        "connect_seconds": connect_seconds,
        "gateway_rss_mb": {"idle": rss_idle, "open": rss_open},
        "kb_per_connection": (rss_open - rss_idle) * 1024 / clients if rss_open and rss_idle else None,
        "gateway_cpu_ms_per_update": gateway_cpu * 1000 / updates,
        "loadgen_cpu_share": cpu / span,
    }


def _delivery(streams: list[sse.EventStream], sent: dict[int, float]) -> dict[str, Any]:
    delays, complete = [], 0
    for stream in streams:
        got = {version: at for at, version in stream.events if version in sent}
        complete += len(got) == len(sent)
        delays += [(at - sent[version]) * 1000 for version, at in got.items()]
    delays.sort()
    return {
        "updates": len(sent),
        "p50_ms": percentile(delays, 50),
        "p99_ms": percentile(delays, 99),
        "max_ms": delays[-1] if delays else None,
        "complete_share": complete / len(streams) if streams else 0.0,
    }


def measure(
    url: str, fresh_gateway: Callable[[], int], nats_url: str, sizes: Sizes, cpus: str | None
) -> dict[str, Any]:
    """Repeat on a fresh gateway process each time (the same idle start for its memory); clients are capped by
    the open-file limits of this process and the gateway (reported as clients against clients_wanted)."""
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    runs, wanted, clients = [], sizes.fanout_clients, sizes.fanout_clients
    for _ in range(sizes.repeats):
        pid = fresh_gateway()  # started outside running_on: it must not inherit the load generator's CPU
        clients = min(wanted, min(raise_open_files(), open_files_limit(pid) or wanted + SPARE_FILES) - SPARE_FILES)
        with running_on(cpus):
            runs.append(asyncio.run(one_run(host, port, pid, nats_url, clients, sizes.fanout_updates)))
    return {
        "client": "bench/sse.py (one asyncio process, raw sockets)",
        "clients": clients,
        "clients_wanted": wanted,
        "updates": sizes.fanout_updates,
        "p50_ms": summary([r["p50_ms"] for r in runs]),
        "p99_ms": summary([r["p99_ms"] for r in runs]),
        "complete_share": summary([r["complete_share"] for r in runs]),
        "kb_per_connection": summary([r["kb_per_connection"] for r in runs if r["kb_per_connection"] is not None]),
        "gateway_cpu_ms_per_update": summary([r["gateway_cpu_ms_per_update"] for r in runs]),
        "loadgen_cpu_share": summary([r["loadgen_cpu_share"] for r in runs]),
        "repetitions": runs,
    }
