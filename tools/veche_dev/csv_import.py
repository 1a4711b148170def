"""`veche import-municipalities`: a CSV file judged and imported by veche_shared.municipality_import (the same
code as the gateway's upload), with a progress bar."""

from pathlib import Path

from nats.aio.client import Client
from tqdm import tqdm

from veche_shared import municipality_import as mi
from veche_shared.contracts import submissions as s
from veche_shared.operations import submissions as ops
from veche_shared.rpc import call

Row = mi.Row


def parse(path: Path) -> list[Row]:
    """Every row of the file as a command, or mi.ImportRejected naming each bad line."""
    with path.open(newline="", encoding="utf-8-sig") as file:
        return mi.parse(file)


async def send(nc: Client, batch: list[Row], dry_run: bool) -> s.ImportReport:
    return await call(nc, ops.MUNICIPALITY_IMPORT, mi.command_of(batch, dry_run), timeout=120)


async def import_rows(nc: Client, rows: list[Row], progress: bool = True) -> tuple[int, int]:
    """mi.import_rows over this connection; returns (created, unchanged)."""
    bars = {name: tqdm(total=len(rows), desc=name, unit="row", disable=not progress) for name in ("checking",)}

    def advance(name: str, done: int) -> None:
        if name not in bars:  # the write pass: its total is known once the check has found the known rows
            bars[name] = tqdm(desc=name, unit="row", disable=not progress)
        bars[name].update(done)

    async def sending(batch: list[Row], dry_run: bool) -> s.ImportReport:
        return await send(nc, batch, dry_run)

    try:
        return await mi.import_rows(sending, rows, int(nc.max_payload * mi.PAYLOAD_SHARE), advance)
    finally:
        for bar in bars.values():
            bar.close()
