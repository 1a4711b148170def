"""`python -m bench.run [--smoke]`: every scenario in one run, saved as JSON with the machine description."""

import argparse
import dataclasses
import json
import os
import time
import uuid
from pathlib import Path
from typing import Any

from bench import machine, report
from bench.procs import raise_open_files
from bench.scenarios import CONTEST, fanout, freshness, ingest, memory, profile, projection, reads
from bench.sizes import FULL, SMOKE, Sizes
from bench.stack import Stack
from bench.tokens import TokenPool
from veche_dev import devstack

RESULTS = Path(__file__).parent / "results"


def loadgen_cpus() -> str | None:
    """The load generators run on the last CPU (the services may use every CPU)."""
    cpus = sorted(os.sched_getaffinity(0))
    return str(cpus[-1]) if len(cpus) > 1 else None


def http_scenarios(sizes: Sizes, work: Path, out: Path, result: dict[str, Any]) -> None:
    """Scenarios 1, 3, 4, 5 (ingest side and SSE fan-out) and 6 on one stack: Veche, B1, B0, B3."""
    stack = Stack(work / "http")
    cpus = loadgen_cpus()
    try:
        stack.start_infra()
        gateway = stack.start_veche()
        targets = {"veche": gateway, "b1": stack.start_b1(), "b0": stack.start_b0()}
        pool = TokenPool(work / "tokens", CONTEST, uuid.uuid4().hex[:8])
        rss_before = memory.snapshot(stack.pids())
        _step("1 ingest")
        result["ingest"] = ingest.measure(targets, _server_pids(stack.pids()), sizes, pool.file, cpus)
        best = result["ingest"]["veche"]["repetitions"][-1]["best"] or {"connections": sizes.ladder[0]}
        _step("6 profile")
        pids = {"gateway": stack.pid("veche_gateway"), "voting": stack.pid("veche_voting")}
        tokens = pool.file(int(3_000 * sizes.profile_seconds) + 500)
        result["profile"] = profile.measure(
            gateway, pids, best["connections"], sizes.profile_seconds, tokens, out, cpus
        )
        _step("3 freshness")
        rate = max(1.0, _veche_max_rate(result["ingest"]["veche"]) / 2)
        result["freshness"] = freshness.measure(gateway, rate, sizes.freshness_seconds, sizes.repeats, pool, cpus)
        _step("4 reads")
        body = work / "leaderboard.json"
        etag = reads.snapshot(gateway, body)
        read_targets = {"veche": (gateway, None), "b3": (stack.start_b3(body), None)}
        if etag:
            read_targets["veche_304"] = (gateway, etag)
        result["reads"] = reads.measure(read_targets, sizes, cpus) | {"etag_supported": bool(etag)}
        result["reads"]["etag_still_current"] = bool(etag) and reads.still_current(gateway, etag)
        votes = result["ingest"]["veche"]["accepted_votes"] + result["freshness"]["accepted_votes"]
        votes += result["profile"]["load"]["requests"] - result["profile"]["load"]["errors"]
        result["memory_http"] = memory.growth(rss_before, memory.snapshot(stack.pids()), votes)
        _step("5 SSE fan-out")
        restart = lambda: stack.restart("veche_gateway")  # noqa: E731
        result["fanout"] = fanout.measure(gateway, restart, stack.nats_url, sizes, cpus)
    finally:
        stack.stop()


def projection_scenario(sizes: Sizes, work: Path, out: Path, result: dict[str, Any]) -> None:
    """Scenario 2 (and the results / NATS side of 5) on a fresh NATS and database."""
    stack = Stack(work / "projection")
    try:
        stack.start_infra()
        assert stack.platform is not None
        stack.platform.start("veche_submissions")
        stack.load_demo()
        _step("2 projection")
        result["projection"] = projection.measure(
            stack.platform,
            sizes.projection_votes,
            sizes.repeats,
            stack.infra[0].popen.pid,
            sizes.profile_seconds,
            out,
            harness_url=stack.nats_url,
        )
    finally:
        stack.stop()


def _server_pids(every: dict[str, int]) -> dict[str, dict[str, int]]:
    """The processes that serve each target's votes (for CPU per vote)."""
    veche = ("nats", "localdb", "gateway", "voting", "results", "submissions")
    return {
        "veche": {n: p for n, p in every.items() if n in veche},
        "b1": {n: p for n, p in every.items() if n in ("nats", "b1")},
        "b0": {n: p for n, p in every.items() if n == "redis" or n.startswith("b0")},
    }


def _veche_max_rate(veche: dict[str, Any]) -> float:
    """Scenario 1's median maximum; failing that (a smoke run on a busy machine), the first step's rate."""
    return float(veche["max_rate"]["median"] or veche["repetitions"][0]["steps"][0]["rate"])


def _step(name: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] scenario {name}", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description="Veche benchmarks")
    parser.add_argument("--smoke", action="store_true", help="every scenario tiny: checks the harness only")
    parser.add_argument("--projection-votes", type=int, help="scenario 2's vote count (default: 1,000,000 full)")
    parser.add_argument("--fanout-clients", type=int, help="SSE streams of scenario 5 (default: 5,000 full)")
    parser.add_argument("--step-seconds", type=float, help="length of one wrk run of scenario 1 (default: 6 full)")
    args = parser.parse_args()
    asked = {"projection_votes": args.projection_votes, "fanout_clients": args.fanout_clients}
    asked["step_seconds"] = args.step_seconds
    sizes = dataclasses.replace(SMOKE if args.smoke else FULL, **{k: v for k, v in asked.items() if v})
    out = RESULTS / "tmp" if args.smoke else RESULTS
    work = Path(os.environ.get("VECHE_BENCH_WORK", "") or (RESULTS / "tmp" / f"work-{uuid.uuid4().hex[:6]}"))
    result: dict[str, Any] = {"mode": sizes.mode, "sizes": sizes.__dict__}
    result["machine"] = machine.describe(devstack.nats_server_binary())
    result["machine"]["open_files_limit"] = raise_open_files()  # before any server starts: they inherit it
    started = time.monotonic()
    path = out / f"{sizes.mode}.json"
    out.mkdir(parents=True, exist_ok=True)
    http_scenarios(sizes, work, out, result)
    path.write_text(json.dumps(result, indent=1, default=str))  # kept even if the projection fails
    projection_scenario(sizes, work, out, result)
    result["seconds"] = time.monotonic() - started
    result["machine"]["load_average_at_end"] = list(os.getloadavg())
    path.write_text(json.dumps(result, indent=1, default=str))
    report.write(result, out, readme=None if args.smoke else Path(__file__).parent / "README.md")
    print(f"saved {path} in {result['seconds']:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
