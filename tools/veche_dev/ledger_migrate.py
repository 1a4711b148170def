"""`veche ledger-migrate`: rewrite a ledger of an earlier layout into this version's, keeping every sequence.

Stream VOTES of an earlier version holds one subject per voter per nomination (`votes.cast.<p>.<contest>.
<nomination>.<voter>`, layout partitioned-16, or the unpartitioned one before it); this version refuses to start on
it. The migration, run as the provisioning identity with the voting and results services stopped:

1. mirrors VOTES into stream VOTES_MIGRATION (nats-server copies every message with its sequence), waits until the
   mirror holds all of them, promotes it to a stream of its own (removing the mirror, nats-server 2.12+: it must not
   follow the new VOTES), then deletes VOTES;
2. creates VOTES in this version's layout and writes each message again at the same sequence (each write names the
   sequence before it, `Nats-Expected-Last-Sequence`): a ballot on its voter's subject in the contest with the
   Veche-Voted header the voting service writes (the voter's nominations so far), an annulment on its contest's
   partition; the bodies are the bytes that were stored;
3. checks that VOTES holds as many messages up to the same last sequence, and deletes VOTES_MIGRATION.

Every message keeps its sequence and its body, so each certificate's digest, every transparency log and `veche
verify` of an earlier export stay valid, and the results service's counters stay right: each counter and log head
holds the last sequence it applied, so the replay that follows (the results consumers are declared again by
`veche provision`, which the command runs at the end) changes nothing already counted. A run that stopped half-way
is started again: a complete mirror is never deleted before VOTES holds the migrated ledger.
"""

import argparse
import asyncio
import dataclasses
import json
import time
from collections import defaultdict
from typing import Any

from nats.aio.client import Client
from nats.js import JetStreamContext
from nats.js.api import StorageType, StreamConfig, StreamInfo, StreamSource
from nats.js.errors import NotFoundError

from veche_dev.endpoints import add_nats, provision_connection
from veche_dev.provision import ProvisionSettings
from veche_shared import stream_read, subjects
from veche_shared.bus import LAYOUT_KEY, stream_configs
from veche_shared.contracts.votes import VoteCast, VotesAnnulled
from veche_shared.provision import provision

MIGRATION_STREAM = "VOTES_MIGRATION"
SOURCE_LAYOUT_KEY = "veche_migration_source_layout"
WINDOW = 2_000  # acknowledgements in flight while writing
MIRROR_STALL = 120.0  # seconds the mirror may go without copying a message before the migration gives up


class MigrationError(Exception):
    pass


@dataclasses.dataclass
class Report:
    source_layout: str | None = None
    messages: int = 0
    ballots: int = 0
    annulments: int = 0
    last_sequence: int = 0
    steps: list[str] = dataclasses.field(default_factory=list)


async def _stream(js: JetStreamContext, name: str) -> StreamInfo | None:
    try:
        return await js.stream_info(name)
    except NotFoundError:
        return None


async def mirror_out(js: JetStreamContext, votes: StreamInfo, report: Report) -> StreamInfo:
    """Step 1: VOTES mirrored into VOTES_MIGRATION, every message at its sequence; then VOTES deleted."""
    state = votes.state
    if state.messages and (state.first_seq != 1 or state.num_deleted or state.last_seq != state.messages):
        raise MigrationError(
            f"stream VOTES holds {state.messages} messages from sequence {state.first_seq} to {state.last_seq}: "
            "with messages missing its sequences cannot be kept; restore the whole ledger from a backup first"
        )
    source_layout = (votes.config.metadata or {}).get(LAYOUT_KEY) or "unpartitioned"
    mirror = StreamConfig(
        name=MIGRATION_STREAM,
        storage=StorageType.FILE,
        num_replicas=votes.config.num_replicas or 1,
        mirror=StreamSource(name=subjects.VOTES_STREAM),
        allow_direct=True,
        metadata={SOURCE_LAYOUT_KEY: source_layout},
    )
    await js.add_stream(mirror)
    copied = await _mirrored(js, state.last_seq)
    await js.update_stream(dataclasses.replace(copied.config, mirror=None))  # the copy is complete: it stands alone
    await js.delete_stream(subjects.VOTES_STREAM)
    report.steps.append(f"mirrored {state.messages} messages of VOTES ({source_layout}) into {MIGRATION_STREAM}")
    return copied


async def _mirrored(js: JetStreamContext, last_seq: int) -> StreamInfo:
    """VOTES_MIGRATION once it holds every message up to last_seq."""
    seen, since = -1, time.monotonic()
    while True:
        info = await js.stream_info(MIGRATION_STREAM)
        if info.state.last_seq >= last_seq and info.state.messages == last_seq:
            return info
        if info.state.last_seq != seen:
            seen, since = info.state.last_seq, time.monotonic()
        elif time.monotonic() - since > MIRROR_STALL:
            raise MigrationError(f"the mirror stopped at sequence {seen} of {last_seq}; run the migration again")
        await asyncio.sleep(0.2)


