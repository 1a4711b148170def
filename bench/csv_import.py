"""Rows per second of `veche import-municipalities` on the local stack: a first import, then the same file again.

Starts nats-server and the local database on free ports, the submissions service in this process, and runs the
import client's code path (`veche_dev.csv_import`) on a generated file, timing the check pass and the write pass
of each run. To compare with an older checkout, put its packages first on the path:

    .venv/bin/python -m bench.csv_import --rows 10000
    PYTHONPATH=OLD/services/submissions:OLD/tools:OLD/shared .venv/bin/python -m bench.csv_import
"""

import argparse
import asyncio
import csv
import tempfile
import time
import uuid
from pathlib import Path

import nats
from nats.aio.client import Client

from veche_dev import csv_import, devstack
from veche_submissions.app import build_app
from veche_submissions.settings import SubmissionsSettings

HEADER = ["id", "country", "name_en", "name_ru", "region", "lat", "lon", "population"]


def write_csv(path: Path, prefix: str, rows: int) -> Path:
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(HEADER)
        for i in range(rows):
            place = [f"{(i % 180) - 89.5:.4f}", "56.25", i * 10]
            writer.writerow([f"{prefix}-{i}", "RU", f"Town {prefix} {i}", f"Город {i}", "Perm Krai", *place])
    return path


def timing_passes(phases: dict[str, float]) -> None:
    """Wrap the client's request so that each pass (check, write) adds up its time."""
    send = csv_import.send

    async def timed(nc: Client, batch: list[csv_import.Row], dry_run: bool) -> object:
        started = time.perf_counter()
        try:
            return await send(nc, batch, dry_run)
        finally:
            key = "check" if dry_run else "write"
            phases[key] = phases.get(key, 0.0) + time.perf_counter() - started

    csv_import.send = timed  # type: ignore[assignment]


async def measure(base: Path, rows: int) -> None:
    nats_port, db_port = devstack.free_port(), devstack.free_port()
    started = [
        devstack.start_nats(nats_port, base / "nats", base / "logs"),
        devstack.start_localdb(db_port, base / "db", base / "logs"),
    ]
    settings = SubmissionsSettings(
        nats_url=f"nats://127.0.0.1:{nats_port}", mongodb_url=f"mongodb://127.0.0.1:{db_port}/", database="bench"
    )
    phases: dict[str, float] = {}
    timing_passes(phases)
    try:
        app = build_app(settings)
        async with app.router.lifespan_context(app):
            nc = await nats.connect(settings.nats_url)
            parsed = csv_import.parse(write_csv(base / "towns.csv", uuid.uuid4().hex[:8], rows))
            for run in ("first import", "the same file again"):
                phases.clear()
                began = time.perf_counter()
                created, unchanged = await csv_import.import_rows(nc, parsed, progress=False)
                took = time.perf_counter() - began
                passes = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in phases.items())
                rate = f"{rows / took:.0f} rows/s"
                print(f"{run}: {created} new, {unchanged} unchanged in {took:.1f} s, {rate} ({passes})")
            await nc.close()
    finally:
        for process in reversed(started):
            process.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        asyncio.run(measure(Path(folder), args.rows))


if __name__ == "__main__":
    main()
