"""Partitioned projection probe (`make partition-probe`): what each results partition receives, and how fast.

Starts nats-server and the local database on free ports, publishes N ballots of the demo contest spread evenly over
its 11 nominations, then starts the results processes of `--partitions` (each owning one results partition) at once
and times them until every projector consumer on stream VOTES has nothing pending and nothing unacknowledged. It
reads each consumer's delivered count from nats-server (consumer info), so the same script measures any version of
the results service: before the ledger was partitioned every partition's consumer received the whole stream.
Writes bench/results/partitioned-projection.json (appends one run per call).
"""

import argparse
import asyncio
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import nats
from nats.js import JetStreamContext

from bench.procs import cpu_seconds
from veche_dev import devstack
from veche_dev.demo_load import demo_data
from veche_shared import subjects
from veche_shared.bus import declare_streams

RESULTS = Path(__file__).parent / "results" / "partitioned-projection.json"
CONTEST = "forum-2018"
TIMEOUT = 900.0


def demo_ballots(count: int) -> list[tuple[str, bytes]]:
    """(subject, VoteCast JSON) of count distinct voters, round-robin over the demo's 11 nominations, 7 practices
    in each (the projector counts what the ledger says; it does not look practices up)."""
    nominations = [n["id"] for n in demo_data()["nominations"]]
    out = []
    for i in range(count):
        nomination = nominations[i % len(nominations)]
        voter = f"{i:064x}"
        practice = f"{nomination}-{i // len(nominations) % 7}"
        body = (
            f'{{"schema_version":1,"vote_id":"bench{i:012d}","contest":"{CONTEST}","nomination":"{nomination}",'
            f'"practice":"{practice}","voter_hash":"{voter}","identity_mode":"jwt",'
            f'"cast_at":"2026-11-29T12:00:00Z","idempotency_hash":null}}'
        )
        out.append((subjects.vote_cast(CONTEST, voter), body.encode()))
    return out


async def publish(url: str, messages: list[tuple[str, bytes]]) -> None:
    nc = await nats.connect(url)
    js = nc.jetstream(publish_async_max_pending=4_000)
    await declare_streams(js, replicas=1)
    for subject, payload in messages:
        await js.publish_async(subject, payload, stream=subjects.VOTES_STREAM, wait_stall=60)
    await js.publish_async_completed()
    await nc.close()


def owner(name: str, partitions: int) -> int:
    """The results partition of a projector consumer, from its name (…-p<r>of<N> before, …-l<ledger> since)."""
    if found := re.search(r"-p(\d+)of\d+$", name):
        return int(found[1])
    if found := re.search(r"-l(\d+)$", name):
        return int(found[1]) % partitions
    return 0


async def consumers(js: JetStreamContext) -> list[dict[str, Any]]:
    return [
        {
            "name": info.name,
            "delivered": int(info.delivered.consumer_seq) if info.delivered else 0,
            "lag": int(info.num_pending or 0) + int(info.num_ack_pending or 0),
        }
        for info in await js.consumers_info(subjects.VOTES_STREAM)
    ]


async def wait_done(url: str, count: int, procs: list[devstack.Process]) -> tuple[float, float, list[dict[str, Any]]]:
    """Seconds from the processes' start to the first delivery and until every consumer has applied its share,
    and the consumers then."""
    started, first = time.perf_counter(), 0.0
    nc = await nats.connect(url)
    js = nc.jetstream()
    try:
        while time.perf_counter() - started < TIMEOUT:
            if exited := [p.log for p in procs if p.popen.poll() is not None]:
                raise RuntimeError(f"a results process exited; see {exited[0]}")
            now = await consumers(js)
            if not first and any(c["delivered"] for c in now):
                first = time.perf_counter() - started
            if now and sum(c["delivered"] for c in now) >= count and all(c["lag"] == 0 for c in now):
                return first, time.perf_counter() - started, now
            await asyncio.sleep(0.1)
        raise RuntimeError(f"not done in {TIMEOUT} s: {await consumers(js)}")
    finally:
        await nc.close()


def commit() -> str:
    git = ["git", "rev-parse", "--short", "HEAD"]
    return subprocess.run(git, capture_output=True, text=True, check=False).stdout.strip()


def run(count: int, partitions: int, label: str) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="veche-partition-probe-") as tmp:
        root = Path(tmp)
        nats_port, db_port = devstack.free_port(), devstack.free_port()
        infra = [
            devstack.start_nats(nats_port, root / "nats", root / "logs"),
            devstack.start_localdb(db_port, root / "db", root / "logs"),
        ]
        url = f"nats://127.0.0.1:{nats_port}"
        procs: list[devstack.Process] = []
        try:
            asyncio.run(publish(url, demo_ballots(count)))
            load_before = os.getloadavg()
            for r in range(partitions):
                env = os.environ | {
                    "VECHE_ENVIRONMENT": "dev",  # a bench server without users, as `veche up` before the users
                    "VECHE_RESULTS_NATS_URL": url,
                    "VECHE_RESULTS_MONGODB_URL": f"mongodb://127.0.0.1:{db_port}/",
                    "VECHE_RESULTS_HTTP_PORT": str(devstack.free_port()),
                    "VECHE_RESULTS_PARTITIONS": str(partitions),
                    "VECHE_RESULTS_OWNED_PARTITIONS": f"[{r}]",
                }
                argv = [sys.executable, "-m", "veche_results"]
                if r == 0:
                    devstack.provision(url, env)  # the partitions' consumers (docs/adr/0014-provisioned-bus.md)
                procs.append(devstack.spawn(f"results-p{r}", argv, root / "logs", env))
            first, seconds, final = asyncio.run(wait_done(url, count, procs))
            cpu = [cpu_seconds(p.popen.pid) for p in procs]
        finally:
            for process in procs + infra[::-1]:
                process.stop()
    by_partition = [sum(c["delivered"] for c in final if owner(c["name"], partitions) == r) for r in range(partitions)]
    return {
        "label": label,
        "commit": commit(),
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "ballots": count,
        "partitions": partitions,
        "seconds": round(seconds, 1),
        "first_delivery_seconds": round(first, 1),
        "ballots_per_second": round(count / seconds),
        "ballots_per_second_from_first_delivery": round(count / (seconds - first)),
        "delivered_per_partition": by_partition,
        "share_per_partition": [round(d / count, 3) for d in by_partition],
        "results_cpu_seconds": [round(c, 1) for c in cpu],
        "consumers": len(final),
        "load_average": [round(x, 1) for x in load_before + os.getloadavg()],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--ballots", type=int, default=200_000)
    parser.add_argument("--partitions", type=int, default=2)
    parser.add_argument("--label", default="")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    result = run(args.ballots, args.partitions, args.label)
    print(json.dumps(result), flush=True)
    runs = json.loads(args.out.read_text()) if args.out.exists() else []
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps([*runs, result], indent=1) + "\n")


if __name__ == "__main__":
    main()
