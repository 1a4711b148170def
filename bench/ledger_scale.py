"""The ledger at scale (`make ledger-scale`, not in CI): ballots in the voting service's layout, millions of them.

Writes voters x 10 nominations ballots into stream VOTES as the services declare it (the ledger layout of
docs/adr/0013-voter-ledger-subjects.md, bench/voter_ledger.py), on a standalone nats-server (single node, R1) and then
on a three-node loopback cluster (R3). The last `--measured` ballots before each checkpoint go through the voting
service's write path (`veche_voting.ledger.Ledger.append`: the direct get of the voter's last ballot, then the
compare-and-set append): the write rate and latencies are theirs. The ballots before
them are bulk-loaded with the same appends (subjects, bodies, Veche-Voted and compare-and-set headers), pipelined, each
voter's last sequence taken from the acknowledgement of its previous ballot rather than read again: the server does
the same work and keeps the same state, the client a third of the work, so that millions fit in hours. At each
checkpoint (0, 1M, 3M, 10M ballots by default) the writers pause and the harness measures, on the busiest server:
RSS while writing, store size on disk, the write rate and p99 of the segment just written, the refusal of second
ballots (p50/p99, each refused; and second ballots with a stale sequence, refused by the server), a full replay's
rate, then restarts every server and measures how long until the ledger accepts a ballot again and the RSS after
the restart. Results go to bench/results/ledger-scale.json after every checkpoint, so a run cut short keeps what
it measured.

    python -m bench.ledger_scale --checkpoints 1000000,3000000,10000000 --cluster-checkpoints 1000000
"""

import argparse
import asyncio
import hashlib
import json
import multiprocessing
import os
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import nats
from nats.aio.client import Client
from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from nats.js.errors import APIError

from bench import voter_ledger as vl
from bench.ledger_cluster import Cluster
from veche_shared import subjects
from veche_shared.bus import declare_streams
from veche_shared.contracts.catalog import IdentityMode
from veche_shared.contracts.common import new_id
from veche_shared.contracts.votes import VoteCast
from veche_voting.ledger import Ledger

CONTEST = "national-2026"
NOMINATIONS = [f"nomination-{i:02d}" for i in range(10)]
PRACTICES_PER_NOMINATION = 12
RESULTS = Path(__file__).parent / "results" / "ledger-scale.json"
SAMPLE = 20_000  # latencies kept per writer process and segment (reservoir)
REPLAY_SECONDS = 240.0  # a replay longer than this reports the rate of what it read


def voter_hash(voter: int) -> str:
    return hashlib.sha256(f"scale-voter-{voter}".encode()).hexdigest()


def ballot(voter: int, nomination: int) -> VoteCast:
    return VoteCast(
        vote_id=new_id(),
        contest=CONTEST,
        nomination=NOMINATIONS[nomination],
        practices=[f"practice-{nomination:02d}-{voter % PRACTICES_PER_NOMINATION:02d}"],
        voter_hash=voter_hash(voter),
        identity_mode=IdentityMode.jwt,
        ip_hash=hashlib.sha256(f"ip-{voter % 50_000}".encode()).hexdigest(),
        cast_at=datetime.now(UTC),
    )


async def connect(urls: list[str]) -> tuple[Client, JetStreamContext]:
    nc = await nats.connect(urls, max_reconnect_attempts=-1, reconnect_time_wait=0.2)
    return nc, nc.jetstream(timeout=10)


async def append(writer: Ledger, voter: int, nomination: int) -> int:
    """One ballot through the voting service's write path (bench/voter_ledger.py)."""
    return await vl.append(writer, ballot(voter, nomination))


