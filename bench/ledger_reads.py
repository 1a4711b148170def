"""Where a refusal's time and a replay's memory go on a large ledger (issue 28; not in CI).

`build` bulk-loads a single-node ledger of N ballots (bench.ledger_scale's bulk load: voters x 10 nominations in
Veche's layout) into a store that the other commands start a server on again; `--small-blocks` declares VOTES with a
per-subject limit (discard new per subject), which makes nats-server choose 4 MB blocks instead of 8 MB.

`refusals` starts the server on the store and tries second ballots of random old voters through the voting service's
write path (`Ledger.append`: a direct get of the voter's last ballot, the nomination found taken), each classified by
the block its ballot lies in: the first read of a block since the server started, a block read before; then the same
voters at once, and again after 12 s (a block's messages are dropped from memory after 10 s idle, its per-subject
state after 2 minutes). The server's CPU per first read of a block is the first pass's CPU minus the second's.

`replay` starts the server on the store (with GOMEMLIMIT when given) and reads the whole ledger with one pull
consumer, sampling the server's RSS every 0.25 s.

    python -m bench.ledger_reads build --ballots 1000000 --store /tmp/ledger-8m
    python -m bench.ledger_reads refusals --ballots 1000000 --store /tmp/ledger-8m
    python -m bench.ledger_reads replay --ballots 1000000 --store /tmp/ledger-8m --gomemlimit 96MiB
"""

import argparse
import asyncio
import dataclasses
import json
import os
import random
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from nats.js.api import DiscardPolicy, StreamConfig

from bench import ledger_scale as ls
from bench import voter_ledger as vl
from bench.ledger_cluster import Cluster
from veche_shared import bus, subjects
from veche_voting.ledger import Ledger

RESULTS = Path(__file__).parent / "results" / "ledger-reads.json"
WINDOW = 5_000  # voters per window of the bulk load (ledger_scale.bulk_load)


def small_block_configs(replicas: int, plain: Callable[[int], list[StreamConfig]]) -> list[StreamConfig]:
    """VOTES with a per-subject limit far above any contest's nominations, refused rather than discarded."""
    limited = {"max_msgs_per_subject": 10_000, "discard": DiscardPolicy.NEW, "discard_new_per_subject": True}
    return [
        dataclasses.replace(c, **limited) if c.name == subjects.VOTES_STREAM else c  # type: ignore[arg-type]
        for c in plain(replicas)
    ]


def build(store: Path, ballots: int, small_blocks: bool) -> dict[str, Any]:
    if small_blocks:
        plain = bus.stream_configs
        bus.stream_configs = lambda replicas: small_block_configs(replicas, plain)
    cluster = Cluster(store, 1)
    cluster.start()
    try:
        asyncio.run(ls.declare(cluster.urls, 1))
        time.sleep(2)
        empty = cluster.rss_mb()[0]
        loaded = ls.bulk_segment(cluster.urls, 0, ballots // len(ls.NOMINATIONS))
        asyncio.run(ls.settled(cluster.urls, ballots, 1))
        built = {"ballots": ballots, "small_blocks": small_blocks, "empty_rss_mb": empty, "bulk": loaded}
        built |= {"rss_mb": cluster.rss_mb()[0], "disk_mb": cluster.disk_mb()[0], **blocks(store)}
        (store / "built.json").write_text(json.dumps(built))
        return built
    finally:
        cluster.stop()


def blocks(store: Path) -> dict[str, int]:
    """The size of a full message block of VOTES (the first block file) and of all its block files."""
    sizes = {p.name: p.stat().st_size for p in store.glob("n0/store/jetstream/*/streams/VOTES/msgs/*.blk")}
    return {"block_bytes": sizes["1.blk"], "blocks_total_bytes": sum(sizes.values()), "blocks": len(sizes)}


def stats(seconds: list[float]) -> dict[str, Any]:
    ordered = sorted(seconds)

    def pct(p: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))] * 1000, 2)

    return {"n": len(ordered), "p50_ms": pct(50), "p90_ms": pct(90), "p99_ms": pct(99), "max_ms": pct(100)}


async def refuse(writer: Ledger, voter: int, rng: random.Random) -> float:
    started = time.perf_counter()
    try:
        await ls.append(writer, voter, rng.randrange(len(ls.NOMINATIONS)))
    except vl.Taken:
        return time.perf_counter() - started
    raise RuntimeError(f"a second ballot of voter {voter} was accepted")


