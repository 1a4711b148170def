"""NATS helpers: the broker, the raw connection and the stream declarations."""

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from faststream.nats import NatsBroker
from nats.aio.client import Client
from nats.js import JetStreamContext
from nats.js.api import PubAck, StorageType, StreamConfig
from nats.js.errors import APIError, BadRequestError, NotFoundError

from veche_shared import subjects
from veche_shared.nats_auth import broker_security, inbox_prefix, servers
from veche_shared.settings import VecheSettings

DUPLICATE_WINDOW_S = 120.0
# The annulment guard sends Nats-Expected-Last-Subject-Sequence-Subject, which nats-server reads since 2.11.0 (an
# older server ignores the header and would accept two annulments racing on one nomination); the results projector
# rewinds its provisioned consumer with the consumer reset of 2.14.0 (ADR-60) instead of making it anew.
MIN_SERVER_VERSION = (2, 14, 0)


LAYOUT_KEY = "veche_ledger_layout"  # stream VOTES's metadata: how its subjects are laid out (subjects.LEDGER_LAYOUT)


IN_PROCESS = 10158  # JetStream: a message of this Nats-Msg-Id is being stored by another publish at this moment
IN_PROCESS_RETRIES = 20


class Publisher(Protocol):
    """What publish_once needs of JetStream."""

    async def publish(self, subject: str, payload: bytes = b"", *, headers: dict[str, Any] | None = None) -> PubAck: ...


async def publish_once(js: Publisher, subject: str, payload: bytes, headers: dict[str, str]) -> PubAck:
    """Publish a message whose Nats-Msg-Id makes a repeat harmless, and wait for the stream's acknowledgement.
    Two processes may send the same message at one moment (a writer flushing its outbox while a relay sends the
    same entry); a clustered stream answers the second "in process" (409, 10158) while it stores the first. Asked
    again a moment later, it answers that one as a duplicate, or stores this one if the first was not stored."""
    for attempt in range(1, IN_PROCESS_RETRIES):
        try:
            return await js.publish(subject, payload, headers=headers)
        except APIError as exc:
            if exc.err_code != IN_PROCESS:
                raise
        await asyncio.sleep(0.02 * attempt)
    return await js.publish(subject, payload, headers=headers)


class ServerTooOld(RuntimeError):
    pass


class LedgerLayoutMismatch(RuntimeError):
    """Stream VOTES holds ballots written with another subject layout: one ballot per voter per nomination would not
    see them, and results would count them under other partitions."""


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
        inbox_prefix=inbox_prefix(service),
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
    """The platform's streams as `veche provision` declares them: no message of them can be deleted or purged
    (deny_delete, deny_purge), and they answer direct gets (the runtime identities read them so, without consumers)."""
    return [
        StreamConfig(
            name=name,
            subjects=[pattern],
            storage=StorageType.FILE,
            num_replicas=replicas,
            duplicate_window=DUPLICATE_WINDOW_S,
            metadata={LAYOUT_KEY: subjects.LEDGER_LAYOUT} if name == subjects.VOTES_STREAM else None,
            deny_delete=True,
            deny_purge=True,
            allow_direct=True,
        )
        for name, pattern in subjects.STREAMS
    ]


# The streams each process writes and reads. A process only checks they exist: `veche provision` declares them,
# and the NATS permissions of each identity follow this table (tools/veche_dev/nats_config.py).
STREAMS_OF: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "submissions": ((subjects.CATALOG_STREAM, f"KV_{subjects.WRITER_LEASES_BUCKET}"), ()),  # and its writer leases
    "voting": ((subjects.VOTES_STREAM, subjects.ROLL_STREAM), (subjects.CATALOG_STREAM,)),
    "results": ((subjects.DEAD_LETTER_STREAM,), (subjects.VOTES_STREAM, subjects.CATALOG_STREAM)),
    "gateway": ((subjects.AUDIT_STREAM, f"KV_{subjects.GATEWAY_LIMITS_BUCKET}"), ()),  # and its key-value bucket
}


class NotProvisioned(RuntimeError):
    """A stream, bucket or consumer a process uses does not exist: `veche provision` was not run."""


async def require_streams(js: JetStreamContext, service: str) -> None:
    """Check that every stream of service exists (and VOTES, for the services that write or count it, has this
    version's layout); create none."""
    owned, read = STREAMS_OF[service]
    for name in owned + read:
        try:
            info = await js.stream_info(name)
        except NotFoundError:
            raise NotProvisioned(f"stream {name} does not exist: run `veche provision` first") from None
        if name == subjects.VOTES_STREAM:
            _check_layout(info.config.metadata or {}, info.state.messages)


async def declare_streams(js: JetStreamContext, replicas: int) -> None:
    """Create the platform's streams, or bring them up to date (the provisioning identity's work)."""
    for config in stream_configs(replicas):
        try:
            await js.add_stream(config)
        except BadRequestError:
            if config.name == subjects.VOTES_STREAM:
                info = await js.stream_info(subjects.VOTES_STREAM)
                _check_layout(info.config.metadata or {}, info.state.messages)
            await js.update_stream(config)


def _check_layout(metadata: dict[str, str], messages: int) -> None:
    """Refuse a VOTES stream that holds ballots of another layout (first-write-wins would not see them); an empty
    one is brought up to date by `veche provision`."""
    layout = metadata.get(LAYOUT_KEY)
    if layout != subjects.LEDGER_LAYOUT and messages:
        raise LedgerLayoutMismatch(
            f"stream VOTES holds {messages} messages in ledger layout {layout or 'unpartitioned'}, this version "
            f"reads and writes {subjects.LEDGER_LAYOUT}: stop the voting and results services and run "
            "`veche ledger-migrate` (docs/operations.md), or finish that vote with the version that wrote it"
        )
