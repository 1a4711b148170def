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


SCENARIOS = ("ingest", "profile", "freshness", "reads", "fanout", "projection")


def http_scenarios(sizes: Sizes, work: Path, out: Path, result: dict[str, Any], only: set[str]) -> None:
    """Scenarios 1, 3, 4, 5 (ingest side and SSE fan-out) and 6 on one stack: Veche, B1, B0, B3."""
    stack = Stack(work / "http")
    cpus = loadgen_cpus()
    try:
        stack.start_infra()
        gateway = stack.start_veche()
        pool = TokenPool(work / "tokens", CONTEST, uuid.uuid4().hex[:8])
        rss_before = memory.snapshot(stack.pids())
        if "ingest" in only:
            _step("1 ingest")
            targets = {"veche": gateway, "b1": stack.start_b1(), "b0": stack.start_b0()}
            result["ingest"] = ingest.measure(targets, _server_pids(stack.pids()), sizes, pool.file, cpus)
        if "profile" in only:
            _step("6 profile")
            result["profile"] = _profile(stack, gateway, sizes, pool, out, result.get("ingest"), cpus)
        if "freshness" in only:
            _step("3 freshness")
            rate = max(1.0, _veche_max_rate(result["ingest"]["veche"]) / 2) if "ingest" in result else FRESH_RATE
            result["freshness"] = freshness.measure(gateway, rate, sizes.freshness_seconds, sizes.repeats, pool, cpus)
        if "reads" in only:
            _reads(stack, gateway, sizes, work, cpus, result)
        votes = result["ingest"]["veche"]["accepted_votes"] if "ingest" in result else 0
        votes += result["freshness"]["accepted_votes"] if "freshness" in result else 0
        if "profile" in result:
            votes += result["profile"]["load"]["requests"] - result["profile"]["load"]["errors"]
        result["memory_http"] = memory.growth(rss_before, memory.snapshot(stack.pids()), votes)
        if "fanout" in only:
            _step("5 SSE fan-out")
            restart = lambda: stack.restart("veche_gateway")  # noqa: E731
            result["fanout"] = fanout.measure(gateway, restart, stack.nats_url, sizes, cpus)
    finally:
        stack.stop()


FRESH_RATE = 150.0  # votes/s of scenario 3 when scenario 1 did not run


def _profile(
    stack: Stack, gateway: str, sizes: Sizes, pool: TokenPool, out: Path, ing: dict[str, Any] | None, cpus: str | None
) -> dict[str, Any]:
    """Scenario 6 at Veche's best ingest step (16 connections when scenario 1 did not run)."""
    best = (ing["veche"]["repetitions"][-1]["best"] if ing else None) or {"connections": 16 if not ing else 2}
    pids = {"gateway": stack.pid("veche_gateway"), "voting": stack.pid("veche_voting")}
    tokens = pool.file(int(3_000 * sizes.profile_seconds) + 500)
    return profile.measure(gateway, pids, best["connections"], sizes.profile_seconds, tokens, out, cpus)


def _reads(stack: Stack, gateway: str, sizes: Sizes, work: Path, cpus: str | None, result: dict[str, Any]) -> None:
    _step("4 reads")
    body = work / "leaderboard.json"
    etag = reads.snapshot(gateway, body)
    read_targets: dict[str, tuple[str, str | None]] = {"veche": (gateway, None), "b3": (stack.start_b3(body), None)}
    if etag:
        read_targets["veche_304"] = (gateway, etag)
    result["reads"] = reads.measure(read_targets, sizes, cpus) | {"etag_supported": bool(etag)}
    result["reads"]["etag_still_current"] = etag is not None and reads.still_current(gateway, etag)


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


