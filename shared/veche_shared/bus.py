"""NATS helpers: the broker, the raw connection and the stream declarations."""

from collections.abc import Awaitable, Callable

from faststream.nats import NatsBroker
from nats.aio.client import Client
from nats.js import JetStreamContext
from nats.js.api import StorageType, StreamConfig
from nats.js.errors import BadRequestError

from veche_shared import subjects
from veche_shared.settings import VecheSettings

DUPLICATE_WINDOW_S = 120.0
# The annulment guard sends Nats-Expected-Last-Subject-Sequence-Subject, which nats-server reads since 2.11.0;
# an older server ignores the header and would accept two annulments racing on one nomination.
MIN_SERVER_VERSION = (2, 11, 0)


class ServerTooOld(RuntimeError):
    pass


def make_broker(
    settings: VecheSettings, service: str, *, on_reconnect: Callable[[], Awaitable[None]] | None = None
) -> NatsBroker:
    servers = [s.strip() for s in settings.nats_url.split(",")]
    return NatsBroker(
        servers, name=f"veche-{service}", logger=None, max_reconnect_attempts=-1, reconnected_cb=on_reconnect
    )


def connection(broker: NatsBroker) -> Client:
    """The nats-py client of a started broker."""
    nc: Client | None = broker.config.connection_state.connection
    if nc is None:
        raise RuntimeError("broker is not connected")
    return nc


def require_server_version(nc: Client) -> str:
    """The connected nats-server's version; ServerTooOld below MIN_SERVER_VERSION."""
    version = nc.connected_server_version
    return check_server_version(f"{version.major}.{version.minor}.{version.patch}")


def check_server_version(version: str) -> str:
    """version itself if it is MIN_SERVER_VERSION or newer, else ServerTooOld."""
    found = tuple(int(part) for part in version.split("-")[0].split("+")[0].split(".")[:3])
    if found < MIN_SERVER_VERSION:
        wanted = ".".join(map(str, MIN_SERVER_VERSION))
        raise ServerTooOld(f"nats-server {version} is older than {wanted}, which Veche needs")
    return version


def stream_configs(replicas: int) -> list[StreamConfig]:
    return [
        StreamConfig(
            name=name,
            subjects=[pattern],
            storage=StorageType.FILE,
            num_replicas=replicas,
            duplicate_window=DUPLICATE_WINDOW_S,
        )
        for name, pattern in (
            (subjects.CATALOG_STREAM, "catalog.>"),
            (subjects.VOTES_STREAM, "votes.>"),
            (subjects.DEAD_LETTER_STREAM, "deadletter.>"),
            (subjects.AUDIT_STREAM, subjects.AUDIT_ALL),
        )
    ]


async def declare_streams(js: JetStreamContext, replicas: int) -> None:
    """Create CATALOG, VOTES, DEADLETTER and AUDIT, or bring an existing stream's settings up to date."""
    for config in stream_configs(replicas):
        try:
            await js.add_stream(config)
        except BadRequestError:
            await js.update_stream(config)
