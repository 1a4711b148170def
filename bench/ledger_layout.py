"""Ledger layout probe (`make ledger-probe`): broker memory and disk per ballot on a loopback R3 cluster.

For each layout of bench/ledger_layouts.py: start a fresh nats-server cluster, create the stream(s), publish the
ballots of N / 11 voters in 11 nominations, measure every node's RSS and store size, check that second attempts
are refused, restart every node, measure and check again. Writes bench/results/ledger-layout.json.
"""

import argparse
import asyncio
import json
import random
import tempfile
import time
from pathlib import Path
from typing import Any

import nats
from nats.js import JetStreamContext
from nats.js.errors import APIError

from bench.ledger_cluster import Cluster
from bench.ledger_layouts import NOMINATIONS, Layout, ballot_body, layouts

WRONG_LAST_SEQUENCE = 10071
LATE_SECONDS = 60.0
RESULTS = Path(__file__).parent / "results" / "ledger-layout.json"


def headers(layout: Layout, voter: int, nomination: int, expected: int) -> dict[str, str]:
    out = {"Nats-Expected-Last-Subject-Sequence": str(expected)}
    if layout.msg_id:
        out["Nats-Msg-Id"] = f"v{voter}n{nomination}"
    if layout.per_contest:  # the nominations voted so far, so a writer refuses a second ballot from one read
        out["Veche-Voted"] = f"{(1 << (nomination + 1)) - 1:x}"
    return out


Ledger = list[dict[int, int]]  # voter -> nomination -> sequence of the ballot


async def publish_all(js: JetStreamContext, layout: Layout, voters: int) -> tuple[Ledger, int]:
    """Round j writes every voter's ballot in nomination j; returns each voter's sequences and the errors."""
    seqs: Ledger = [{} for _ in range(voters)]
    errors = 0
    for nomination in range(NOMINATIONS):
        futures = []
        for voter in range(voters):
            expected = max(seqs[voter].values(), default=0) if layout.per_contest else 0
            hdrs = headers(layout, voter, nomination, expected)
            subject = layout.subject(voter, nomination)
            futures.append(await js.publish_async(subject, ballot_body(voter, nomination), 30, headers=hdrs))
        for voter, outcome in enumerate(await asyncio.gather(*futures, return_exceptions=True)):
            if isinstance(outcome, BaseException):
                errors += 1
            else:
                seqs[voter][nomination] = outcome.seq
    return seqs, errors


async def second_attempts(js: JetStreamContext, layout: Layout, seqs: Ledger, tries: int) -> dict[str, int]:
    """Write again ballots that are already in the ledger: each must be refused with 'wrong last sequence'."""
    refused = accepted = other = 0
    rng = random.Random()
    for attempt in range(tries):
        voter = rng.randrange(len(seqs))
        nomination = rng.choice(list(seqs[voter]))
        # per-contest: a writer that raced with the first ballot read the sequence before it, and expects that
        earlier = [seq for n, seq in seqs[voter].items() if n < nomination]
        stale = max(earlier, default=0) if layout.per_contest else 0
        hdrs = headers(layout, voter, nomination, stale)
        if layout.msg_id:  # a different ballot, not a retry of the same one
            hdrs["Nats-Msg-Id"] = f"second-{attempt}-{voter}-{nomination}"
        try:
            await js.publish(layout.subject(voter, nomination), ballot_body(voter, nomination), 10, headers=hdrs)
            accepted += 1
        except APIError as error:
            refused += error.err_code == WRONG_LAST_SEQUENCE
            other += error.err_code != WRONG_LAST_SEQUENCE
    return {"tries": tries, "refused": refused, "accepted": accepted, "other_errors": other}


async def write_latency(js: JetStreamContext, layout: Layout, count: int) -> float:
    """Mean ms of one more ballot per voter written one at a time, with the read a per-contest writer needs."""
    extra = NOMINATIONS  # a twelfth nomination, not yet voted by anyone
    started = time.perf_counter()
    for voter in range(count):
        expected = 0
        if layout.per_contest:
            subject = layout.subject(voter, extra)
            msg = await js.get_last_msg(layout.stream_of(subject), subject, direct=True)
            if int((msg.headers or {}).get("Veche-Voted", "0"), 16) >> extra & 1:
                raise RuntimeError("the probe's extra nomination is already voted")
            expected = msg.seq or 0
        hdrs = headers(layout, voter, extra, expected)
        await js.publish(layout.subject(voter, extra), ballot_body(voter, extra), 10, headers=hdrs)
    return (time.perf_counter() - started) * 1000 / count


async def settled(js: JetStreamContext, layout: Layout, expected_msgs: int, timeout: float = 180) -> float:
    """Seconds until every stream holds its messages and every replica is current."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        try:
            infos = [await js.stream_info(s.name or "") for s in layout.streams]
            msgs = sum(i.state.messages for i in infos)
            replicas = [r for i in infos for r in ((i.cluster.replicas or []) if i.cluster else [])]
            if msgs >= expected_msgs and all(r.current and not r.lag for r in replicas):
                return time.perf_counter() - started
        except Exception:  # noqa: S110 - a restarting cluster answers errors until its leaders are elected
            pass
        await asyncio.sleep(0.5)
    raise TimeoutError(f"layout {layout.key}: streams did not settle in {timeout} s")


async def create_streams(js: JetStreamContext, layout: Layout, timeout: float = 90) -> None:
    """Create the layout's streams once the new cluster has a meta leader, and wait until each has its leader."""
    deadline = time.monotonic() + timeout
    for config in layout.streams:
        while time.monotonic() < deadline:
            try:
                await js.add_stream(config)
                info = await js.stream_info(config.name or "")
                if info.cluster is not None and info.cluster.leader:
                    break
            except (nats.errors.TimeoutError, APIError):
                pass
            await asyncio.sleep(0.5)
        else:
            raise TimeoutError(f"stream {config.name} has no leader after {timeout} s")