async def refusal_passes(
    urls: list[str], built: dict[str, Any], tries: int, cpu: Callable[[], float]
) -> dict[str, Any]:
    nc, js = await ls.connect(urls)
    writer, rng = vl.ledger(js), random.Random(7)
    per_ballot = built["blocks_total_bytes"] / built["ballots"]  # bytes of a ballot in its block
    voters = [rng.randrange(built["ballots"] // len(ls.NOMINATIONS)) for _ in range(tries)]

    def block_of(voter: int) -> int:  # the bulk load's order: windows of WINDOW voters, nomination after nomination
        last = (voter - voter % WINDOW) * 10 + 9 * WINDOW + voter % WINDOW + 1
        return int(last * per_ballot // built["block_bytes"])

    seen: set[int] = set()
    first: list[float] = []
    again: list[float] = []
    started_cpu = cpu()
    for voter in voters:
        (again if block_of(voter) in seen else first).append(await refuse(writer, voter, rng))
        seen.add(block_of(voter))
    first_cpu = cpu() - started_cpu
    out: dict[str, Any] = {"random_old_voters": stats(first + again), "first_read_of_block": stats(first)}
    out["block_read_before"] = stats(again)
    started_cpu = cpu()
    out["same_voters_at_once"] = stats([await refuse(writer, v, rng) for v in voters])
    out["server_cpu_ms_per_first_read"] = round((first_cpu - (cpu() - started_cpu)) * 1000 / max(1, len(first)), 2)
    await asyncio.sleep(12)
    out["same_voters_after_12s"] = stats([await refuse(writer, v, rng) for v in voters])
    await nc.close()
    return out


def refusals(store: Path, tries: int) -> dict[str, Any]:
    built = json.loads((store / "built.json").read_text())
    cluster = Cluster(store, 1)
    cluster.start()
    try:
        asyncio.run(ls.settled(cluster.urls, built["ballots"], 1))
        time.sleep(2)
        out: dict[str, Any] = {"kind": "refusals", "built": built, "rss_mb_start": cluster.rss_mb()[0]}
        out["load_average"] = os.getloadavg()
        out |= asyncio.run(refusal_passes(cluster.urls, built, tries, lambda: cluster.cpu_seconds()[0]))
        out |= {"rss_mb_end": cluster.rss_mb()[0], "load_average_at_end": os.getloadavg()}
        return out
    finally:
        cluster.stop()


def replay(store: Path, gomemlimit: str | None) -> dict[str, Any]:
    built = json.loads((store / "built.json").read_text())
    os.environ.pop("GOMEMLIMIT", None)
    if gomemlimit:
        os.environ["GOMEMLIMIT"] = gomemlimit  # the server inherits it
    cluster = Cluster(store, 1)
    cluster.start()
    samples: list[float] = []
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.25):
            samples.append(cluster.rss_mb()[0])

    try:
        asyncio.run(ls.settled(cluster.urls, built["ballots"], 1))
        time.sleep(2)
        out: dict[str, Any] = {"kind": "replay", "gomemlimit": gomemlimit, "built": built}
        out |= {"rss_mb_before": cluster.rss_mb()[0], "load_average": os.getloadavg()}
        threading.Thread(target=sample, daemon=True).start()
        out["replay"] = asyncio.run(ls.replay(cluster.urls))
        time.sleep(20)
        done.set()
        out |= {"rss_mb_peak": max(samples), "rss_mb_20s_after": cluster.rss_mb()[0]}
        for key in ("rss_mb_peak", "rss_mb_20s_after"):
            growth = (out[key] - built["empty_rss_mb"]) * 2**20 / built["ballots"]
            out[key.replace("rss_mb", "bytes_per_ballot")] = round(growth, 1)
        return out | {"load_average_at_end": os.getloadavg()}
    finally:
        cluster.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["build", "refusals", "replay"])
    parser.add_argument("--ballots", type=int, default=1_000_000)
    parser.add_argument("--store", type=Path, required=True, help="the ledger's folder (kept between commands)")
    parser.add_argument("--small-blocks", action="store_true", help="build: VOTES with a per-subject limit")
    parser.add_argument("--tries", type=int, default=2_000, help="refusals: second ballots")
    parser.add_argument("--gomemlimit", help="replay: the server's GOMEMLIMIT, e.g. 96MiB")
    parser.add_argument("--out", type=Path, default=RESULTS, help="a JSON list, each run appended")
    args = parser.parse_args()
    if args.command == "build":
        result = build(args.store, args.ballots, args.small_blocks)
    elif args.command == "refusals":
        result = refusals(args.store, args.tries)
    else:
        result = replay(args.store, args.gomemlimit)
    result["at"] = datetime.now(UTC).isoformat(timespec="seconds")
    runs = json.loads(args.out.read_text()) if args.out.exists() else []
    args.out.write_text(json.dumps([*runs, result], indent=1) + "\n")
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
