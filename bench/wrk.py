"""Runs wrk (closed loop, one thread, keep-alive connections) with bench/lua/veche.lua and reads its summary."""

import json
import os
import subprocess
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from bench.procs import pinned

SCRIPT = Path(__file__).parent / "lua" / "veche.lua"


@dataclass(frozen=True)
class WrkRun:
    connections: int
    requests: int
    seconds: float
    rate: float  # successful requests per second
    errors: int  # connect/read/write errors, timeouts, and answers >= 400
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    loadgen_cpu_seconds: float  # wrk's user + system time
    loadgen_cpu_share: float  # of one core, over the run
    tokens_reused: bool

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def run(url: str, connections: int, seconds: float, args: list[str], cpus: str | None) -> WrkRun:
    """One wrk run; args go to the Lua script (see its header)."""
    argv = ["wrk", "-t", "1", "-c", str(connections), "-d", f"{max(1, round(seconds))}s", "--timeout", "2s"]
    argv = pinned([*argv, "-s", str(SCRIPT), url, "--", *args], cpus)
    with tempfile.TemporaryFile() as out_file, tempfile.TemporaryFile() as err_file:
        process = subprocess.Popen(argv, stdout=out_file, stderr=err_file)
        _, status, usage = os.wait4(process.pid, 0)  # wait4, not wait: it hands back wrk's CPU time
        process.returncode = os.waitstatus_to_exitcode(status)
        out, err = _read(out_file), _read(err_file)
    if process.returncode:
        raise RuntimeError(f"wrk failed ({process.returncode}): {err[-500:]}")
    line = next((x for x in out.splitlines() if x.startswith("WRKJSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk printed no summary: {out[-500:]} {err[-500:]}")
    s = json.loads(line.removeprefix("WRKJSON "))
    duration = s["duration_us"] / 1e6
    errors = s["connect"] + s["read"] + s["write"] + s["status"] + s["timeout"]
    cpu = float(usage.ru_utime + usage.ru_stime)
    return WrkRun(
        connections=connections,
        requests=s["requests"],
        seconds=duration,
        rate=(s["requests"] - errors) / duration if duration else 0.0,
        errors=errors,
        p50_ms=s["p50_us"] / 1000,
        p90_ms=s["p90_us"] / 1000,
        p99_ms=s["p99_us"] / 1000,
        max_ms=s["max_us"] / 1000,
        loadgen_cpu_seconds=cpu,
        loadgen_cpu_share=cpu / duration if duration else 0.0,
        tokens_reused=s["wrapped"] > 0,
    )


def _read(file: Any) -> str:
    file.seek(0)
    return str(file.read().decode(errors="replace"))