def ledger_probes(result: dict[str, Any]) -> None:
    """Goals 6 and 7 come from the ledger's own probes, which take longer than this run: the broker memory of
    Veche's ledger after a restart (`python -m bench.broker_memory`; before issue 28 `make ledger-probe`, layout "p")
    and the cost curves (`make cost-curves`). Their files are read as they are, with their dates, when present."""
    probe = RESULTS / "broker-memory.json"
    layouts = RESULTS / "ledger-layout-partitioned.json"
    if probe.exists():
        run = json.loads(probe.read_text())
        result["broker_memory"] = {
            "source": f"{probe.name}, {run['at'][:10]}",
            "after_restart_bytes_per_ballot": run["bytes_per_ballot_after_restart"],
        }
    elif layouts.exists():
        for run in json.loads(layouts.read_text()):
            if run.get("layout") == "p":
                per_ballot = run["per_ballot_bytes"]
                measured = time.strftime("%Y-%m-%d", time.gmtime(layouts.stat().st_mtime))
                result["broker_memory"] = {
                    "source": f"{layouts.name}, {measured}",
                    "after_restart_bytes_per_ballot": per_ballot["rss_after_restart"],
                    "writing_again_bytes_per_ballot": per_ballot["rss_a_minute_after_restart"],
                }
    curves = RESULTS / "cost-curves.json"
    if curves.exists():
        result["cost_curves"] = {"source": curves.name, "rows": json.loads(curves.read_text())["rows"]}


def main() -> int:
    parser = argparse.ArgumentParser(description="Veche benchmarks")
    parser.add_argument("--smoke", action="store_true", help="every scenario tiny: checks the harness only")
    parser.add_argument("--projection-votes", type=int, help="scenario 2's vote count (default: 1,000,000 full)")
    parser.add_argument("--fanout-clients", type=int, help="SSE streams of scenario 5 (default: 5,000 full)")
    parser.add_argument("--step-seconds", type=float, help="length of one wrk run of scenario 1 (default: 6 full)")
    parser.add_argument("--repeats", type=int, help="repetitions of each scenario (default: 3 full)")
    parser.add_argument(
        "--scenarios",
        help=f"comma-separated subset of {','.join(SCENARIOS)}: a partial run, saved as partial-<time>.json "
        "(no README table)",
    )
    args = parser.parse_args()
    only = set(args.scenarios.split(",")) if args.scenarios else set(SCENARIOS)
    if only - set(SCENARIOS):
        parser.error(f"unknown scenarios: {', '.join(sorted(only - set(SCENARIOS)))}")
    asked = {"projection_votes": args.projection_votes, "fanout_clients": args.fanout_clients}
    asked |= {"step_seconds": args.step_seconds, "repeats": args.repeats}
    sizes = dataclasses.replace(SMOKE if args.smoke else FULL, **{k: v for k, v in asked.items() if v})
    out = RESULTS / "tmp" if args.smoke else RESULTS
    work = Path(os.environ.get("VECHE_BENCH_WORK", "") or (RESULTS / "tmp" / f"work-{uuid.uuid4().hex[:6]}"))
    result: dict[str, Any] = {"mode": sizes.mode, "sizes": sizes.__dict__}
    result["machine"] = machine.describe(devstack.nats_server_binary())
    result["machine"]["open_files_limit"] = raise_open_files()  # before any server starts: they inherit it
    started = time.monotonic()
    partial = only != set(SCENARIOS)
    if partial:
        out = RESULTS / "tmp"
    path = out / (f"partial-{time.strftime('%H%M%S')}.json" if partial else f"{sizes.mode}.json")
    out.mkdir(parents=True, exist_ok=True)
    result["scenarios"] = sorted(only)
    if only - {"projection"}:
        http_scenarios(sizes, work, out, result, only)
        path.write_text(json.dumps(result, indent=1, default=str))  # kept even if the projection fails
    if "projection" in only:
        projection_scenario(sizes, work, out, result)
    result["seconds"] = time.monotonic() - started
    result["machine"]["load_average_at_end"] = list(os.getloadavg())
    path.write_text(json.dumps(result, indent=1, default=str))
    if partial:
        print(report.partial(result))
    else:
        if not args.smoke:
            ledger_probes(result)
            path.write_text(json.dumps(result, indent=1, default=str))
        report.write(result, out, readme=None if args.smoke else Path(__file__).parent / "README.md")
    print(f"saved {path} in {result['seconds']:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
