"""Everything a run measures, started on free ports: NATS, the database, Veche's services and the baselines."""

import json
import os
import secrets
import subprocess
import sys
import tempfile
from pathlib import Path

from veche_dev import devstack, nats_config
from veche_dev.devkeys import cli_operator_env

VENV_BIN = Path(sys.executable).parent
# the FastAPI baselines run with Veche's settings class, which refuses to start as production without secrets;
# they hold none (B1 signs in to NATS with the harness identity in its URL)
BASELINE_ENV = os.environ | {"VECHE_ENVIRONMENT": "dev"}


class Stack:
    """Processes of one benchmark run; stop() ends every one of them."""

    def __init__(self, work: Path | None = None) -> None:
        self.work = work or Path(tempfile.mkdtemp(prefix="veche-bench-"))
        self.logs = self.work / "logs"
        self.extra: dict[str, devstack.Process] = {}
        self.infra: list[devstack.Process] = []
        self.platform: devstack.Platform | None = None
        self.nats_url = ""  # with the harness identity's credentials: load generators publish anything

    def start_infra(self) -> None:
        nats_port, db_port = devstack.free_port(), devstack.free_port()
        passwords = nats_config.new_passwords(with_harness=True)
        conf = nats_config.write_server_config(devstack.base_nats_conf(), self.work / "nats-conf", passwords)
        self.infra.append(devstack.start_nats(nats_port, self.work / "nats", self.logs, conf))
        self.infra.append(devstack.start_localdb(db_port, self.work / "db", self.logs))
        plain = f"nats://127.0.0.1:{nats_port}"
        self.nats_url = f"nats://{nats_config.HARNESS}:{passwords[nats_config.HARNESS]}@127.0.0.1:{nats_port}"
        self.platform = devstack.Platform(plain, f"mongodb://127.0.0.1:{db_port}/", self.logs)
        unlimited = json.dumps({"burst": 10_000_000, "per_second": 10_000_000})  # one load generator, one address
        self.platform.extra_env = {
            "VECHE_ENVIRONMENT": "dev",  # the development keys sign the benchmark's tokens
            "VECHE_GATEWAY_RATE_IP_READS": unlimited,
            "VECHE_GATEWAY_RATE_IP_WRITES": unlimited,
            "VECHE_GATEWAY_RATE_VOTER": unlimited,
            "VECHE_GATEWAY_SSE_MAX_PER_IP": "100000",
            **nats_config.role_env(passwords),  # each service as its own NATS user, as in production
            **cli_operator_env("bench", secrets.token_urlsafe(24)),  # demo-load's operator key
        }

    def start_veche(self) -> str:
        """The four services and the demo contest forum-2018 (voting open); returns the gateway URL."""
        assert self.platform is not None
        self.platform.start_all()
        self.load_demo()
        return self.platform.url()

    def load_demo(self) -> None:
        """The demo contest through the submissions service (which must be running)."""
        demo = [sys.executable, "-m", "veche_dev.cli", "demo-load", "--nats", self.nats_url]
        env = os.environ | (self.platform.extra_env if self.platform else {})
        subprocess.run(demo, check=True, capture_output=True, timeout=60, env=env)

    def start_http(self, name: str, argv: list[str], port: int, env: dict[str, str] | None = None) -> str:
        """A baseline HTTP server; waits until GET /readyz answers 200."""
        process = devstack.spawn(name, argv, self.logs, env)
        self.extra[name] = process
        devstack.wait_ready(f"http://127.0.0.1:{port}/readyz", process)
        return f"http://127.0.0.1:{port}"

    def start_b1(self) -> str:
        port = devstack.free_port()
        argv = [sys.executable, "-m", "bench.baselines.b1_fastapi", str(port), self.nats_url]
        return self.start_http("b1", argv, port, BASELINE_ENV)

    def start_b3(self, body: Path) -> str:
        port = devstack.free_port()
        argv = [sys.executable, "-m", "bench.baselines.b3_fastapi", str(port), str(body)]
        return self.start_http("b3", argv, port, BASELINE_ENV)

    def start_b0(self) -> str:
        """Redis (no persistence, like example-voting-app's container) and the Flask vote app under gunicorn."""
        redis_port, port = devstack.free_port(), devstack.free_port()
        redis_argv = ["redis-server", "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "", "--appendonly"]
        redis = devstack.spawn("redis", [*redis_argv, "no", "--dir", str(self.work)], self.logs)
        self.extra["redis"] = redis
        devstack.wait_tcp(redis_port, redis)
        gunicorn = [str(VENV_BIN / "gunicorn"), "-w", "2", "-k", "gthread", "--threads", "4"]
        argv = [*gunicorn, "-b", f"127.0.0.1:{port}", "bench.baselines.b0_flask:app"]
        env = {"PATH": str(VENV_BIN), "REDIS_PORT": str(redis_port), "PYTHONPATH": str(Path.cwd())}
        return self.start_http("b0", argv, port, env)

    def pids(self) -> dict[str, int]:
        """Every running process of the run by name (gunicorn workers included)."""
        found = {p.name: p.popen.pid for p in self.infra}
        if self.platform is not None:
            found |= {p.name: p.popen.pid for p in self.platform.processes.values()}
        found |= {name: p.popen.pid for name, p in self.extra.items() if p.popen.poll() is None}
        if "b0" in found:
            for n, child in enumerate(_children(found["b0"])):
                found[f"b0-worker{n + 1}"] = child
        return found

    def restart(self, module: str) -> int:
        """A fresh process of one service on the same port; returns its pid."""
        assert self.platform is not None
        self.platform.processes[module].stop()
        return self.platform.start(module).popen.pid

    def pid(self, module: str) -> int:
        assert self.platform is not None
        return self.platform.processes[module].popen.pid

    def stop(self) -> None:
        for process in self.extra.values():
            process.stop()
        self.extra.clear()
        if self.platform is not None:
            self.platform.stop_all()
        for process in reversed(self.infra):
            process.stop()
        self.infra.clear()


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(p) for p in text.split()]
