"""NATS helpers: the broker, the raw connection and the stream declarations."""

from collections.abc import Awaitable, Callable

from faststream.nats import NatsBroker
from nats.aio.client import Client
from nats.js import JetStreamContext
from nats.js.api import StorageType, StreamConfig
from nats.js.errors import BadRequestError

from veche_shared import subjects
from veche_shared.nats_auth import broker_security, servers
from veche_shared.settings import VecheSettings

DUPLICATE_WINDOW_S = 120.0
# The annulment guard sends Nats-Expected-Last-Subject-Sequence-Subject, which nats-server reads since 2.11.0;
# an older server ignores the header and would accept two annulments racing on one nomination.
MIN_SERVER_VERSION = (2, 11, 0)


LAYOUT_KEY = "veche_ledger_layout"  # stream VOTES's metadata: how its subjects are laid out (subjects.LEDGER_LAYOUT)


class ServerTooOld(RuntimeError):
    pass


class LedgerLayoutMismatch(RuntimeError):
    """Stream VOTES holds ballots written with another subject layout: first-write-wins would not see them."""


def make_broker(
    settings: VecheSettings, service: str, *, on_reconnect: Callable[[], Awaitable[None]] | None = None
) -> NatsBroker:
    return NatsBroker(
        servers(settings),
        name=f"veche-{service}",
        logger=None,
        max_reconnect_attempts=-1,
        reconnected_cb=on_reconnect,
        security=broker_security(settings),
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
            metadata={LAYOUT_KEY: subjects.LEDGER_LAYOUT} if name == subjects.VOTES_STREAM else None,
        )
        for name, pattern in subjects.STREAMS
    ]


# The streams each process writes (it creates them and keeps their settings current) and reads (it may create one
# that does not exist yet, never change it). The NATS permissions of each identity follow this table.
STREAMS_OF: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "submissions": ((subjects.CATALOG_STREAM, f"KV_{subjects.WRITER_LEASES_BUCKET}"), ()),  # and its writer leases
    "voting": ((subjects.VOTES_STREAM, subjects.ROLL_STREAM), (subjects.CATALOG_STREAM,)),
    "results": ((subjects.DEAD_LETTER_STREAM,), (subjects.VOTES_STREAM, subjects.CATALOG_STREAM)),
    "gateway": ((subjects.AUDIT_STREAM, f"KV_{subjects.GATEWAY_LIMITS_BUCKET}"), ()),  # and its key-value bucket
}


async def declare_streams(js: JetStreamContext, replicas: int, service: str | None = None) -> None:
    """Create the streams of service (all of them without one), and bring the ones it writes up to date."""
    configs = stream_configs(replicas)
    owned, read = STREAMS_OF[service] if service else (tuple(c.name or "" for c in configs), ())
    for config in configs:
        if config.name not in owned + read:
            continue
        try:
            await js.add_stream(config)
        except BadRequestError:
            if config.name in owned:
                await _check_ledger_layout(js, config)
                await js.update_stream(config)


async def _check_ledger_layout(js: JetStreamContext, config: StreamConfig) -> None:
    """Refuse to bring a VOTES stream that holds ballots of another layout up to date (and then write to it)."""
    if config.name != subjects.VOTES_STREAM:
        return
    info = await js.stream_info(subjects.VOTES_STREAM)
    layout = (info.config.metadata or {}).get(LAYOUT_KEY)
    if layout != subjects.LEDGER_LAYOUT and info.state.messages:
        raise LedgerLayoutMismatch(
            f"stream VOTES holds {info.state.messages} messages in ledger layout {layout or 'unpartitioned'}, "
            f"this version writes {subjects.LEDGER_LAYOUT}: finish or restore that vote with the version that wrote it"
        )
