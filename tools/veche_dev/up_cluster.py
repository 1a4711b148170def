"""`veche up-cluster`: the cluster shape (tools/veche_dev/cluster.py) on fixed loopback ports, with the demo
contest; Ctrl-C stops everything. State and logs go to .local-cluster/."""

import argparse
import asyncio
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

from veche_dev import devstack, nats_config, topology
from veche_dev.cluster import ClusterPlatform, replicas
from veche_dev.devkeys import dev_operator_env
from veche_dev.endpoints import local_passwords
from veche_dev.natscluster import PASSWORDS_ENV, NatsCluster, wait_jetstream
from veche_dev.up import DEV_IDENTITY_ENV, stop_on_signals

NATS_PORTS = [(4222, 6222), (4223, 6223), (4224, 6224)]  # (client, route) of nodes n1..n3
SERVICE_PORTS = [8111, 8112, 8121, 8122, 8131, 8132, 8001, 8002]  # in the order of cluster.replicas
BALANCER_PORT = 8000


def register(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    up = commands.add_parser("up-cluster", help="the replicated platform on a 3-node NATS cluster, behind HAProxy")
    up.set_defaults(run=_up_cluster)


def cluster_env(state: Path, passwords: dict[str, str]) -> dict[str, str]:
    """What every process of `veche up-cluster` gets beyond its own replica's settings: development secrets and
    identity, and each role its own NATS user."""
    env = dev_operator_env(state) | DEV_IDENTITY_ENV | {"VECHE_ENVIRONMENT": "dev"}
    return env | nats_config.role_env(passwords)


def _busy(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def _up_cluster(_: argparse.Namespace) -> int:
    fixed = [p for pair in NATS_PORTS for p in pair] + SERVICE_PORTS + [BALANCER_PORT, topology.MONGODB_PORT]
    if busy := [p for p in fixed if _busy(p)]:
        print(f"ports already in use: {busy} (is `make up` running?)")
        return 1
    state = devstack.project_root() / ".local-cluster"
    passwords = local_passwords(state)
    os.environ[PASSWORDS_ENV] = json.dumps(passwords)  # every node with one user per role (docs/security.md)
    nats = NatsCluster(state / "nats", state / "logs", ports=NATS_PORTS)
    started: list[devstack.Process] = []
    platform: ClusterPlatform | None = None
    stopping = stop_on_signals()
    try:
        nats.start_all()
        asyncio.run(wait_jetstream(nats.urls))
        mongodb_url = os.environ.get("VECHE_MONGODB_URL", "")
        if not mongodb_url:
            started.append(devstack.start_localdb(topology.MONGODB_PORT, state / "localdb", state / "logs"))
            mongodb_url = f"mongodb://127.0.0.1:{topology.MONGODB_PORT}/"
        platform = ClusterPlatform(state, nats, mongodb_url, BALANCER_PORT, replicas(SERVICE_PORTS))
        platform.extra_env = cluster_env(state, passwords)
        platform.start_all()
        demo = [sys.executable, "-m", "veche_dev.cli", "demo-load", "--nats", nats.urls]
        subprocess.run(demo, check=True, env=os.environ | platform.extra_env)
        _print_urls(platform)
        while not stopping.is_set():
            time.sleep(0.2)
    finally:
        print("\nstopping…", flush=True)
        if platform is not None:
            platform.stop_all()
        for process in started:
            process.stop()
        nats.stop_all()
    return 0


def _print_urls(platform: ClusterPlatform) -> None:
    gateway = platform.url()
    lines = [f"  {r.name:<14}  http://127.0.0.1:{r.port}" for r in platform.replicas]
    print(
        f"""
Veche (cluster shape) is running (logs in {platform.logs}):
  public page     {gateway}/   (HAProxy, round robin over the gateways)
  operations      {gateway}/ops?contest=forum-2018
  admin API key   {(platform.state / "admin-key").read_text().strip()}   (X-API-Key, role admin)
  NATS            {platform.nats.urls}   (JetStream cluster, streams R3)
  MongoDB         {platform.mongodb_url}
  replicas:
"""
        + "\n".join(lines)
        + "\nPress Ctrl-C to stop.",
        flush=True,
    )
