"""Municipalities from a CSV file: every line checked locally and by the service before anything is written."""

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nats.aio.client import Client
from pydantic import ValidationError
from tqdm import tqdm

from veche_shared.contracts import submissions as s
from veche_shared.contracts.texts import DEFAULT_LANGUAGE, LANGUAGE_TAG, as_map, pick
from veche_shared.operations import submissions as ops
from veche_shared.rpc import call

COLUMNS = ("id", "country", "name_<lang>...", "region_<lang>...", "lat", "lon", "population")
REQUIRED = {"id", "country", "lat", "lon"}
OPTIONAL = {"population", "region"}  # region without a language: in DEFAULT_LANGUAGE (files of older versions)
TEXT_COLUMN = re.compile(r"^(name|region)_(" + LANGUAGE_TAG.strip("^$") + ")$")  # name_ru, name_en, region_sr-Latn
BATCH_ROWS = 5_000  # the most one ImportMunicipalities takes
PAYLOAD_SHARE = 0.8  # of the server's largest message (1 MB by default) for the rows of one request


class ImportFailed(Exception):
    def __init__(self, errors: list[str]) -> None:
        super().__init__(f"{len(errors)} problems")
        self.errors = errors


@dataclass(frozen=True)
class Row:
    line: int
    command: s.RegisterMunicipality


def texts(record: dict[str, Any], field: str) -> dict[str, str]:
    """The cells `<field>_<lang>` of a record as a language -> text map; empty cells mean "not in this language"."""
    found = {m[2]: v for k, v in record.items() if (m := TEXT_COLUMN.match(k)) and m[1] == field and v}
    if field == "region" and record.get("region"):
        found.setdefault(DEFAULT_LANGUAGE, record["region"])
    return found


def to_command(record: dict[str, Any]) -> s.RegisterMunicipality:
    """One CSV record as a command; empty optional cells mean "not given"."""
    if not (name := texts(record, "name")):
        raise ValueError("a name is required (a column name_<lang>, e.g. name_ru)")
    return s.RegisterMunicipality.model_validate(
        {
            "id": record["id"],
            "country": record["country"],
            "name": name,
            "region": texts(record, "region") or None,
            "lat": record["lat"],
            "lon": record["lon"],
            "population": record.get("population") or None,
        },
        strict=False,  # CSV cells are text: numbers are read from it (the API takes JSON numbers only)
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
        texts_named = {c for c in header if TEXT_COLUMN.match(c)}
        if not header >= REQUIRED or not header <= REQUIRED | OPTIONAL | texts_named or not texts_named:
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
            name = pick(
                as_map(command.name, DEFAULT_LANGUAGE), "en"
            ).casefold()  # the service's uniqueness key (English first)
            for unique in (("id", command.id), (command.country, name)):
                if (earlier := first_line.setdefault(unique, line)) != line:
                    errors.append(f"line {line}: {unique[1]} repeats line {earlier}")
            rows.append(Row(line, command))
    if errors:
        raise ImportFailed(errors)
    return rows


def batches(rows: list[Row], budget: int) -> Iterator[list[Row]]:
    """As many rows per request as fit in `budget` bytes of JSON: on FerretDB a check reads the whole
    collection once per request, so fewer, larger requests make an import faster."""
    batch: list[Row] = []
    size = 0
    for row in rows:
        row_size = len(row.command.model_dump_json()) + 1
        if batch and (len(batch) == BATCH_ROWS or size + row_size > budget):
            yield batch
            batch, size = [], 0
        batch.append(row)
        size += row_size
    if batch:
        yield batch


async def send(nc: Client, batch: list[Row], dry_run: bool) -> s.ImportReport:
    command = s.ImportMunicipalities(items=[row.command for row in batch], dry_run=dry_run)
    return await call(nc, ops.MUNICIPALITY_IMPORT, command, timeout=120)


async def check(nc: Client, rows: list[Row], progress: bool) -> list[Row]:
    """Every row checked by the service; returns the rows it already has with the same data."""
    errors: list[str] = []
    unchanged: list[Row] = []
    with tqdm(total=len(rows), desc="checking", unit="row", disable=not progress) as bar:
        for batch in batches(rows, int(nc.max_payload * PAYLOAD_SHARE)):
            report = await send(nc, batch, dry_run=True)
            errors += [f"line {batch[p.index].line}: {p.code}: {p.message}" for p in report.problems]
            unchanged += [batch[i] for i in report.unchanged_at]
            bar.update(len(batch))
    if errors:
        raise ImportFailed(errors)
    return unchanged


async def import_rows(nc: Client, rows: list[Row], progress: bool = True) -> tuple[int, int]:
    """Check every row with the service, then send the rows it does not have yet; returns (created, unchanged).
    The service checks each batch again as it writes it, so a row registered meanwhile is never lost or
    doubled: it is counted unchanged, or refused for a re-run."""
    unchanged = await check(nc, rows, progress)
    known = {row.line for row in unchanged}
    new = [row for row in rows if row.line not in known]
    created, skipped = 0, len(unchanged)
    with tqdm(total=len(new), desc="importing", unit="row", disable=not progress) as bar:
        for batch in batches(new, int(nc.max_payload * PAYLOAD_SHARE)):
            report = await send(nc, batch, dry_run=False)
            created, skipped = created + report.created, skipped + report.unchanged
            bar.update(len(batch))
    return created, skipped
