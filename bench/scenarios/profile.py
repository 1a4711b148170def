"""Scenario 6: py-spy samples of the gateway and the voting service while wrk drives Veche at its best load
(and, from scenario 2, of the results service while it replays the ledger)."""

import subprocess
import sys
from pathlib import Path
from typing import Any

from bench import flame, wrk
from bench.scenarios import VOTE_BODY, VOTE_PATH

PY_SPY = Path(sys.executable).parent / "py-spy"


def start_sampling(pid: int, seconds: float, raw: Path) -> subprocess.Popen[bytes]:
    """py-spy at 100 Hz, non-blocking (the process is not paused), collapsed stacks into raw."""
    argv = [str(PY_SPY), "record", "--nonblocking", "-r", "100", "-d", str(max(1, round(seconds)))]
    return subprocess.Popen(
        [*argv, "-p", str(pid), "-f", "raw", "-o", str(raw)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )


def finish_sampling(spy: subprocess.Popen[bytes], raw: Path, name: str, title: str, seconds: float) -> dict[str, Any]:
    """Wait for py-spy; write flame-<name>.svg beside raw; return the hot spots."""
    _, err = spy.communicate(timeout=seconds + 60)
    if spy.returncode or not raw.exists():
        return {"error": err.decode()[-300:]}
    stacks = flame.read_stacks(raw)
    (raw.parent / f"flame-{name}.svg").write_text(flame.svg(stacks, title))
    return {
        "samples": sum(stacks.values()),
        "hot_spots": flame.hot_spots(stacks),
        "hot_packages": flame.hot_packages(stacks),
        "svg": f"flame-{name}.svg",
    }


def measure(
    url: str, pids: dict[str, int], connections: int, seconds: float, tokens: Path, out: Path, cpus: str | None
) -> dict[str, Any]:
    """Sample each process during one wrk run at `connections`; write SVGs and collapsed stacks into out."""
    out.mkdir(parents=True, exist_ok=True)
    spies = {name: start_sampling(pid, seconds, out / f"profile-{name}.txt") for name, pid in pids.items()}
    load = wrk.run(url, connections, seconds, ["vote", VOTE_PATH, str(tokens), "1", VOTE_BODY], cpus)
    return {
        "load": load.as_dict(),
        "processes": {
            name: finish_sampling(spy, out / f"profile-{name}.txt", name, f"{name} under vote load", seconds)
            for name, spy in spies.items()
        },
    }
