"""NATS helpers: the broker, the raw connection and the stream declarations."""

from faststream.nats import NatsBroker
from nats.aio.client import Client
from nats.js import JetStreamContext
from nats.js.api import StorageType, StreamConfig
from nats.js.errors import BadRequestError

from veche_shared import subjects
from veche_shared.settings import VecheSettings

DUPLICATE_WINDOW_S = 120.0


def make_broker(settings: VecheSettings, service: str) -> NatsBroker:
    servers = [s.strip() for s in settings.nats_url.split(",")]
    return NatsBroker(servers, name=f"veche-{service}", logger=None, max_reconnect_attempts=-1)


def connection(broker: NatsBroker) -> Client:
    """The nats-py client of a started broker."""
    nc: Client | None = broker.config.connection_state.connection
    if nc is None:
        raise RuntimeError("broker is not connected")
    return nc


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
