"""The production shape on one machine: a three-node NATS cluster, every service replicated, a load balancer.

Used by `veche up-cluster` (fixed ports, `.local-cluster/`) and by the chaos run (free ports, a temporary folder).
Every service connects to all three NATS URLs and declares its streams with three replicas; the two results
processes share one database and each projects its own partition of the nominations; the gateways sit behind
HAProxy (Debian's), which is the only address clients use.
"""

import os
import shutil
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from veche_dev import devstack, topology
from veche_dev.natscluster import NatsCluster


@dataclass(frozen=True)
class Replica:
    name: str
    module: str
    port: int
    env: Mapping[str, str] = field(default_factory=dict)


def replicas(ports: list[int]) -> tuple[Replica, ...]:
    """Two of each service; ports in start order (the gateways last: they warm their boards by RPC)."""
    results = {"VECHE_RESULTS_PARTITIONS": "2"}
    gateway = {"VECHE_GATEWAY_TRUSTED_PROXIES": '["127.0.0.1"]'}  # HAProxy (loopback) adds X-Forwarded-For
    return (
        Replica("submissions-1", "veche_submissions", ports[0]),
        Replica("submissions-2", "veche_submissions", ports[1]),
        Replica("voting-1", "veche_voting", ports[2]),
        Replica("voting-2", "veche_voting", ports[3]),
        Replica("results-p0", "veche_results", ports[4], results | {"VECHE_RESULTS_OWNED_PARTITIONS": "[0]"}),
        Replica("results-p1", "veche_results", ports[5], results | {"VECHE_RESULTS_OWNED_PARTITIONS": "[1]"}),
        Replica("gateway-1", "veche_gateway", ports[6], gateway),
        Replica("gateway-2", "veche_gateway", ports[7], gateway),
    )


def haproxy_binary() -> str:
    found = shutil.which("haproxy") or ("/usr/sbin/haproxy" if Path("/usr/sbin/haproxy").exists() else None)
    if not found:
        raise RuntimeError("haproxy not found: `make up-cluster` installs it (apt-get install haproxy)")
    return found


def haproxy_config(port: int, gateways: list[Replica]) -> str:
    """Round robin over the gateways; a gateway that fails its readiness check is taken out within 1 s."""
    servers = "\n".join(f"    server {g.name} 127.0.0.1:{g.port} check inter 500ms fall 2 rise 1" for g in gateways)
    return f"""global
    maxconn 4000  # haproxy needs two descriptors per connection, within the open-file limit
defaults
    mode http
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    timeout tunnel 1h
    option forwardfor
    retries 2
    option redispatch
frontend veche
    bind 127.0.0.1:{port}
    default_backend gateways
backend gateways
    balance roundrobin
    option httpchk GET /readyz
{servers}
"""


@dataclass
class ClusterPlatform:
    """The processes of the cluster shape, each startable, killable and restartable by name."""

    state: Path
    nats: NatsCluster
    mongodb_url: str
    balancer_port: int
    replicas: tuple[Replica, ...]
    extra_env: dict[str, str] = field(default_factory=dict)
    processes: dict[str, devstack.Process] = field(default_factory=dict)

    @property
    def logs(self) -> Path:
        return self.state / "logs"

    def url(self) -> str:
        return f"http://127.0.0.1:{self.balancer_port}"

    def replica(self, name: str) -> Replica:
        return next(r for r in self.replicas if r.name == name)

    def env_for(self, replica: Replica) -> dict[str, str]:
        spec = topology.find(replica.module)
        own = spec.settings_env(self.nats.urls, self.mongodb_url, replica.port)
        if spec.metrics_port is not None:  # each gateway replica its own internal metrics listener
            own[f"{spec.env_prefix}METRICS_PORT"] = str(devstack.free_port())
        return os.environ | self.extra_env | own | {f"{spec.env_prefix}STREAM_REPLICAS": "3"} | dict(replica.env)

    def start(self, name: str) -> devstack.Process:
        replica = self.replica(name)
        argv = [sys.executable, "-m", replica.module]
        process = devstack.spawn(name, argv, self.logs, self.env_for(replica))
        self.processes[name] = process
        devstack.wait_ready(f"http://127.0.0.1:{replica.port}/readyz", process, timeout=90)
        return process

    def start_balancer(self) -> devstack.Process:
        gateways = [r for r in self.replicas if r.module == "veche_gateway"]
        config = self.state / "haproxy.cfg"
        config.write_text(haproxy_config(self.balancer_port, gateways))
        subprocess.run([haproxy_binary(), "-c", "-q", "-f", str(config)], check=True)
        process = devstack.spawn("haproxy", [haproxy_binary(), "-db", "-f", str(config)], self.logs)
        devstack.wait_ready(f"{self.url()}/readyz", process)
        self.processes["haproxy"] = process
        return process

    def start_all(self) -> None:
        results = next(r for r in self.replicas if r.module == "veche_results")
        devstack.provision(self.nats.urls, self.env_for(results), replicas=3)
        for replica in self.replicas:
            self.start(replica.name)
        self.start_balancer()

    def stop_all(self) -> None:
        for process in reversed(list(self.processes.values())):
            process.stop()
        self.processes.clear()