async def _write_range(urls: list[str], first: int, end: int, concurrency: int) -> dict[str, Any]:
    """Every ballot of voters first..end-1, each voter's nominations one after another, `concurrency` voters at
    once (a voter goes through a ballot page); latencies of a sample of appends."""
    nc, js = await connect(urls)
    writer = vl.ledger(js)
    next_voter = first
    latencies: list[float] = []
    seen = written = errors = 0
    rng = random.Random(first)

    async def voter_loop() -> None:
        nonlocal next_voter, seen, written, errors
        while next_voter < end:
            voter = next_voter
            next_voter += 1
            for nomination in range(len(NOMINATIONS)):
                started = time.perf_counter()
                try:
                    await append(writer, voter, nomination)
                except Exception:
                    errors += 1
                    continue
                elapsed = time.perf_counter() - started
                written += 1
                seen += 1
                if len(latencies) < SAMPLE:
                    latencies.append(elapsed)
                elif (slot := rng.randrange(seen)) < SAMPLE:
                    latencies[slot] = elapsed

    started = time.perf_counter()
    await asyncio.gather(*(voter_loop() for _ in range(concurrency)))
    seconds = time.perf_counter() - started
    await nc.close()
    return {"written": written, "errors": errors, "seconds": seconds, "latencies": latencies}


def _writer(args: tuple[list[str], int, int, int]) -> dict[str, Any]:
    return asyncio.run(_write_range(*args))


def body_template() -> str:
    """A ballot's JSON as the voting service writes it, with VOTER, VOTEID, NOMINATION, PRACTICE and IP to fill."""
    return (
        ballot(0, 0)
        .model_copy(update={"vote_id": "VOTEID", "voter_hash": "V" * 64, "ip_hash": "I" * 64})
        .model_dump_json()
        .replace(NOMINATIONS[0], "NOMINATION")
        .replace('"practice-00-00"', '"PRACTICE"')
    )


async def bulk_load(urls: list[str], first: int, end: int, window: int = 5_000) -> dict[str, Any]:
    """Voters first..end-1 with the appends Ledger.append makes (same subjects, bodies, Veche-Voted and
    compare-and-set headers, so the same work and state on the server), fully pipelined from one connection: with
    no other writer the stream's sequences are known in advance, so each ballot names its voter's previous sequence
    without waiting for that ballot's acknowledgement (the server still checks it: a wrong one would be refused).
    `window` voters at a time, each voting its nominations one after another, as voters on a ballot page do."""
    nc = await nats.connect(urls, max_reconnect_attempts=-1, reconnect_time_wait=0.2)
    js = nc.jetstream(timeout=60, publish_async_max_pending=20_000)
    base = int((await js.stream_info(subjects.VOTES_STREAM)).state.last_seq)
    template = body_template()
    started = time.perf_counter()
    written = 0
    for lo in range(first, end, window):
        voters = list(range(lo, min(lo + window, end)))
        hashes = [voter_hash(v) for v in voters]
        targets = [vl.subject(CONTEST, h) for h in hashes]
        ips = [hashlib.sha256(f"ip-{v % 50_000}".encode()).hexdigest() for v in voters]
        futures = []
        for nomination, name in enumerate(NOMINATIONS):
            voted = " ".join(NOMINATIONS[: nomination + 1])
            row = template.replace("NOMINATION", name)
            for j, voter in enumerate(voters):
                previous = base + (nomination - 1) * len(voters) + j + 1 if nomination else 0
                headers = {"Nats-Expected-Last-Subject-Sequence": str(previous), vl.VOTED_HEADER: voted}
                practice = f"practice-{nomination:02d}-{voter % PRACTICES_PER_NOMINATION:02d}"
                body = (
                    row.replace("V" * 64, hashes[j])
                    .replace("I" * 64, ips[j])
                    .replace("VOTEID", f"{voter:023d}n{nomination:02d}")  # as long as a ULID
                    .replace("PRACTICE", practice)
                )
                futures.append(await js.publish_async(targets[j], body.encode(), headers=headers, wait_stall=120))
        for outcome in await asyncio.gather(*futures, return_exceptions=True):
            if isinstance(outcome, BaseException):
                await nc.close()
                raise RuntimeError(f"bulk load refused a ballot: {outcome!r}")
        base += len(futures)
        written += len(futures)
    seconds = time.perf_counter() - started
    await nc.close()
    return {"ballots": written, "seconds": round(seconds, 1), "ballots_per_second": round(written / seconds, 1)}