class _Writer:
    """Writes the migrated ledger: each message at its sequence, ballots chained on their voter's subject."""

    def __init__(self, js: JetStreamContext) -> None:
        self.js = js
        self.next_seq = 1
        self.voted: dict[str, list[str]] = defaultdict(list)  # voter subject -> nominations so far
        self.pending: list[asyncio.Future[Any]] = []

    async def put(self, msg: stream_read.Stored) -> str:
        """Write one stored message at its sequence; which kind it was."""
        if msg.seq != self.next_seq:
            raise MigrationError(f"sequence {self.next_seq - 1} is followed by {msg.seq}: the ledger has a gap")
        headers = {"Nats-Expected-Last-Sequence": str(msg.seq - 1)}
        if subjects.is_vote_cast(msg.subject):
            kind, subject = "ballot", self._ballot(msg, headers)
        elif subjects.is_votes_annulled(msg.subject):
            event = VotesAnnulled.model_validate_json(msg.data)
            kind, subject = "annulment", subjects.votes_annulled(event.contest, event.nomination, event.annulment_id)
        else:
            raise MigrationError(f"message {msg.seq} on {msg.subject} is neither a ballot nor an annulment")
        self.pending.append(await self.js.publish_async(subject, msg.data, headers=headers, wait_stall=60))
        if len(self.pending) >= WINDOW:
            await self.flush()
        self.next_seq += 1
        return kind

    def _ballot(self, msg: stream_read.Stored, headers: dict[str, str]) -> str:
        ballot = VoteCast.model_validate_json(msg.data)
        subject = subjects.vote_cast(ballot.contest, ballot.voter_hash)
        if ballot.nomination in self.voted[subject]:
            raise MigrationError(f"message {msg.seq}: a second ballot of one voter in nomination {ballot.nomination}")
        self.voted[subject].append(ballot.nomination)
        headers[subjects.VOTED_HEADER] = subjects.voted_header(self.voted[subject])
        return subject

    async def flush(self) -> None:
        await asyncio.gather(*self.pending)
        self.pending.clear()


async def _write_in(nc: Client, js: JetStreamContext, staged: StreamInfo, report: Report) -> None:
    """Steps 2 and 3: VOTES in this version's layout from VOTES_MIGRATION, every message at its sequence."""
    report.source_layout = (staged.config.metadata or {}).get(SOURCE_LAYOUT_KEY)
    (config,) = [c for c in stream_configs(staged.config.num_replicas or 1) if c.name == subjects.VOTES_STREAM]
    await js.add_stream(config)
    writer = _Writer(js)
    async for found in stream_read.batches(nc, MIGRATION_STREAM, subjects.VOTES_ALL, timeout=30):
        for msg in found:
            kind = await writer.put(msg)
            report.ballots += kind == "ballot"
            report.annulments += kind == "annulment"
    await writer.flush()
    state = (await js.stream_info(subjects.VOTES_STREAM)).state
    if (state.messages, state.last_seq) != (staged.state.messages, staged.state.last_seq):
        raise MigrationError(
            f"VOTES holds {state.messages} messages up to {state.last_seq}, the mirror {staged.state.messages} "
            f"up to {staged.state.last_seq}; run the migration again"
        )
    report.messages, report.last_sequence = state.messages, state.last_seq
    report.steps.append(
        f"wrote {report.ballots} ballots and {report.annulments} annulments at their sequences into VOTES "
        f"({subjects.LEDGER_LAYOUT})"
    )
    await js.delete_stream(MIGRATION_STREAM)


async def migrate(nc: Client) -> Report:
    """Migrate VOTES to this version's layout (the services stopped); a ledger already in it is left alone."""
    js = nc.jetstream(timeout=30, publish_async_max_pending=WINDOW * 2)
    report = Report()
    votes, staged = await _stream(js, subjects.VOTES_STREAM), await _stream(js, MIGRATION_STREAM)
    layout = (votes.config.metadata or {}).get(LAYOUT_KEY) if votes is not None else None
    if staged is not None and staged.config.mirror is not None and votes is None:
        raise MigrationError(f"{MIGRATION_STREAM} is a partial copy and VOTES is gone: restore VOTES from a backup")
    if votes is not None and staged is not None:
        # An earlier run stopped: before deleting VOTES (the copy may be partial: made again) or while writing the
        # new VOTES (the copy is complete, promoted before VOTES was deleted: written again from it).
        await js.delete_stream(MIGRATION_STREAM if layout != subjects.LEDGER_LAYOUT else subjects.VOTES_STREAM)
        report.steps.append("resumed a migration that had stopped half-way")
        return await _resume(nc, report)
    if staged is None:
        if votes is None:
            raise MigrationError("there is no stream VOTES to migrate")
        if layout == subjects.LEDGER_LAYOUT:
            report.steps.append(f"VOTES is in {subjects.LEDGER_LAYOUT} already: nothing to do")
            return report
        if layout not in subjects.PREVIOUS_LEDGER_LAYOUTS:
            raise MigrationError(f"VOTES is in ledger layout {layout}, which this version does not know")
        staged = await mirror_out(js, votes, report)
    await _write_in(nc, js, staged, report)
    return report


async def _resume(nc: Client, report: Report) -> Report:
    resumed = await migrate(nc)
    resumed.steps[:0] = report.steps
    return resumed


def register(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    parser = commands.add_parser(
        "ledger-migrate",
        help="rewrite stream VOTES of an earlier version into this version's layout (services stopped)",
        description="Stop the voting and results services and take a `veche ledger-backup` first. Runs as the "
        "provisioning identity (VECHE_PROVISION_NATS_*), keeps every message's sequence and body (certificates, "
        "logs and counters stay valid), then provisions the bus as `veche provision` does.",
    )
    add_nats(parser)
    parser.set_defaults(run=lambda a: asyncio.run(_command(a)))


async def _command(args: argparse.Namespace) -> int:
    nc = await provision_connection(args.nats)
    try:
        report = await migrate(nc)
        await provision(nc.jetstream(), ProvisionSettings(nats_url=args.nats).plan())
    except MigrationError as exc:
        print(f"failed: {exc}")
        return 1
    finally:
        await nc.close()
    for step in report.steps:
        print(step)
    print("provisioned the results consumers again: the results service replays the ledger, counting nothing twice")
    print(json.dumps(dataclasses.asdict(report) | {"steps": None}))
    return 0
