"""`veche up --obs`: Prometheus from Debian's package, scraping every process of the local platform."""

import shutil
import subprocess
from pathlib import Path

from veche_dev import devstack


def ensure_prometheus() -> str:
    """The prometheus binary, installed with apt-get (Debian's `prometheus` package) when missing."""
    found = shutil.which("prometheus")
    if found:
        return found
    sudo = [] if shutil.which("sudo") is None else ["sudo"]
    subprocess.run([*sudo, "apt-get", "update"], check=True)
    subprocess.run([*sudo, "apt-get", "install", "-y", "--no-install-recommends", "prometheus"], check=True)
    found = shutil.which("prometheus")
    if not found:
        raise RuntimeError("apt-get installed prometheus but it is not on PATH")
    return found


def start_prometheus(root: Path, state: Path, port: int) -> devstack.Process:
    """Prometheus on 127.0.0.1:<port> with deploy/observability/prometheus.yml and its alert rules."""
    binary = ensure_prometheus()
    argv = [
        binary,
        f"--config.file={root / 'deploy' / 'observability' / 'prometheus.yml'}",
        f"--storage.tsdb.path={state / 'prometheus'}",
        f"--web.listen-address=127.0.0.1:{port}",
    ]
    process = devstack.spawn("prometheus", argv, state / "logs")
    devstack.wait_ready(f"http://127.0.0.1:{port}/-/ready", process)
    return process
