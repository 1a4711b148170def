"""Scenario 3: time from a vote's 202 to the first event of the gateway's leaderboard SSE stream whose version
(the event id) includes that vote: results' projection, its live publisher and the gateway's relay, end to end.
"""

import asyncio
import bisect
import json
from typing import Any
from urllib.parse import urlsplit

from bench import httpload, sse
from bench.procs import own_cpu_seconds, running_on
from bench.scenarios import STREAM_PATH, VOTE_BODY, VOTE_PATH
from bench.stats import percentile, summary
from bench.tokens import TokenPool


async def one_run(url: str, rate: float, seconds: float, pool: TokenPool) -> dict[str, Any]:
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    requests = [
        httpload.post(host, port, VOTE_PATH, VOTE_BODY, {"Authorization": f"Bearer {t}"})
        for t in pool.tokens(int(rate * seconds))
    ]
    stream = await sse.open_stream(host, port, STREAM_PATH)
    cpu_before = own_cpu_seconds()
    answers = await httpload.paced(host, port, requests, rate, connections=64)
    cpu = own_cpu_seconds() - cpu_before
    await asyncio.sleep(1.5)  # the last snapshots (results publishes every 0.25 s)
    stream.close()
    return _freshness(answers, stream.events) | {"rate": rate, "seconds": seconds, "loadgen_cpu_share": cpu / seconds}


def _freshness(answers: list[httpload.Answer], seen: list[tuple[float, int]]) -> dict[str, Any]:
    seen.sort()
    times = [t for t, _ in seen]
    newest: list[int] = []  # running max of versions: the first snapshot covering a sequence is a bisection away
    for _, version in seen:
        newest.append(max(version, newest[-1] if newest else 0))
    delays, early, missing = [], 0, 0
    accepted = [a for a in answers if a.status == 202]
    for answer in accepted:
        at = bisect.bisect_left(newest, int(json.loads(answer.body)["sequence"]))
        if at == len(newest):
            missing += 1
            continue
        delay = times[at] - answer.done
        early += delay < 0
        delays.append(max(0.0, delay) * 1000)
    delays.sort()
    latencies = sorted((a.done - a.scheduled) * 1000 for a in answers)
    return {
        "votes": len(answers),
        "errors": len(answers) - len(accepted),
        "p50_ms": percentile(delays, 50),
        "p99_ms": percentile(delays, 99),
        "max_ms": delays[-1] if delays else None,
        "seen_before_202": early,
        "never_seen": missing,
        "vote_p99_ms": percentile(latencies, 99),
        "snapshots": len(seen),
    }


def measure(url: str, rate: float, seconds: float, repeats: int, pool: TokenPool, cpus: str | None) -> dict[str, Any]:
    """Repeat at a fixed rate; the harness process (the load generator here) runs on the load generator's CPU."""
    with running_on(cpus):
        runs = [asyncio.run(one_run(url, rate, seconds, pool)) for _ in range(repeats)]
    return {
        "generator": "bench/httpload.py (open loop, asyncio, 64 keep-alive connections)",
        "listener": f"bench/sse.py: one SSE client of GET {STREAM_PATH}",
        "rate": rate,
        "p50_ms": summary([r["p50_ms"] for r in runs]),
        "p99_ms": summary([r["p99_ms"] for r in runs]),
        "loadgen_cpu_share": summary([r["loadgen_cpu_share"] for r in runs]),
        "accepted_votes": sum(r["votes"] - r["errors"] for r in runs),
        "repetitions": runs,
    }