async def measure(cluster: Cluster, layout: Layout, voters: int, tries: int) -> dict[str, Any]:
    """Publish, check, restart every node, check again; RSS and disk of every node at each step."""
    nc = await nats.connect(cluster.urls, max_reconnect_attempts=-1)
    js = nc.jetstream(publish_async_max_pending=4_000)
    await create_streams(js, layout)
    out: dict[str, Any] = {"layout": layout.key, "title": layout.title, "voters": voters, "nodes": cluster.size}
    out["empty"] = {"rss_mb": cluster.rss_mb(), "disk_mb": cluster.disk_mb(), "cpu_s": cluster.cpu_seconds()}
    started = time.perf_counter()
    seqs, out["publish_errors"] = await publish_all(js, layout, voters)
    out["publish_seconds"] = time.perf_counter() - started
    out["ballots"] = sum(len(s) for s in seqs)
    out["subjects"] = len({layout.subject(v, n) for v, ballots in enumerate(seqs) for n in ballots})
    out["settle_seconds"] = await settled(js, layout, out["ballots"])
    out["published"] = {"rss_mb": cluster.rss_mb(), "disk_mb": cluster.disk_mb(), "cpu_s": cluster.cpu_seconds()}
    out["second_attempts"] = await second_attempts(js, layout, seqs, tries)
    await nc.close()
    cluster.restart()
    restarted = time.monotonic()
    nc = await nats.connect(cluster.urls, max_reconnect_attempts=-1)
    js = nc.jetstream()
    out["restart_settle_seconds"] = await settled(js, layout, out["ballots"])
    await asyncio.sleep(2)
    out["restarted"] = {"rss_mb": cluster.rss_mb(), "disk_mb": cluster.disk_mb()}
    out["second_attempts_after_restart"] = await second_attempts(js, layout, seqs, tries)
    out["write_ms_one_at_a_time"] = await write_latency(js, layout, min(voters, 2_000))
    await nc.close()
    # a minute on: block caches loaded at recovery have expired and Go has returned part of its free heap
    await asyncio.sleep(max(0.0, LATE_SECONDS - (time.monotonic() - restarted)))
    out["restarted_late"] = {"rss_mb": cluster.rss_mb(), "seconds_after_restart": LATE_SECONDS}
    return out


def per_ballot(result: dict[str, Any]) -> dict[str, float]:
    """Bytes per ballot on the busiest node: growth over the empty cluster after publish and after restart."""
    ballots = result["ballots"]

    def growth(step: str, metric: str) -> float:
        pairs = zip(result[step][metric], result["empty"][metric], strict=True)
        return float(max(after - before for after, before in pairs)) * 2**20 / float(ballots)

    cpu = [a - b for a, b in zip(result["published"]["cpu_s"], result["empty"]["cpu_s"], strict=True)]
    return {
        "broker_cpu_ms_all_nodes": sum(cpu) * 1000 / ballots,
        "rss_after_publish": growth("published", "rss_mb"),
        "rss_after_restart": growth("restarted", "rss_mb"),
        "rss_a_minute_after_restart": growth("restarted_late", "rss_mb"),
        "disk_after_restart": growth("restarted", "disk_mb"),
    }


def table(results: list[dict[str, Any]]) -> str:
    """The markdown table of docs/capacity.md: per node, bytes per ballot; second attempts refused."""
    rows = [
        "| layout | subjects | RSS after publish | after restart | writing again (a minute after restart) | disk "
        "| broker CPU, all nodes | second attempts refused (before / after restart) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        per = r["per_ballot_bytes"]
        checks = (r["second_attempts"], r["second_attempts_after_restart"])
        refused = [f"{a['refused']:,} of {a['tries']:,}" for a in checks]
        late = per.get("rss_a_minute_after_restart")
        rows.append(
            f"| ({r['layout']}) {r['title']} | {r['subjects']:,} | {per['rss_after_publish']:,.0f} B "
            f"| {per['rss_after_restart']:,.0f} B | {f'{late:,.0f} B' if late is not None else 'n/a'} "
            f"| {per['disk_after_restart']:,.0f} B | {per['broker_cpu_ms_all_nodes']:.3f} ms | {' / '.join(refused)} |"
        )
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--ballots", type=int, default=200_000, help="ballots per layout (voters x 11)")
    parser.add_argument("--layouts", default="a,a0,b,c,e,d,f,p")
    parser.add_argument("--tries", type=int, default=2_000, help="second attempts before and after the restart")
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--report", action="store_true", help="print the table of --out and stop")
    args = parser.parse_args()
    if args.report:
        print(table(json.loads(args.out.read_text())))
        return
    results = []
    for key in args.layouts.split(","):
        layout = layouts()[key]
        with tempfile.TemporaryDirectory(prefix=f"veche-ledger-{key}-") as tmp:
            cluster = Cluster(Path(tmp), layout.nodes, layout.tags, layout.mappings)
            cluster.start()
            try:
                result = asyncio.run(measure(cluster, layout, args.ballots // NOMINATIONS, args.tries))
            finally:
                cluster.stop()
        result["per_ballot_bytes"] = per_ballot(result)
        results.append(result)
        print(json.dumps(result), flush=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=1) + "\n")
    print(table(results))


if __name__ == "__main__":
    main()
