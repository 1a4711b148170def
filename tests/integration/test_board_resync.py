"""After a NATS fault, a gateway's boards match the results service again, also a board that stays quiet."""

import sys
from pathlib import Path

import httpx
import pytest

from tests.live_helpers import admin_client, open_contest, running_platform, vote
from tests.sync import run
from veche_dev import devstack
from veche_dev.eventually import eventually_sync
from veche_dev.natscluster import running_cluster, wait_jetstream

ADMIN_KEY = "resync-admin-key-not-a-secret"
R3 = {f"VECHE_{s}_STREAM_REPLICAS": "3" for s in ("SUBMISSIONS", "VOTING", "RESULTS", "GATEWAY")}


def total(client: httpx.Client, contest: str) -> int:
    answer = client.get(f"/api/v1/contests/{contest}/nominations/n0/leaderboard")
    assert answer.status_code == 200, answer.text
    return int(answer.json()["total_votes"])


def cast(client: httpx.Client, contest: str, practice: str, voter: str) -> None:
    """A ballot through a gateway, retried while the cluster elects a new stream leader (503)."""
    eventually_sync(
        lambda: vote(client, contest, "n0", practice, voter).status_code in (202, 409), what=f"{voter} accepted"
    )


def spawn_gateway(platform: devstack.Platform, nats_url: str) -> tuple[devstack.Process, str]:
    port = devstack.free_port()
    own = {"VECHE_GATEWAY_HTTP_PORT": str(port), "VECHE_GATEWAY_METRICS_PORT": str(devstack.free_port())}
    env = platform.env_for("veche_gateway") | {"VECHE_GATEWAY_NATS_URL": nats_url} | own
    process = devstack.spawn("gateway-pinned", [sys.executable, "-m", "veche_gateway"], platform.log_dir, env)
    devstack.wait_ready(f"http://127.0.0.1:{port}/readyz", process)
    return process, f"http://127.0.0.1:{port}"


@pytest.mark.heavy
def test_a_quiet_board_is_fresh_again_after_the_gateway_reconnects(infra: dict[str, str], tmp_path: Path) -> None:
    # Node n1 is the only server the pinned gateway knows (no advertised URLs), so while n1 is down that gateway
    # misses every live snapshot; the periodic re-sync is set far out, so only the reconnect can repair it.
    with running_cluster(tmp_path / "nats", Path(infra["logs"]), advertise=False) as cluster:
        run(wait_jetstream(cluster.urls))
        env = R3 | {"VECHE_GATEWAY_BOARD_RESYNC_SECONDS": "600"}
        with running_platform(infra | {"nats_url": cluster.urls}, "resync", ADMIN_KEY, **env) as platform:
            pinned, pinned_url = spawn_gateway(platform, cluster.nodes[0].url)
            try:
                with admin_client(platform, ADMIN_KEY) as admin, httpx.Client(base_url=platform.url()) as api:
                    [practice] = open_contest(admin, "resync")
                    with httpx.Client(base_url=pinned_url, timeout=10) as watched:
                        cast(api, "resync", practice, "v1")
                        eventually_sync(
                            lambda: total(watched, "resync") == 1, what="the first ballot at the pinned gateway"
                        )
                        cluster.kill(cluster.nodes[0])
                        cast(api, "resync", practice, "v2")
                        eventually_sync(
                            lambda: total(api, "resync") == 2, what="the second ballot at the other gateway"
                        )
                        assert total(watched, "resync") == 1  # cut off: it missed the snapshot
                        cluster.start(cluster.nodes[0])
                        eventually_sync(lambda: total(watched, "resync") == 2, what="the re-synced board", timeout=30)
            finally:
                pinned.stop()
