"""Goal 6 of `make bench` on its own: broker memory per ballot after publishing and after a broker restart.

Scenario 2's publish (`bench.scenarios.projection`: N ballots of distinct voters in one nomination, straight to
stream VOTES) on the benchmark's own stack (nats-server with the roles' users, the local database, the submissions
service and the demo contest, as scenario 2 starts them); nats-server's RSS before and after the publish (what
scenario 2 reports), then after a restart of nats-server on the same store, once VOTES is whole again. The full run
(`make bench`) reads `results/broker-memory.json` for goal 6's after-restart row.

    python -m bench.broker_memory --ballots 1000000
"""

import argparse
import asyncio
import json
import os
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import nats

from bench.procs import rss_mb
from bench.scenarios import projection
from bench.stack import Stack
from veche_dev import devstack
from veche_shared import subjects

RESULTS = Path(__file__).parent / "results" / "broker-memory.json"


async def whole(url: str, last_seq: int, timeout: float = 600) -> None:
    """Until stream VOTES answers again with every ballot."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            nc = await nats.connect(url, max_reconnect_attempts=0)
            try:
                if (await nc.jetstream(timeout=10).stream_info(subjects.VOTES_STREAM)).state.last_seq >= last_seq:
                    return
            finally:
                await nc.close()
        except Exception:  # noqa: S110 - a restarting server refuses connections for a moment
            pass
        await asyncio.sleep(0.2)
    raise TimeoutError(f"VOTES was not whole again {timeout} s after the restart")


def restart_nats(stack: Stack) -> devstack.Process:
    """Stop nats-server and start it again on the same port, store and configuration."""
    process = stack.infra[0]
    argv = [str(a) for a in process.popen.args]  # type: ignore[union-attr]  # devstack spawns with a list
    port, store, conf = (argv[argv.index(flag) + 1] for flag in ("-p", "-sd", "-c"))
    process.stop(timeout=30)
    stack.infra[0] = devstack.start_nats(int(port), Path(store), stack.logs, Path(conf))
    return stack.infra[0]


def measure(ballots: int) -> dict[str, Any]:
    stack = Stack()
    out: dict[str, Any] = {"ballots": ballots, "load_average": os.getloadavg()}
    try:
        stack.start_infra()
        assert stack.platform is not None
        stack.platform.start("veche_submissions")
        stack.load_demo()
        before = rss_mb(stack.infra[0].popen.pid) or 0.0
        started = time.perf_counter()
        last = asyncio.run(projection.publish(stack.nats_url, projection.ballots(ballots, projection.practices())))
        out["publish_rate"] = round(ballots / (time.perf_counter() - started), 1)
        time.sleep(2)
        published = rss_mb(stack.infra[0].popen.pid) or 0.0
        restarted = time.perf_counter()
        server = restart_nats(stack)
        asyncio.run(whole(stack.nats_url, last))
        out["restart_seconds"] = round(time.perf_counter() - restarted, 2)
        time.sleep(2)
        again = rss_mb(server.popen.pid) or 0.0
    finally:
        stack.stop()
    out["nats_rss_mb"] = {"before": before, "after_publish": published, "after_restart": again}
    out["bytes_per_ballot_after_publish"] = round((published - before) * 2**20 / ballots, 1)
    out["bytes_per_ballot_after_restart"] = round((again - before) * 2**20 / ballots, 1)
    return out | {"load_average_at_end": os.getloadavg()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ballots", type=int, default=1_000_000)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    result = measure(args.ballots) | {"at": datetime.now(UTC).isoformat(timespec="seconds")}
    args.out.write_text(json.dumps(result, indent=1) + "\n")
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
