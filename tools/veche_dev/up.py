"""`veche up`: NATS, the local database (unless VECHE_MONGODB_URL is set) and every service; Ctrl-C stops all."""

import argparse
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from veche_dev import devstack, nats_config, topology
from veche_dev.devkeys import dev_operator_env
from veche_dev.endpoints import local_passwords
from veche_dev.observability import start_prometheus

# development only (a prod gateway refuses it): demo-votes casts many device ballots from this one address
DEV_IDENTITY_ENV = {"VECHE_GATEWAY_DEVICE_ISSUE_EXEMPT": '["127.0.0.0/8"]'}


def register(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    up = commands.add_parser("up", help="run the whole platform locally with demo data")
    up.add_argument("--nats-port", type=int, default=topology.NATS_PORT)
    up.add_argument("--db-port", type=int, default=topology.MONGODB_PORT)
    up.add_argument("--obs", action="store_true", help="also run Prometheus (apt-get installs it when missing)")
    up.add_argument("--prometheus-port", type=int, default=topology.PROMETHEUS_PORT)
    up.set_defaults(run=_up)


def _start_infra(args: argparse.Namespace, root: Path, state: Path) -> tuple[list[devstack.Process], str]:
    logs = state / "logs"
    conf = nats_config.write_server_config(devstack.base_nats_conf(), state / "nats-conf", local_passwords(state))
    infra = [devstack.start_nats(args.nats_port, state / "nats", logs, conf)]
    mongodb_url = os.environ.get("VECHE_MONGODB_URL", "")
    if not mongodb_url:
        infra.append(devstack.start_localdb(args.db_port, state / "localdb", logs))
        mongodb_url = f"mongodb://127.0.0.1:{args.db_port}/"
    if args.obs:
        infra.append(start_prometheus(root, state, args.prometheus_port))
        print(f"Prometheus      http://127.0.0.1:{args.prometheus_port}", flush=True)
    return infra, mongodb_url


def stop_on_signals() -> threading.Event:
    """Ctrl-C and SIGTERM set the returned flag instead of raising, so that every process is stopped in order."""
    stopping = threading.Event()
    signal.signal(signal.SIGINT, lambda *_: stopping.set())
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    return stopping


def _up(args: argparse.Namespace) -> int:
    root = devstack.project_root()
    state = root / ".local"
    infra, mongodb_url = _start_infra(args, root, state)
    ports = {process.module: process.port for process in topology.LOCAL}
    metrics_port = topology.find("veche_gateway").metrics_port or 0
    platform = devstack.Platform(
        f"nats://127.0.0.1:{args.nats_port}", mongodb_url, state / "logs", ports=ports, metrics_port=metrics_port
    )
    platform.extra_env = dev_operator_env(state) | DEV_IDENTITY_ENV | {"VECHE_ENVIRONMENT": "dev"}  # dev secrets
    platform.extra_env |= nats_config.role_env(local_passwords(state))  # each process its own NATS user
    stopping = stop_on_signals()
    try:
        platform.start_all()
        demo = [sys.executable, "-m", "veche_dev.cli", "demo-load", "--nats", platform.nats_url]
        subprocess.run(demo, check=True, env=os.environ | platform.extra_env)
        _print_urls(platform, state)
        while not stopping.is_set():
            time.sleep(0.2)
    finally:
        print("\nstopping…", flush=True)
        platform.stop_all()
        for process in reversed(infra):
            process.stop()
    return 0


def _print_urls(platform: devstack.Platform, state: Path) -> None:
    gateway = platform.url()
    print(
        f"""
Veche is running (logs in {state / "logs"}):
  public page     {gateway}/
  API docs        {gateway}/docs
  console         {gateway}/admin   (organisers: sign in with the admin key below)
  municipality    {gateway}/municipality   (representatives: sign in with an invitation key)
  operations      {gateway}/ops?contest=forum-2018   (sign in with the admin key below)
  leaderboard     {gateway}/api/v1/contests/forum-2018/nominations/peoples-diplomacy/leaderboard
  admin API key   {(state / "admin-key").read_text().strip()}   (X-API-Key, role admin)
  gateway metrics {platform.metrics_url("veche_gateway")}   (internal listener; the public port has none)
  NATS            {platform.nats_url}
  MongoDB         {platform.mongodb_url}
Press Ctrl-C to stop.""",
        flush=True,
    )
