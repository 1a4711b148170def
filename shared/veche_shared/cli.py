"""The `veche` command: `veche up` here, more subcommands from each installed package."""

import argparse
import os
import signal
import subprocess
import sys
import time
from importlib.metadata import entry_points
from pathlib import Path

from veche_shared import devstack
from veche_shared.devkeys import dev_operator_env
from veche_shared.observability import start_prometheus


def _up(args: argparse.Namespace) -> int:
    """Start NATS, the local database (unless VECHE_MONGODB_URL is set) and every service; Ctrl-C stops all."""
    root = devstack.project_root()
    state = root / ".local"
    infra: list[devstack.Process] = []
    logs = state / "logs"
    infra.append(devstack.start_nats(args.nats_port, state / "nats", logs))
    mongodb_url = os.environ.get("VECHE_MONGODB_URL", "")
    if not mongodb_url:
        infra.append(devstack.start_localdb(args.db_port, state / "localdb", logs))
        mongodb_url = f"mongodb://127.0.0.1:{args.db_port}/"
    if args.obs:
        infra.append(start_prometheus(root, state, args.prometheus_port))
        print(f"Prometheus      http://127.0.0.1:{args.prometheus_port}", flush=True)
    platform = devstack.Platform(
        f"nats://127.0.0.1:{args.nats_port}", mongodb_url, logs, ports=dict(args.ports), metrics_port=8100
    )
    platform.extra_env = dev_operator_env(state) | {"VECHE_ENVIRONMENT": "dev"}  # development secrets allowed
    stopping = False

    def stop(*_: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    try:
        platform.start_all()
        subprocess.run([sys.executable, "-m", "veche_shared.cli", "demo-load", "--nats", platform.nats_url], check=True)
        _print_urls(platform, state)
        while not stopping:
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
  operations      {gateway}/ops?contest=forum-2018   (sign in with the admin key below)
  leaderboard     {gateway}/api/v1/contests/forum-2018/nominations/peoples-diplomacy/leaderboard
  admin API key   {(state / "admin-key").read_text().strip()}   (X-API-Key, role admin)
  gateway metrics {platform.metrics_url("veche_gateway")}   (internal listener; the public port has none)
  NATS            {platform.nats_url}
  MongoDB         {platform.mongodb_url}
Press Ctrl-C to stop.""",
        flush=True,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="veche", description="Veche public voting platform")
    commands = parser.add_subparsers(dest="command", required=True)
    up = commands.add_parser("up", help="run the whole platform locally with demo data")
    up.add_argument("--nats-port", type=int, default=4222)
    up.add_argument("--db-port", type=int, default=27017)
    up.add_argument("--obs", action="store_true", help="also run Prometheus (apt-get installs it when missing)")
    up.add_argument("--prometheus-port", type=int, default=9090)
    up.set_defaults(
        run=_up, ports={"veche_gateway": 8000, "veche_submissions": 8101, "veche_voting": 8102, "veche_results": 8103}
    )
    for entry in entry_points(group="veche.commands"):
        entry.load()(commands)
    args = parser.parse_args(argv)
    return int(args.run(args))


if __name__ == "__main__":
    sys.exit(main())
