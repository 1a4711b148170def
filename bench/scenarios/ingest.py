"""Scenario 1: the highest sustained votes/s with p99 under the limit and no errors, for Veche, B1 and B0.

wrk is closed-loop: each step of the ladder holds a number of keep-alive connections busy for a while; the
best step is the one with the most votes/s among those that kept p99 under the limit without errors.
"""

from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench import wrk
from bench.procs import cpu_seconds
from bench.scenarios import VOTE_BODY, VOTE_PATH
from bench.sizes import Sizes
from bench.stats import summary

TokenFiles = Callable[[int], Path]


def _cpu(pids: dict[str, int]) -> dict[str, float]:
    return {name: cpu_seconds(pid) for name, pid in pids.items()}


def step(
    url: str, connections: int, sizes: Sizes, token_file: Path, cpus: str | None, pids: dict[str, int]
) -> dict[str, Any]:
    """One wrk run, with the CPU milliseconds each server process spent per accepted vote."""
    before = _cpu(pids)
    run = wrk.run(url, connections, sizes.step_seconds, ["vote", VOTE_PATH, str(token_file), "1", VOTE_BODY], cpus)
    accepted = max(1, run.requests - run.errors)
    spent = {name: 1000 * (cpu - before[name]) / accepted for name, cpu in _cpu(pids).items()}
    return run.as_dict() | {"cpu_ms_per_vote": spent, "cpu_ms_per_vote_total": sum(spent.values())}


def ladder(
    url: str, sizes: Sizes, tokens: TokenFiles, cpus: str | None, unique: bool, pids: dict[str, int]
) -> dict[str, Any]:
    """Climb the connection ladder until a step breaks the p99 limit or errs; return every step and the best."""
    steps: list[dict[str, Any]] = []
    best: dict[str, Any] | None = None
    for connections in sizes.ladder:
        expected = max(2_000.0, 3 * (best["rate"] if best else 0.0))
        run = step(url, connections, sizes, tokens(int(expected * sizes.step_seconds) + 500), cpus, pids)
        steps.append(run)
        ok = run["errors"] == 0 and run["p99_ms"] < sizes.p99_limit_ms and not (unique and run["tokens_reused"])
        if not ok:
            break
        if best is None or run["rate"] > best["rate"]:
            best = run
    return {"steps": steps, "best": best}


def measure(
    targets: dict[str, str], pids: dict[str, dict[str, int]], sizes: Sizes, tokens: TokenFiles, cpus: str | None
) -> dict[str, Any]:
    """Each target's ladder, repeated; the repetitions interleave targets so that noise hits all alike."""
    reps: dict[str, list[dict[str, Any]]] = {name: [] for name in targets}
    shared_tokens = tokens(20_000)
    for _ in range(sizes.repeats):
        for name, url in targets.items():
            unique = name == "veche"  # only Veche checks tokens and refuses a second ballot
            source = tokens if unique else (lambda _count: shared_tokens)
            reps[name].append(ladder(url, sizes, source, cpus, unique, pids[name]))
    return {name: _summarise(runs) for name, runs in reps.items()}


def _summarise(runs: list[dict[str, Any]]) -> dict[str, Any]:
    bests = [r["best"] for r in runs if r["best"]]
    return {
        "max_rate": summary([b["rate"] for b in bests]),
        "p99_ms_at_max": summary([b["p99_ms"] for b in bests]),
        "connections_at_max": [b["connections"] for b in bests],
        "loadgen_cpu_share_at_max": summary([b["loadgen_cpu_share"] for b in bests]),
        "server_cpu_ms_per_vote_at_max": summary([b["cpu_ms_per_vote_total"] for b in bests]),
        "failed_repetitions": len(runs) - len(bests),
        "accepted_votes": sum(s["requests"] - s["errors"] for r in runs for s in r["steps"]),
        "repetitions": runs,
    }
