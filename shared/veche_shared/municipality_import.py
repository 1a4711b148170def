"""Municipalities from CSV text, all or nothing: every line is checked here, then by the submissions service
(dry run), before any row is written. `veche import-municipalities` and the gateway's
POST /api/v1/admin/municipality-imports share this code, so a file is judged the same way by both.
"""

import csv
import io
import re
from collections.abc import Awaitable, Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from pydantic import Field, ValidationError

from veche_shared.contracts import submissions as s
from veche_shared.contracts.common import Contract
from veche_shared.contracts.texts import DEFAULT_LANGUAGE, LANGUAGE_TAG, pick
from veche_shared.errors import Invalid

COLUMNS = ("id", "country", "name_<lang>...", "region_<lang>...", "lat", "lon", "population")
REQUIRED = {"id", "country", "lat", "lon"}
OPTIONAL = {"population", "region"}  # region without a language: in DEFAULT_LANGUAGE (files of older versions)
TEXT_COLUMN = re.compile(r"^(name|region)_(" + LANGUAGE_TAG.strip("^$") + ")$")  # name_ru, name_en, region_sr-Latn
BATCH_ROWS = 5_000  # the most one ImportMunicipalities takes
PAYLOAD_SHARE = 0.8  # of the server's largest message (1 MB by default) for the rows of one request
FIELD_COLUMN = {"name": "name_en"}  # a contract field whose cell has another name


class LineProblem(Contract):
    """Why one line of the file cannot be imported."""

    line: int = Field(ge=1, description="line of the file, the header being line 1", examples=[5001])
    column: str | None = Field(None, description="the column at fault, if one is", examples=["lat"])
    code: str = Field(description="machine-readable reason", examples=["invalid_cell", "name_taken", "repeated"])
    message: str = Field(examples=["Input should be less than or equal to 90"])

    def __str__(self) -> str:
        return f"line {self.line}: {self.column or self.code}: {self.message}"


class ImportRejected(Invalid):
    """The file has problems: nothing of it was written; details name every bad line (a 422 at the edge)."""

    def __init__(self, problems: list[LineProblem]) -> None:
        message = f"{len(problems)} problem(s) in the file; nothing was imported"
        super().__init__("import_rejected", message, [p.model_dump() for p in problems])
        self.problems = problems


class ImportSummary(Contract):
    """What an import did (or, checked only, would do): every row is either new or already registered."""

    rows: int = Field(ge=1, description="data lines in the file")
    created: int = Field(ge=0, description="registered now (0 when only checked)")
    unchanged: int = Field(ge=0, description="already registered with the same data")
    dry_run: bool = Field(description="true: only checked, nothing written")


@dataclass(frozen=True)
class Row:
    line: int
    command: s.RegisterMunicipality


def texts(record: dict[str, Any], field: str) -> dict[str, str]:
    """The cells `<field>_<lang>` of a record as a language -> text map; empty cells mean "not in this language"."""
    found = {m[2]: v for k, v in record.items() if (m := TEXT_COLUMN.match(k)) and m[1] == field and v.strip()}
    if field == "region" and (record.get("region") or "").strip():
        found.setdefault(DEFAULT_LANGUAGE, record["region"])
    return found


def to_command(record: dict[str, Any]) -> s.RegisterMunicipality:
    """One CSV record as a command; empty optional cells mean "not given"."""
    if not (names := texts(record, "name")):
        raise ValueError("a name is required: a cell name_<lang> (name_ru, name_en, ...)")
    return s.RegisterMunicipality.model_validate(
        {
            "id": record["id"],
            "country": record["country"],
            "name": names,
            "region": texts(record, "region") or None,
            "lat": record["lat"],
            "lon": record["lon"],
            "population": record.get("population") or None,
        },
        strict=False,  # CSV cells are text: numbers are read from it (the API takes JSON numbers only)
    )


