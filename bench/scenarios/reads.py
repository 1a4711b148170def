"""Scenario 4: leaderboard reads per second from the gateway against B3 (the same bytes from a bare endpoint),
and the 304 path when the gateway answers with an ETag."""

import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from bench import wrk
from bench.scenarios import LEADERBOARD_PATH
from bench.sizes import Sizes
from bench.stats import summary


def snapshot(gateway: str, into: Path) -> str | None:
    """Save the leaderboard's bytes for B3; return its ETag, if the gateway gives one."""
    with urllib.request.urlopen(gateway + LEADERBOARD_PATH, timeout=10) as answer:  # noqa: S310 - our own URL
        into.write_bytes(answer.read())
        etag: str | None = answer.headers.get("ETag")
        return etag


def still_current(gateway: str, etag: str) -> bool:
    """Whether the ETag still answers 304, i.e. the timed 304 runs really were 304s."""
    request = urllib.request.Request(gateway + LEADERBOARD_PATH, headers={"If-None-Match": etag})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=10):  # noqa: S310 - our own URL
            return False
    except urllib.error.HTTPError as answer:
        return answer.code == 304


def measure(targets: dict[str, tuple[str, str | None]], sizes: Sizes, cpus: str | None) -> dict[str, Any]:
    """targets: name -> (base URL, If-None-Match value or None); repetitions interleave the targets."""
    runs: dict[str, list[wrk.WrkRun]] = {name: [] for name in targets}
    for _ in range(sizes.repeats):
        for name, (url, etag) in targets.items():
            args = ["get", LEADERBOARD_PATH, *([etag] if etag else [])]
            runs[name].append(wrk.run(url, sizes.reads_connections, sizes.reads_seconds, args, cpus))
    return {
        name: {
            "rate": summary([r.rate for r in rs]),
            "p99_ms": summary([r.p99_ms for r in rs]),
            "errors": sum(r.errors for r in rs),
            "loadgen_cpu_share": summary([r.loadgen_cpu_share for r in rs]),
            "repetitions": [r.as_dict() for r in rs],
        }
        for name, rs in runs.items()
    }