def bulk_segment(urls: list[str], first: int, end: int) -> dict[str, Any]:
    """Voters first..end-1 bulk-loaded by one process (the sequences are predicted: one writer at a time)."""
    return asyncio.run(bulk_load(urls, first, end))


def write_segment(urls: list[str], first: int, end: int, procs: int, concurrency: int) -> dict[str, Any]:
    """Voters first..end-1 written by `procs` processes; the segment's rate and latency percentiles."""
    step = -(-(end - first) // procs)
    ranges = [(urls, lo, min(lo + step, end), concurrency) for lo in range(first, end, step)]
    started = time.perf_counter()
    with multiprocessing.get_context("spawn").Pool(len(ranges)) as pool:
        parts = pool.map(_writer, ranges)
    seconds = time.perf_counter() - started
    latencies = sorted(x for p in parts for x in p["latencies"])
    written = sum(p["written"] for p in parts)
    return {
        "ballots": written,
        "errors": sum(p["errors"] for p in parts),
        "seconds": round(seconds, 1),
        "ballots_per_second": round(written / seconds, 1) if seconds else 0.0,
        "write_p50_ms": round(_pct(latencies, 50) * 1000, 2),
        "write_p99_ms": round(_pct(latencies, 99) * 1000, 2),
    }


def _pct(values: list[float], pct: float) -> float:
    if not values:
        return 0.0
    return values[min(len(values) - 1, int(len(values) * pct / 100))]


async def refusals(urls: list[str], voters: int, tries: int) -> dict[str, Any]:
    """Second ballots of voters who already voted: through voter_ledger.append (read, find the nomination taken), and
    with the sequence a racing writer read before the first ballot landed (refused by nats-server)."""
    nc, js = await connect(urls)
    writer = vl.ledger(js)
    rng = random.Random(voters)
    times: list[float] = []
    refused = accepted = 0
    for _ in range(tries):
        voter, nomination = rng.randrange(voters), rng.randrange(len(NOMINATIONS))
        started = time.perf_counter()
        try:
            await append(writer, voter, nomination)
            accepted += 1
        except vl.Taken:
            refused += 1
        times.append(time.perf_counter() - started)
    stale_refused = stale_accepted = 0
    for _ in range(tries // 4):
        voter = rng.randrange(voters)
        subject = vl.subject(CONTEST, voter_hash(voter))
        last = await js.get_last_msg(subjects.VOTES_STREAM, subject)
        stale = max(0, (last.seq or 1) - 1)  # any sequence but the last: a writer that read before another ballot
        headers = {"Nats-Expected-Last-Subject-Sequence": str(stale), vl.VOTED_HEADER: NOMINATIONS[0]}
        try:
            await js.publish(subject, ballot(voter, 0).model_dump_json().encode(), headers=headers)
            stale_accepted += 1
        except APIError as exc:
            stale_refused += exc.err_code == vl.WRONG_LAST_SEQUENCE
    await nc.close()
    times.sort()
    return {
        "tries": tries,
        "refused": refused,
        "accepted": accepted,
        "refusal_p50_ms": round(statistics.median(times) * 1000, 2) if times else 0.0,
        "refusal_p99_ms": round(_pct(times, 99) * 1000, 2),
        "stale_sequence_tries": tries // 4,
        "stale_sequence_refused_by_server": stale_refused,
        "stale_sequence_accepted": stale_accepted,
    }


async def replay(urls: list[str], filter_subject: str | None = None) -> dict[str, Any]:
    """Read the ledger (or a filter of it) from the first message with one pull consumer, batches of 1,000 (as
    recount and the projector fetch); the rate of what was read within REPLAY_SECONDS."""
    nc, js = await connect(urls)
    config = ConsumerConfig(
        filter_subject=filter_subject,  # none: the whole stream, as one results partition reads it
        ack_policy=AckPolicy.NONE,
        deliver_policy=DeliverPolicy.ALL,
        inactive_threshold=120.0,
        mem_storage=True,
    )
    info = await js.add_consumer(subjects.VOTES_STREAM, config)
    sub = await js.pull_subscribe_bind(consumer=info.name, stream=subjects.VOTES_STREAM)
    total = int(info.num_pending or 0)
    read = 0
    started = time.perf_counter()
    while read < total and time.perf_counter() - started < REPLAY_SECONDS:
        try:
            read += len(await sub.fetch(1_000, timeout=30))
        except TimeoutError:
            break
    seconds = time.perf_counter() - started
    await sub.unsubscribe()
    await nc.close()
    return {
        "messages": total,
        "read": read,
        "seconds": round(seconds, 1),
        "messages_per_second": round(read / seconds, 1) if seconds else 0.0,
    }


async def settled(urls: list[str], ballots: int, replicas: int, timeout: float = 600) -> None:
    """Until VOTES holds `ballots` messages and, on a cluster, every replica is current."""
    nc, js = await connect(urls)
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            try:
                info = await js.stream_info(subjects.VOTES_STREAM)
                peers = (info.cluster.replicas or []) if info.cluster else []
                current = all(r.current and not r.lag for r in peers) and len(peers) == replicas - 1
                if info.state.messages >= ballots and current:
                    return
            except Exception:  # noqa: S110 - a restarting server answers errors until the stream is back
                pass
            await asyncio.sleep(0.5)
    finally:
        await nc.close()
    raise TimeoutError(f"VOTES did not settle at {ballots} messages in {timeout} s")


async def accepts_again(urls: list[str], voter: int, timeout: float = 600) -> float:
    """Seconds until a new voter's ballot is appended."""
    started = time.perf_counter()
    nc, js = await connect(urls)
    try:
        while time.perf_counter() - started < timeout:
            try:
                await append(vl.ledger(js), voter, 0)
                return time.perf_counter() - started
            except Exception:
                await asyncio.sleep(0.1)
    finally:
        await nc.close()
    raise TimeoutError(f"the ledger did not accept a ballot {timeout} s after the restart")


def per_ballot(now: list[float], empty: list[float], ballots: int) -> float:
    """Growth of the busiest server over the empty one, in bytes per ballot."""
    if not ballots:
        return 0.0
    return round(max(a - b for a, b in zip(now, empty, strict=True)) * 2**20 / ballots, 1)


async def declare(urls: list[str], replicas: int) -> None:
    nc, js = await connect(urls)
    deadline = time.monotonic() + 120
    while True:
        try:
            await declare_streams(js, replicas)  # VOTES as `veche provision` declares it
            break
        except Exception:
            if time.monotonic() > deadline:
                raise
            await asyncio.sleep(1)
    await nc.close()


def run_phase(name: str, nodes: int, checkpoints: list[int], args: argparse.Namespace, out: dict[str, Any]) -> None:
    """Write up to the last checkpoint on a fresh cluster of `nodes`, measuring at each checkpoint."""
    with tempfile.TemporaryDirectory(prefix=f"veche-ledger-scale-{name}-", dir=args.store) as tmp:
        cluster = Cluster(Path(tmp), nodes)
        cluster.start()
        phase: dict[str, Any] = {"nodes": nodes, "replicas": nodes, "checkpoints": []}
        out["phases"][name] = phase
        try:
            asyncio.run(declare(cluster.urls, nodes))
            time.sleep(2)
            empty_rss, empty_disk = cluster.rss_mb(), cluster.disk_mb()
            phase["empty"] = {"rss_mb": empty_rss, "disk_mb": empty_disk}
            voters = 0
            extra_voter = 10**9  # voters past the written ones, for the ballots that time the restarts
            for target in [0, *checkpoints]:
                target_voters = target // len(NOMINATIONS)
                point: dict[str, Any] = {"ballots": target}
                if target_voters > voters:
                    measured = min(args.measured // len(NOMINATIONS), target_voters - voters)
                    if target_voters - measured > voters:
                        point["bulk"] = bulk_segment(cluster.urls, voters, target_voters - measured)
                        print(name, target, point["bulk"], flush=True)
                    point["segment"] = write_segment(
                        cluster.urls, target_voters - measured, target_voters, args.procs, args.concurrency
                    )
                    voters = target_voters
                    print(name, target, point["segment"], flush=True)
                ballots = voters * len(NOMINATIONS)
                asyncio.run(settled(cluster.urls, ballots, nodes))
                point["writing"] = {"rss_mb": cluster.rss_mb(), "disk_mb": cluster.disk_mb()}
                point["bytes_per_ballot_writing"] = per_ballot(point["writing"]["rss_mb"], empty_rss, ballots)
                point["disk_bytes_per_ballot"] = per_ballot(point["writing"]["disk_mb"], empty_disk, ballots)
                if voters:
                    point["refusals"] = asyncio.run(refusals(cluster.urls, voters, args.tries))
                    if target in args.replay_at:
                        point["replay"] = asyncio.run(replay(cluster.urls))
                        one = vl.partition_filter(CONTEST)  # as a results partition of several reads it
                        point["replay_one_partition"] = asyncio.run(replay(cluster.urls, one))
                cluster.stop()
                time.sleep(0.5)
                restarted = time.perf_counter()
                cluster.start()
                asyncio.run(accepts_again(cluster.urls, extra_voter))
                point["restart_seconds"] = round(time.perf_counter() - restarted, 2)  # from starting the servers
                extra_voter += 1
                asyncio.run(settled(cluster.urls, ballots + 1, nodes))
                time.sleep(2)
                point["restarted"] = {"rss_mb": cluster.rss_mb()}
                point["bytes_per_ballot_restarted"] = per_ballot(point["restarted"]["rss_mb"], empty_rss, ballots)
                phase["checkpoints"].append(point)
                print(name, json.dumps(point), flush=True)
                args.out.write_text(json.dumps(out, indent=1) + "\n")
        finally:
            cluster.stop()


def summary(out: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per checkpoint: the keys the issue asks for at the top level."""
    rows = []
    for name, phase in out["phases"].items():
        for point in phase["checkpoints"]:
            segment, refused = point.get("segment", {}), point.get("refusals", {})
            rows.append(
                {
                    "phase": name,
                    "ballots": point["ballots"],
                    "bytes_per_ballot_writing": point["bytes_per_ballot_writing"],
                    "bytes_per_ballot_restarted": point["bytes_per_ballot_restarted"],
                    "disk_bytes_per_ballot": point["disk_bytes_per_ballot"],
                    "restart_seconds": point["restart_seconds"],
                    "write_ballots_per_second": segment.get("ballots_per_second"),
                    "write_p99_ms": segment.get("write_p99_ms"),
                    "refusal_p50_ms": refused.get("refusal_p50_ms"),
                    "refusal_p99_ms": refused.get("refusal_p99_ms"),
                    "replay_messages_per_second": point.get("replay", {}).get("messages_per_second"),
                }
            )
    return rows


def chart(out: dict[str, Any], path: Path) -> None:
    """Broker memory per ballot (writing, restarted) and disk per ballot against the ballots in the ledger."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (memory, latency) = plt.subplots(1, 2, figsize=(12, 4.5))
    for name, phase in out["phases"].items():
        points = [p for p in phase["checkpoints"] if p["ballots"]]
        xs = [p["ballots"] / 1e6 for p in points]
        label = f"{name} ({phase['nodes']} node{'s' if phase['nodes'] > 1 else ''})"
        memory.plot(xs, [p["bytes_per_ballot_writing"] for p in points], "o-", label=f"{label}: RSS while writing")
        memory.plot(xs, [p["bytes_per_ballot_restarted"] for p in points], "s--", label=f"{label}: after a restart")
        memory.plot(xs, [p["disk_bytes_per_ballot"] for p in points], "^:", label=f"{label}: disk")
        latency.plot(xs, [p.get("segment", {}).get("write_p99_ms") for p in points], "o-", label=f"{label}: write p99")
        refusal = [p.get("refusals", {}).get("refusal_p99_ms") for p in points]
        latency.plot(xs, refusal, "s--", label=f"{label}: refusal p99")
    if samples := [p for p in out.get("samples", []) if p.get("ballots", 0) >= 200_000]:  # sampled while loading
        empty = out["phases"]["single"]["empty"]["rss_mb"][0]
        per_ballot = [(p["rss_mb"] - empty) * 2**20 / p["ballots"] for p in samples]
        memory.plot([p["ballots"] / 1e6 for p in samples], per_ballot, ".", markersize=2, label="single: RSS sampled")
    memory.axhline(200, color="red", linewidth=0.8, label="goal: 200 B per ballot")
    memory.set(xlabel="ballots in the ledger (millions)", ylabel="bytes per ballot, busiest server", ylim=(0, None))
    latency.set(xlabel="ballots in the ledger (millions)", ylabel="ms", ylim=(0, None))
    sizes = [p["ballots"] for ph in out["phases"].values() for p in ph["checkpoints"]]
    most = max(sizes + [p["ballots"] for p in samples], default=1) / 1e6
    for ax in (memory, latency):
        ax.set_xlim(0, most * 1.15)
        ax.legend(fontsize=7)
        ax.grid(alpha=0.3)
    fig.suptitle(f"Ledger layout {out['layout']} at scale (make ledger-scale)")
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--checkpoints", default="1000000,3000000,10000000", help="ballots, single node")
    parser.add_argument("--cluster-checkpoints", default="1000000", help="ballots, three-node R3 cluster ('' skips)")
    parser.add_argument("--replay-at", default="1000000,3000000,10000000", help="checkpoints with a full replay")
    parser.add_argument("--procs", type=int, default=2, help="writer processes")
    parser.add_argument("--concurrency", type=int, default=50, help="voters in flight per writer process")
    parser.add_argument(
        "--measured",
        type=int,
        default=20_000,
        help="ballots before each checkpoint written through voter_ledger.append",
    )
    parser.add_argument("--tries", type=int, default=2_000, help="second ballots at each checkpoint")
    parser.add_argument("--phases", default="single,cluster")
    parser.add_argument("--store", default=tempfile.gettempdir(), help="folder for the servers' stores")
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--chart", action="store_true", help="draw the chart of --out (beside it, .png) and stop")
    args = parser.parse_args()
    if args.chart:
        chart(json.loads(args.out.read_text()), args.out.with_suffix(".png"))
        return
    args.replay_at = {int(x) for x in args.replay_at.split(",") if x}
    out: dict[str, Any] = {
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "layout": vl.LAYOUT,
        "nominations": len(NOMINATIONS),
        "load_average_at_start": os.getloadavg(),
        "phases": {},
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    phases = args.phases.split(",")
    if "single" in phases:
        run_phase("single", 1, [int(x) for x in args.checkpoints.split(",") if x], args, out)
        out["summary"] = summary(out)
        args.out.write_text(json.dumps(out, indent=1) + "\n")
    if "cluster" in phases and args.cluster_checkpoints:
        run_phase("cluster", 3, [int(x) for x in args.cluster_checkpoints.split(",") if x], args, out)
    out["summary"] = summary(out)
    out["finished_at"] = datetime.now(UTC).isoformat(timespec="seconds")
    out["load_average_at_end"] = os.getloadavg()
    args.out.write_text(json.dumps(out, indent=1) + "\n")
    print(json.dumps(out["summary"], indent=1))


if __name__ == "__main__":
    main()