def problems_of(exc: Exception, line: int) -> list[LineProblem]:
    if not isinstance(exc, ValidationError):
        column = "name_en" if "name_" in str(exc) else None
        return [LineProblem(line=line, column=column, code="invalid_line", message=str(exc))]
    found = []
    for error in exc.errors(include_url=False):
        field = str(error["loc"][0]) if error["loc"] else None
        column = FIELD_COLUMN.get(field, field) if field else None
        found.append(LineProblem(line=line, column=column, code="invalid_cell", message=error["msg"]))
    return found


def parse(lines: Iterable[str]) -> list[Row]:
    """Every row of the CSV text as a command, or ImportRejected naming each bad line."""
    problems: list[LineProblem] = []
    rows: list[Row] = []
    first_line: dict[tuple[str, str], int] = {}
    reader = csv.DictReader(lines)
    header = set(reader.fieldnames or [])
    text_columns = {c for c in header if TEXT_COLUMN.match(c)}
    if not header >= REQUIRED or not header <= REQUIRED | OPTIONAL | text_columns:
        message = f"the header must name {', '.join(COLUMNS)} (required: {', '.join(sorted(REQUIRED))})"
        raise ImportRejected([LineProblem(line=1, code="bad_header", message=message)])
    for record in reader:
        line = reader.line_num
        try:
            if None in record or None in record.values():
                raise ValueError(f"expected {len(reader.fieldnames or [])} cells")
            command = to_command(record)
        except (ValueError, ValidationError) as exc:
            problems += problems_of(exc, line)
            continue
        name = pick(texts(record, "name"), "en").strip().casefold()  # the service's uniqueness key: English first
        for column, unique in (("id", ("id", command.id)), ("name_en", (command.country, name))):
            if (earlier := first_line.setdefault(unique, line)) != line:
                problems.append(
                    LineProblem(line=line, column=column, code="repeated", message=repeats(unique, earlier))
                )
        rows.append(Row(line, command))
    if problems:
        raise ImportRejected(problems)
    return rows


def repeats(unique: tuple[str, str], earlier: int) -> str:
    return f"{unique[1]} repeats line {earlier}"


def parse_text(text: str) -> list[Row]:
    """parse() of a whole file's text (the first line its header; a UTF-8 byte order mark is dropped)."""
    return parse(io.StringIO(text.removeprefix("\ufeff"), newline=""))


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


Send = Callable[[list[Row], bool], Awaitable[s.ImportReport]]  # (batch, dry_run) -> the service's report
Progress = Callable[[str, int], None]  # (pass: "checking" or "importing", rows just done)


def command_of(batch: list[Row], dry_run: bool) -> s.ImportMunicipalities:
    return s.ImportMunicipalities(items=[row.command for row in batch], dry_run=dry_run)


async def check(send: Send, rows: list[Row], budget: int, progress: Progress) -> list[Row]:
    """Every row checked by the service; returns the rows it already has with the same data."""
    problems: list[LineProblem] = []
    unchanged: list[Row] = []
    for batch in batches(rows, budget):
        report = await send(batch, True)
        problems += [LineProblem(line=batch[p.index].line, code=p.code, message=p.message) for p in report.problems]
        unchanged += [batch[i] for i in report.unchanged_at]
        progress("checking", len(batch))
    if problems:
        raise ImportRejected(problems)
    return unchanged


async def import_rows(send: Send, rows: list[Row], budget: int, progress: Progress) -> tuple[int, int]:
    """Check every row with the service, then send the rows it does not have yet; returns (created, unchanged).
    The service checks each batch again as it writes it, so a row registered meanwhile is never lost or
    doubled: it is counted unchanged, or refused for a re-run."""
    unchanged = await check(send, rows, budget, progress)
    known = {row.line for row in unchanged}
    created, skipped = 0, len(unchanged)
    for batch in batches([row for row in rows if row.line not in known], budget):
        report = await send(batch, False)
        created, skipped = created + report.created, skipped + report.unchanged
        progress("importing", len(batch))
    return created, skipped
