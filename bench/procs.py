"""Process facts from /proc: resident memory and CPU time; CPU pinning with taskset."""

import os
import shutil
from pathlib import Path

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int) -> float | None:
    """Resident set size in MiB, or None if the process is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds a live process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def pinned(argv: list[str], cpus: str | None) -> list[str]:
    """argv run on the given CPU list (taskset -c), or as is when no pinning is asked or possible."""
    if not cpus or not shutil.which("taskset"):
        return argv
    return ["taskset", "-c", cpus, *argv]
