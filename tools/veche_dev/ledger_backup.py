"""Backup and restore of the ledger streams VOTES and CATALOG with JetStream's snapshot API.

A backup folder holds, per stream, `<STREAM>.json` (the stream's config and state as the server reported them)
and `<STREAM>.tar.s2` (the snapshot exactly as the server sent it). Snapshots are taken without consumers: a
results service started on the restored cluster with an empty database must rebuild its tallies from the
first ballot, which a restored projector consumer (with its old ack floor) would prevent. Sequences survive a
restore, so a certificate issued before the backup verifies against the restored ledger.
"""

import argparse
import asyncio
import json
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from nats.aio.client import Client
from nats.aio.msg import Msg

from veche_dev.endpoints import add_nats, provision_connection
from veche_shared import subjects

LEDGER_STREAMS = (subjects.CATALOG_STREAM, subjects.VOTES_STREAM)
CHUNK_BYTES = 128 * 1024  # well under max_payload (1 MB)
API_TIMEOUT = 30.0


class BackupError(Exception):
    pass


async def _api(nc: Client, subject: str, body: dict[str, Any] | bytes, timeout: float = API_TIMEOUT) -> Any:
    payload = body if isinstance(body, bytes) else json.dumps(body).encode()
    answer = json.loads((await nc.request(subject, payload, timeout=timeout)).data or b"{}")
    if error := answer.get("error"):
        raise BackupError(f"{subject}: {error.get('description', error)}")
    return answer


async def backup_stream(nc: Client, stream: str, folder: Path, timeout: float = 600) -> dict[str, Any]:
    """Write <stream>.json and <stream>.tar.s2 into folder; return the stream's state at the snapshot."""
    info = await _api(nc, f"$JS.API.STREAM.INFO.{stream}", b"")
    done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
    with (folder / f"{stream}.tar.s2").open("wb") as out:

        async def on_chunk(msg: Msg) -> None:
            status = (msg.headers or {}).get("Status")
            if not msg.data:  # an empty message ends the snapshot; a status other than 204 says why it failed
                if status not in (None, "204") and not done.done():
                    done.set_exception(BackupError(f"snapshot of {stream} failed: {msg.headers}"))
                elif not done.done():
                    done.set_result(None)
                return
            out.write(msg.data)
            if msg.reply:
                await nc.publish(msg.reply, b"")  # the server's flow control waits for these acks

        sub = await nc.subscribe(nc.new_inbox(), cb=on_chunk)
        try:
            request = {"deliver_subject": sub.subject, "no_consumers": True, "chunk_size": CHUNK_BYTES}
            await _api(nc, f"$JS.API.STREAM.SNAPSHOT.{stream}", request)
            await asyncio.wait_for(done, timeout)
        finally:
            await sub.unsubscribe()
    meta = {"config": info["config"], "state": info["state"]}
    (folder / f"{stream}.json").write_text(json.dumps(meta, indent=2) + "\n")
    return dict(info["state"])


async def restore_stream(nc: Client, stream: str, folder: Path, replicas: int | None = None) -> dict[str, Any]:
    """Create stream from its snapshot in folder (it must not exist yet); return the restored state."""
    meta = json.loads((folder / f"{stream}.json").read_text())
    if replicas is not None:  # e.g. a single-node backup restored onto a three-node cluster
        meta["config"]["num_replicas"] = replicas
    answer = await _api(nc, f"$JS.API.STREAM.RESTORE.{stream}", meta)
    deliver = answer["deliver_subject"]
    with (folder / f"{stream}.tar.s2").open("rb") as snapshot:
        while chunk := snapshot.read(CHUNK_BYTES):
            await nc.request(deliver, chunk, timeout=API_TIMEOUT)
    done = await _api(nc, deliver, b"", timeout=600)  # the empty chunk: the server now builds the stream
    return dict(done["state"])


async def backup(nc: Client, folder: Path) -> dict[str, dict[str, Any]]:
    folder.mkdir(parents=True, exist_ok=True)  # noqa: ASYNC240 - an operator command: nothing else shares its loop
    return {stream: await backup_stream(nc, stream, folder) for stream in LEDGER_STREAMS}


async def restore(nc: Client, folder: Path, replicas: int | None = None) -> dict[str, dict[str, Any]]:
    """Restore every ledger stream; refuses (BackupError) if one already exists, before touching any."""
    for stream in LEDGER_STREAMS:
        if not (folder / f"{stream}.json").exists():
            raise BackupError(f"{folder} holds no backup of {stream}")
        info = json.loads((await nc.request(f"$JS.API.STREAM.INFO.{stream}", b"", timeout=API_TIMEOUT)).data)
        if info.get("error", {}).get("code") != 404:
            raise BackupError(f"stream {stream} exists (or the server cannot tell): restore onto a fresh cluster")
    return {stream: await restore_stream(nc, stream, folder, replicas) for stream in LEDGER_STREAMS}


def register(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    save = commands.add_parser("ledger-backup", help="snapshot streams VOTES and CATALOG into a folder")
    save.add_argument("folder", type=Path)
    add_nats(save)
    save.set_defaults(run=lambda a: asyncio.run(_command(a.nats, lambda nc: backup(nc, a.folder))))
    load = commands.add_parser("ledger-restore", help="create VOTES and CATALOG on a fresh cluster from a backup")
    load.add_argument("folder", type=Path)
    load.add_argument("--replicas", type=int, choices=range(1, 6), help="replicas of the restored streams")
    add_nats(load)
    load.set_defaults(run=lambda a: asyncio.run(_command(a.nats, lambda nc: restore(nc, a.folder, a.replicas))))


async def _command(nats_url: str, work: Callable[[Client], Awaitable[dict[str, dict[str, Any]]]]) -> int:
    nc = await provision_connection(nats_url)
    try:
        states = await work(nc)
    except BackupError as exc:
        print(f"failed: {exc}")
        return 1
    finally:
        await nc.close()
    for stream, state in states.items():
        print(f"{stream}: {state['messages']} messages, sequences {state['first_seq']}..{state['last_seq']}")
    return 0
