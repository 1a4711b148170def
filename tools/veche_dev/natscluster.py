"""A nats-server JetStream cluster of real processes on loopback: routes between the nodes, free ports."""

import asyncio
import contextlib
import json
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nats
import nats.errors
import nats.js.errors

from veche_dev import devstack, nats_config

PASSWORDS_ENV = "VECHE_NATS_CLUSTER_PASSWORDS"  # the users every node gets (set by the tests and by up-cluster)


@dataclass
class NatsNode:
    name: str
    port: int
    cluster_port: int
    store: Path
    process: devstack.Process | None = None
    monitor_port: int = 0  # nats-server's HTTP monitoring (/routez ...), when the cluster asks for it

    @property
    def url(self) -> str:
        return f"nats://127.0.0.1:{self.port}"


@dataclass
class NatsCluster:
    """Three nodes by default; JetStream on each, so R3 streams survive the loss of any one node. Ports are free
    ones unless `ports` gives (client, route) pairs."""

    base: Path
    logs: Path
    size: int = 3
    advertise: bool = True
    ports: list[tuple[int, int]] = field(default_factory=list)
    nodes: list[NatsNode] = field(default_factory=list)
    route_tls: dict[str, object] | None = None  # the `tls` block of the routes (cert, key, CA): TLS between nodes
    client_tls: dict[str, object] | None = None  # the top-level `tls` block: TLS (verify: mutual TLS) for clients
    monitor: bool = False

    def __post_init__(self) -> None:
        ports = self.ports or [(devstack.free_port(), devstack.free_port()) for _ in range(self.size)]
        for i, (client, route) in enumerate(ports):
            monitor = devstack.free_port() if self.monitor else 0
            self.nodes.append(NatsNode(f"n{i + 1}", client, route, self.base / f"n{i + 1}", monitor_port=monitor))

    def route_urls(self, besides: NatsNode | None = None) -> list[str]:
        return [f"nats://127.0.0.1:{n.cluster_port}" for n in self.nodes if n is not besides]

    @property
    def urls(self) -> str:
        return ",".join(node.url for node in self.nodes)

    def start(self, node: NatsNode) -> None:
        conf = devstack.base_nats_conf()
        if passwords := test_passwords():  # the users of the test session's own server: authentication stays on
            conf = nats_config.write_server_config(conf, self.base / f"{node.name}-conf", passwords)
        argv = [devstack.nats_server_binary(), "-c", str(conf), "-p", str(node.port), "-js", "-sd", str(node.store)]
        argv += ["--server_name", node.name]
        if self.route_tls is None:
            argv += ["--cluster_name", "veche", "--cluster", f"nats://127.0.0.1:{node.cluster_port}"]
            argv += ["--routes", ",".join(self.route_urls(besides=node))]
        if self.route_tls is not None or self.client_tls is not None:  # TLS blocks have no command-line flags
            routes = self.route_urls(besides=node)
            argv[2] = str(cluster_config(conf, node, routes, self.route_tls, client_tls=self.client_tls))
        if node.monitor_port:
            argv += ["-m", str(node.monitor_port)]
        if not self.advertise:  # clients then know only the URLs they were given
            argv += ["--no_advertise=true"]
        node.process = devstack.spawn(f"nats-{node.name}", argv, self.logs)
        devstack.wait_tcp(node.port, node.process)

    def start_all(self) -> None:
        for node in self.nodes:
            self.start(node)

    def kill(self, node: NatsNode) -> None:
        if node.process is not None:
            node.process.kill()

    def stop_all(self) -> None:
        for node in self.nodes:
            if node.process is not None:
                node.process.stop()


def cluster_config(
    base: Path,
    node: NatsNode,
    routes: list[str],
    tls: dict[str, object] | None,
    *,
    client_tls: dict[str, object] | None = None,
) -> Path:
    """base plus a `cluster` block with TLS on the routes (nats-server verifies both ends of a route) when tls is
    given, and a top-level `tls` block for the clients when client_tls is (the routes then come from the flags)."""
    text = base.read_text()
    if tls is not None:
        block = {"name": "veche", "listen": f"127.0.0.1:{node.cluster_port}", "routes": routes, "tls": tls}
        text += "\ncluster " + json.dumps(block) + "\n"
    if client_tls is not None:
        text += "\ntls " + json.dumps(client_tls) + "\n"
    conf = node.store.parent / f"{node.name}-cluster.conf"
    conf.parent.mkdir(parents=True, exist_ok=True)
    conf.touch(mode=0o600)
    conf.write_text(text)
    return conf


def test_passwords() -> dict[str, str]:
    """The NATS users' passwords the nodes get (tests/conftest.py, up-cluster), or none: no authorization."""
    found: dict[str, str] = json.loads(os.environ.get(PASSWORDS_ENV, "{}"))
    return found


def harness_options() -> dict[str, str]:
    passwords = test_passwords()
    user = nats_config.HARNESS if nats_config.HARNESS in passwords else "operator"
    return {"user": user, "password": passwords[user]} if passwords else {}


@contextlib.contextmanager
def running_cluster(base: Path, logs: Path, **options: Any) -> Iterator[NatsCluster]:
    cluster = NatsCluster(base, logs, **options)
    cluster.start_all()
    try:
        yield cluster
    finally:
        cluster.stop_all()


async def wait_jetstream(urls: str, timeout: float = 30) -> None:
    """Until the cluster has a JetStream meta leader (a fresh cluster elects one a few seconds after start)."""
    nc = await nats.connect(urls.split(","), **harness_options())
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                await nc.jetstream().account_info()
                return
            except (nats.errors.Error, nats.js.errors.Error, TimeoutError):
                if time.monotonic() > deadline:
                    raise
                await asyncio.sleep(0.2)
    finally:
        await nc.close()
