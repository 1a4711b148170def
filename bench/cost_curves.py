"""Cost curves (`make cost-curves`, not part of `make test`): what the ledger's size does to the vote path.

One nats-server (JetStream, file store, as `veche up` runs it) on a free port in a temporary folder. At each
level (ballots already in VOTES: 0, 1,000,000, 3,000,000 by default) it measures, with the subjects and headers
the voting service writes (`votes.cast.<partition>.<contest>.<nomination>.<voter>`,
Nats-Expected-Last-Subject-Sequence: 0, Nats-Msg-Id):

- ingest: new ballots written with `--inflight` writes in flight for `--seconds`: rate and latency p50/p99;
- first-write-wins check: second ballots of voters already in the ledger, one at a time: latency of the refusal;
- replay: a new consumer from the start of the ledger, unfiltered (one results partition) and filtered on one
  ledger partition (a results partition of several): time to the first batch and messages per second, over at
  most `--replay` messages;
- nats-server's RSS.

The ledger is then filled up to the next level (the filling is not timed). Writes bench/results/cost-curves.json
and bench/results/cost-curves.png; the machine's load average is recorded with every level.
"""

import argparse
import asyncio
import json
import os
import random
import tempfile
import time
from pathlib import Path
from typing import Any

import nats
from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from nats.js.errors import APIError

from bench.procs import rss_mb
from bench.stats import percentile
from veche_dev import devstack
from veche_dev.demo_load import demo_data
from veche_shared import subjects
from veche_shared.bus import declare_streams

RESULTS = Path(__file__).parent / "results"
CONTEST = "forum-2018"
NOMINATIONS = [n["id"] for n in demo_data()["nominations"]]


def ballot(i: int) -> tuple[str, bytes, dict[str, str]]:
    """Voter i's ballot (voters take the nominations in turn): subject, VoteCast-sized body, the writer's headers."""
    nomination, voter = NOMINATIONS[i % len(NOMINATIONS)], f"{i:064x}"
    body = (
        f'{{"schema_version":1,"vote_id":"curve{i:012d}","contest":"{CONTEST}","nomination":"{nomination}",'
        f'"practice":"{nomination}-{i % 7}","voter_hash":"{voter}","identity_mode":"jwt",'
        f'"cast_at":"2026-11-29T12:00:00Z","idempotency_hash":null}}'
    ).encode()
    headers = {"Nats-Expected-Last-Subject-Sequence": "0", subjects.VOTED_HEADER: nomination}  # the voter's first
    return subjects.vote_cast(CONTEST, voter), body, headers


async def fill(js: JetStreamContext, start: int, end: int) -> None:
    for i in range(start, end):
        subject, body, headers = ballot(i)
        await js.publish_async(subject, body, headers=headers, stream=subjects.VOTES_STREAM, wait_stall=120)
    await js.publish_async_completed()


async def ingest(js: JetStreamContext, first: int, seconds: float, inflight: int) -> tuple[int, dict[str, Any]]:
    """New ballots from voter `first` on, `inflight` writers at a time, for `seconds`; returns the next voter."""
    latencies: list[float] = []
    next_voter = first
    deadline = time.perf_counter() + seconds

    async def writer() -> None:
        nonlocal next_voter
        while time.perf_counter() < deadline:
            i, next_voter = next_voter, next_voter + 1
            subject, body, headers = ballot(i)
            started = time.perf_counter()
            await js.publish(subject, body, headers=headers, stream=subjects.VOTES_STREAM, timeout=30)
            latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    await asyncio.gather(*(writer() for _ in range(inflight)))
    elapsed = time.perf_counter() - started
    return next_voter, {"rate": len(latencies) / elapsed, "latency_ms": ms(latencies)}


async def second_ballots(js: JetStreamContext, voters: int, tries: int) -> dict[str, Any]:
    """Second ballots of random voters already in the ledger, one at a time: each must be refused."""
    latencies, refused = [], 0
    for _ in range(tries):
        subject, body, headers = ballot(random.randrange(voters))
        headers["Nats-Msg-Id"] = f"second-{random.random()}"  # a new ballot, not a retry of the first
        started = time.perf_counter()
        try:
            await js.publish(subject, body, headers=headers, stream=subjects.VOTES_STREAM, timeout=30)
        except APIError as error:
            refused += error.err_code == 10071  # wrong last sequence
        latencies.append(time.perf_counter() - started)
    return {"tries": tries, "refused": refused, "latency_ms": ms(latencies)}


async def replay(js: JetStreamContext, name: str, filter_subject: str | None, limit: int) -> dict[str, Any]:
    """A fresh consumer from the ledger's start: time to its first batch (one long fetch, as the projector's first
    on a backlog) and messages per second after it, up to `limit` messages."""
    config = ConsumerConfig(
        durable_name=name, ack_policy=AckPolicy.ALL, deliver_policy=DeliverPolicy.ALL, filter_subject=filter_subject
    )
    started = time.perf_counter()
    info = await js.add_consumer(subjects.VOTES_STREAM, config)
    target = min(limit, int(info.num_pending or 0))
    sub = await js.pull_subscribe_bind(durable=name, stream=subjects.VOTES_STREAM)
    got, first = 0, None
    try:
        while got < target:
            batch = await sub.fetch(min(1_000, target - got), timeout=60 if first is None else 5)
            first = first or time.perf_counter() - started
            got += len(batch)
            await batch[-1].ack()
    finally:
        await sub.unsubscribe()
        await js.delete_consumer(subjects.VOTES_STREAM, name)
    elapsed = time.perf_counter() - started - (first or 0)
    return {"messages": got, "first_batch_s": first, "rate": got / elapsed if elapsed > 0 else None}


