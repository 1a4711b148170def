"""Scenario 5: resident memory of every process, before and after the votes of a run."""

from typing import Any

from bench.procs import rss_mb


def snapshot(pids: dict[str, int]) -> dict[str, float | None]:
    return {name: rss_mb(pid) for name, pid in sorted(pids.items())}


def growth(before: dict[str, float | None], after: dict[str, float | None], votes: int) -> dict[str, Any]:
    rows = {}
    for name in sorted(set(before) | set(after)):
        b, a = before.get(name), after.get(name)
        rows[name] = {"before_mb": b, "after_mb": a, "growth_mb": (a - b) if a is not None and b is not None else None}
    return {"votes": votes, "processes": rows}
