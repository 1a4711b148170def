"""Municipalities from a CSV file: every line checked locally and by the service before anything is written."""

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nats.aio.client import Client
from pydantic import ValidationError
from tqdm import tqdm

from veche_shared.contracts import submissions as s
from veche_shared.operations import submissions as ops
from veche_shared.rpc import call

COLUMNS = ("id", "country", "name_en", "name_ru", "region", "lat", "lon", "population")
REQUIRED = {"id", "country", "lat", "lon"}
BATCH = 1_000


class ImportFailed(Exception):
    def __init__(self, errors: list[str]) -> None:
        super().__init__(f"{len(errors)} problems")
        self.errors = errors


@dataclass(frozen=True)
class Row:
    line: int
    command: s.RegisterMunicipality


def to_command(record: dict[str, Any]) -> s.RegisterMunicipality:
    """One CSV record as a command; empty optional cells mean "not given"."""
    if not (record.get("name_en") or record.get("name_ru")):
        raise ValueError("name_en or name_ru is required")
    return s.RegisterMunicipality.model_validate(
        {
            "id": record["id"],
            "country": record["country"],
            "name": {"en": record.get("name_en") or "", "ru": record.get("name_ru") or ""},
            "region": record.get("region") or None,
            "lat": record["lat"],
            "lon": record["lon"],
            "population": record.get("population") or None,
        }
    )


def describe(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors(include_url=False))
    return str(exc)


def parse(path: Path) -> list[Row]:
    """Every row of the file as a command, or ImportFailed naming each bad line."""
    errors: list[str] = []
    rows: list[Row] = []
    first_line: dict[tuple[str, str], int] = {}
    with path.open(newline="", encoding="utf-8-sig") as file:
        reader = csv.DictReader(file)
        header = set(reader.fieldnames or [])
        if not header >= REQUIRED or not header <= set(COLUMNS):
            raise ImportFailed([f"line 1: the header must name {', '.join(COLUMNS)} (required: {sorted(REQUIRED)})"])
        for record in reader:
            line = reader.line_num
            try:
                if None in record or None in record.values():
                    raise ValueError(f"expected {len(reader.fieldnames or [])} cells")
                command = to_command(record)
            except (ValueError, ValidationError) as exc:
                errors.append(f"line {line}: {describe(exc)}")
                continue
            name = (command.name.en or command.name.ru).casefold()
            for unique in (("id", command.id), (command.country, name)):
                if (earlier := first_line.setdefault(unique, line)) != line:
                    errors.append(f"line {line}: {unique[1]} repeats line {earlier}")
            rows.append(Row(line, command))
    if errors:
        raise ImportFailed(errors)
    return rows


def batches(rows: list[Row]) -> Iterator[list[Row]]:
    for start in range(0, len(rows), BATCH):
        yield rows[start : start + BATCH]


async def send(nc: Client, batch: list[Row], dry_run: bool) -> s.ImportReport:
    command = s.ImportMunicipalities(items=[row.command for row in batch], dry_run=dry_run)
    return await call(nc, ops.MUNICIPALITY_IMPORT, command, timeout=60)


async def import_rows(nc: Client, rows: list[Row], progress: bool = True) -> tuple[int, int]:
    """Check every batch with the service, then import them all; returns (created, unchanged)."""
    errors: list[str] = []
    with tqdm(total=len(rows), desc="checking", unit="row", disable=not progress) as bar:
        for batch in batches(rows):
            report = await send(nc, batch, dry_run=True)
            errors += [f"line {batch[p.index].line}: {p.code}: {p.message}" for p in report.problems]
            bar.update(len(batch))
    if errors:
        raise ImportFailed(errors)
    created = unchanged = 0
    with tqdm(total=len(rows), desc="importing", unit="row", disable=not progress) as bar:
        for batch in batches(rows):
            report = await send(nc, batch, dry_run=False)
            created, unchanged = created + report.created, unchanged + report.unchanged
            bar.update(len(batch))
    return created, unchanged