def ms(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {"p50": percentile(ordered, 50) * 1000, "p99": percentile(ordered, 99) * 1000} if values else {}


async def level(
    js: JetStreamContext, voters: int, args: argparse.Namespace, nats_pid: int
) -> tuple[int, dict[str, Any]]:
    """Every measurement with `voters` ballots in the ledger; returns the next free voter and the row."""
    row: dict[str, Any] = {"ballots_in_ledger": voters, "load_average_before": os.getloadavg()}
    row["nats_rss_mb"] = rss_mb(nats_pid)
    row["second_ballots"] = await second_ballots(js, voters, args.tries) if voters else None
    busiest = subjects.ledger_partition(CONTEST)
    row["replay_unfiltered"] = await replay(js, f"curve-all-{voters}", None, args.replay) if voters else None
    one = subjects.ledger_partition_filter(busiest)
    row["replay_one_partition"] = await replay(js, f"curve-one-{voters}", one, args.replay) if voters else None
    next_voter, row["ingest"] = await ingest(js, voters, args.seconds, args.inflight)
    row["load_average_after"] = os.getloadavg()
    return next_voter, row


async def curves(url: str, args: argparse.Namespace, nats_pid: int) -> list[dict[str, Any]]:
    nc = await nats.connect(url)
    js = nc.jetstream(publish_async_max_pending=4_000)
    await declare_streams(js, replicas=1)
    rows, voters = [], 0
    try:
        for target in args.levels:
            if target > voters:
                started = time.perf_counter()
                await fill(js, voters, target)
                print(f"filled to {target} in {time.perf_counter() - started:.0f} s", flush=True)
                voters = target
            voters, row = await level(js, voters, args, nats_pid)
            print(json.dumps(row), flush=True)
            rows.append(row)
    finally:
        await nc.close()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--levels", type=lambda s: [int(x) for x in s.split(",")], default=[0, 1_000_000, 3_000_000])
    parser.add_argument("--seconds", type=float, default=20.0, help="of ingest at each level")
    parser.add_argument("--inflight", type=int, default=64, help="ballots being written at once during ingest")
    parser.add_argument("--tries", type=int, default=500, help="second ballots at each level")
    parser.add_argument("--replay", type=int, default=300_000, help="most messages read by each replay")
    parser.add_argument("--out", type=Path, default=RESULTS / "cost-curves.json")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="veche-cost-curves-") as tmp:
        port = devstack.free_port()
        server = devstack.start_nats(port, Path(tmp) / "nats", Path(tmp) / "logs")
        try:
            rows = asyncio.run(curves(f"nats://127.0.0.1:{port}", args, server.popen.pid))
        finally:
            server.stop()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"args": {k: str(v) for k, v in vars(args).items()}, "rows": rows}, indent=1))
    draw(rows, args.out.with_suffix(".png"))


def draw(rows: list[dict[str, Any]], out: Path) -> None:
    """Three panels over the ledger's size: ingest, the first-write-wins check, replay."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    x = [r["ballots_in_ledger"] / 1e6 for r in rows]
    fig, (ingest_ax, check_ax, replay_ax) = plt.subplots(1, 3, figsize=(15, 4.2))
    ingest_ax.plot(x, [r["ingest"]["rate"] for r in rows], "o-", label="ballots/s")
    ingest_ax.set_title("ingest (ledger write)")
    p99 = ingest_ax.twinx()
    p99.plot(x, [r["ingest"]["latency_ms"]["p99"] for r in rows], "s--", color="tab:red", label="p99 ms")
    p99.set_ylabel("p99 ms")
    checked = [r for r in rows if r["second_ballots"]]
    for key in ("p50", "p99"):
        check_ax.plot([r["ballots_in_ledger"] / 1e6 for r in checked],
                      [r["second_ballots"]["latency_ms"][key] for r in checked], "o-", label=key)  # fmt: skip
    check_ax.set_title("first-write-wins refusal (ms)")
    replayed = [r for r in rows if r["replay_unfiltered"]]
    rx = [r["ballots_in_ledger"] / 1e6 for r in replayed]
    for key, label in (("replay_unfiltered", "whole ledger"), ("replay_one_partition", "one ledger partition")):
        replay_ax.plot(rx, [r[key]["rate"] for r in replayed], "o-", label=f"{label}, msgs/s")
    replay_ax.set_title("replay rate (first batch: table)")
    for ax in (ingest_ax, check_ax, replay_ax):
        ax.set_xlabel("ballots already in the ledger (millions)")
        ax.legend(loc="lower left", fontsize=8)
    fig.tight_layout()
    fig.savefig(out, dpi=90)
    plt.close(fig)


if __name__ == "__main__":
    main()
