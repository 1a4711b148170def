"""A nats-server of a test's own, for server configurations the shared one of the suite does not have (nkeys, TLS)."""

import asyncio
import contextlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from nats.aio.client import Client

from veche_dev import devstack
from veche_shared import nats_auth, subjects
from veche_shared.settings import VecheSettings


@contextmanager
def nats_server(folder: Path, config: str) -> Iterator[str]:
    """A nats-server with deploy/local/nats.conf plus config; yields its URL and stops it afterwards."""
    conf = folder / "nats.conf"
    conf.write_text(devstack.base_nats_conf().read_text() + "\n" + config)
    port = devstack.free_port()
    process = devstack.start_nats(port, folder / "data", folder / "logs", conf)
    try:
        yield f"nats://127.0.0.1:{port}"
    finally:
        process.stop()


class Violations:
    """The server's permission errors for one connection (give `collect` as its error_cb)."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    async def collect(self, error: Exception) -> None:
        self.errors.append(str(error))

    async def after(self, nc: Client) -> list[str]:
        await nc.flush()
        for _ in range(40):  # the server's -ERR arrives after the flush's PONG at the latest on the next read
            if self.errors:
                break
            await asyncio.sleep(0.05)
        return [e for e in self.errors if "permissions violation" in e.lower()]


async def refused_connect(settings: VecheSettings) -> None:
    """nats_auth.connect's options on a client the test closes itself: a refused nats.connect leaks its socket."""
    nc = Client()
    try:
        await nc.connect(nats_auth.servers(settings), **nats_auth.connect_options(settings), allow_reconnect=False)
    finally:
        # after a failed TLS handshake nats-py's close waits forever for a stream that never opened; the socket
        # itself is already closed by then, so a bounded wait loses nothing
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(nc.close(), 1)


async def assert_bound_as_gateway(settings: VecheSettings) -> None:
    """Connects with settings' credentials, may read live boards, and is refused a ballot (the gateway's rights)."""
    seen = Violations()
    nc: Client = await nats_auth.connect(settings, error_cb=seen.collect, allow_reconnect=False)
    try:
        await nc.subscribe(subjects.LIVE_LEADERBOARD_ALL)
        assert await seen.after(nc) == []
        await nc.publish("votes.cast.c.n.voter", b"{}")
        assert any("votes.cast.c.n.voter" in v for v in await seen.after(nc)), seen.errors
    finally:
        await nc.close()
