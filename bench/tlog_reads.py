"""Transparency log reads through HTTP (`make tlog-reads`): the gateway's full tiles, inclusion proofs and
checkpoints per second against B3, a bare FastAPI endpoint returning the same bytes (bench/README.md, scenario 4).

Starts NATS, the database and Veche's services on free ports, appends N ballots of the demo nomination to the
ledger as the voting service would, waits for the signed checkpoint of all of them, then runs wrk (16 connections)
against each target in turn, the repetitions interleaved. Writes bench/results/tlog-reads.json (one run per call).
"""

import argparse
import asyncio
import json
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import nats

from bench import wrk
from bench.scenarios import CONTEST, NOMINATION, PRACTICE
from bench.stack import Stack
from bench.stats import summary
from veche_dev import factories as f
from veche_dev.eventually import eventually_sync

RESULTS = Path(__file__).parent / "results" / "tlog-reads.json"
LOG = f"/api/v1/contests/{CONTEST}/nominations/{NOMINATION}/log"
B3_PATH = f"/api/v1/contests/{CONTEST}/nominations/{NOMINATION}/leaderboard"  # B3 answers its bytes there


async def record(nats_url: str, count: int) -> None:
    nc = await nats.connect(nats_url)
    try:
        await f.record_many(nc, [f.ballot(CONTEST, PRACTICE, n, nomination=NOMINATION) for n in range(count)])
    finally:
        await nc.close()


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as answer:  # noqa: S310 - our own URL
        body: bytes = answer.read()
        return body


def targets(stack: Stack, gateway: str, size: int, work: Path) -> dict[str, tuple[str, str]]:
    """name -> (base URL, path): each Veche read and B3 serving the bytes the gateway answered."""
    reads = {
        "tile": f"{LOG}/tile/0/000",  # a full tile: immutable, cached by the results process
        "inclusion": f"{LOG}/inclusion?index={size // 3}&size={size}",  # reads its partial tiles from the database
        "inclusion_latest": f"{LOG}/inclusion?index={size // 3}",  # what "my ballot" asks before publication
        "checkpoint": f"{LOG}/checkpoint",  # the latest signed note, verified by the gateway on each answer
    }
    found: dict[str, tuple[str, str]] = {}
    for name, path in reads.items():
        body = work / f"{name}.bytes"
        body.write_bytes(fetch(gateway + path))
        found[name] = (gateway, path)
        found[f"{name}_b3"] = (stack.start_b3(body), B3_PATH)
        stack.extra[f"b3-{name}"] = stack.extra.pop("b3")
    return found


def measure(found: dict[str, tuple[str, str]], repeats: int, seconds: float) -> dict[str, Any]:
    runs: dict[str, list[wrk.WrkRun]] = {name: [] for name in found}
    for _ in range(repeats):
        for name, (url, path) in found.items():
            runs[name].append(wrk.run(url, 16, seconds, ["get", path], None))
    rates = {name: summary([r.rate for r in rs]) for name, rs in runs.items()}
    return {
        name: {"rate": rates[name], "p99_ms": summary([r.p99_ms for r in rs]), "errors": sum(r.errors for r in rs)}
        | ({"x_b3": rates[name]["median"] / rates[f"{name}_b3"]["median"]} if f"{name}_b3" in rates else {})
        for name, rs in runs.items()
    }


def main() -> int:
    parser = argparse.ArgumentParser(prog="tlog-reads", description=__doc__)
    parser.add_argument("--ballots", type=int, default=2_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=10)
    args = parser.parse_args()
    stack = Stack()
    try:
        stack.start_infra()
        gateway = stack.start_veche()
        asyncio.run(record(stack.nats_url, args.ballots))
        eventually_sync(
            lambda: fetch(gateway + f"{LOG}/checkpoint").decode().split("\n")[1],
            lambda size: int(size) >= args.ballots,
            what=f"a signed checkpoint of {args.ballots}",
            timeout=120,
            ignoring=(urllib.error.HTTPError,),  # 404 no_checkpoint until the first is signed
        )
        found = targets(stack, gateway, args.ballots, stack.work)
        result = {"at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "ballots": args.ballots}
        result |= {"load_average": Path("/proc/loadavg").read_text().split()[0]}
        result |= {"reads": measure(found, args.repeats, args.seconds)}
    finally:
        stack.stop()
    runs = json.loads(RESULTS.read_text()) if RESULTS.exists() else []
    RESULTS.write_text(json.dumps([*runs, result], indent=1) + "\n")
    for name, read in result["reads"].items():
        ratio = f" = {read['x_b3']:.2f} x B3" if "x_b3" in read else ""
        print(f"{name}: {read['rate']['median']:,.0f} req/s{ratio}, p99 {read['p99_ms']['median']:.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
