"""Operators' voter roll of a contest: the CSV upload (all or nothing, errors by line) and its status with turnout.

The file's identifiers go to the voting service in parts and are kept there only as keyed hashes; nothing of
them is logged, and the audit trail records the upload's size and outcome, never its text (a CSV body is recorded
as its byte count). A problem with a line names the line and what is wrong, never the identifier.
"""

import asyncio
import csv
import io
from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from veche_gateway.api.deps import Admin, Observer, Refusals, decoded
from veche_gateway.api.upstream import ask
from veche_shared.contracts.common import Id, new_id
from veche_shared.contracts.results import ContestQuery, ContestTotals
from veche_shared.contracts.roll import (
    CommitRoll,
    RollMode,
    RollQuery,
    RollStatus,
    RollUploadSummary,
    TurnoutOfNomination,
    WriteRollEntries,
)
from veche_shared.errors import DomainError, Invalid
from veche_shared.municipality_import import ImportRejected, LineProblem
from veche_shared.operations import results as results_ops
from veche_shared.operations import voting as ops

router = APIRouter(prefix="/api/v1/admin", tags=["operators"], responses=Refusals)
ROLL_UPLOAD_PATH = "/api/v1/admin/roll-uploads"  # the body limit of this path is max_import_bytes
LONGEST = 128
PART_IDS, PART_BYTES = 10_000, 512 * 1024  # one message to the voting service stays well under 1 MB
CSV_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": "UTF-8 CSV: a header line `id`, then one identifier a line (the value of the contest's"
        f" roll_claim, at most {LONGEST} characters)",
        "content": {"text/csv": {"schema": {"type": "string"}, "example": "id\n4510-778812\n4510-778813\n"}},
    }
}
Mode = Annotated[RollMode, Query(description="replace (before voting opens) or add to the roll in force")]


def problem(line: int, code: str, message: str) -> LineProblem:
    return LineProblem(line=line, column="id", code=code, message=message)


def parse(text: str) -> list[str]:
    """The identifiers of the file in order, or ImportRejected naming every bad line (never its text)."""
    rows = csv.reader(io.StringIO(text))
    header = next(rows, None)
    if header is None or [cell.strip().lower() for cell in header] != ["id"]:
        raise ImportRejected([problem(1, "bad_header", "the first line must be the header `id`")])
    found: dict[str, int] = {}
    problems: list[LineProblem] = []
    for line, row in enumerate(rows, start=2):
        if not row or (len(row) == 1 and not row[0].strip()):
            continue  # a blank line
        value = row[0].strip()
        if len(row) > 1:
            problems.append(problem(line, "extra_cells", f"one identifier a line; this one has {len(row)} cells"))
        elif len(value) > LONGEST:
            problems.append(problem(line, "too_long", f"{len(value)} characters; at most {LONGEST}"))
        elif any(ord(c) < 0x20 or ord(c) == 0x7F for c in value):
            problems.append(problem(line, "control_character", "the identifier holds a control character"))
        elif value in found:
            problems.append(problem(line, "repeated", f"the identifier of line {found[value]} again"))
        else:
            found[value] = line
    if problems:
        raise ImportRejected(problems)
    if not found:
        raise Invalid("empty_file", "the file has a header but no identifiers")
    return list(found)


def parts(identifiers: list[str]) -> Iterator[list[str]]:
    part: list[str] = []
    size = 0
    for identifier in identifiers:
        if part and (len(part) == PART_IDS or size + len(identifier) + 4 > PART_BYTES):
            yield part
            part, size = [], 0
        part.append(identifier)
        size += len(identifier.encode()) + 4
    yield part


@router.post("/roll-uploads", openapi_extra=CSV_BODY)
async def upload_roll(
    request: Request, contest: Annotated[Id, Query()], mode: Mode, operator: Admin
) -> RollUploadSummary:
    """Upload a contest's voter roll from a CSV file, all or nothing: a 422 import_rejected names every bad line
    (line, code, message) and nothing is entered. `replace` puts a new roll in force before voting opens (409
    roll_locked after); `add` enters more identifiers into the roll in force, also while voting is open."""
    identifiers = await asyncio.to_thread(parse, decoded(await request.body()))
    state = await ask(request, ops.ROLL_GET, RollQuery(contest=contest))
    adding = mode == "add" and state.head is not None
    generation = state.head.generation if adding and state.head else new_id()
    key = request.headers.get("x-api-key", "")  # the voting service checks the admin's key again itself
    who = {"operator": operator.name, "operator_key": key}
    written = already = 0
    for part in parts(identifiers):
        order = WriteRollEntries(contest=contest, generation=generation, identifiers=part, **who)
        done = await ask(request, ops.ROLL_WRITE, order)
        written, already = written + done.written, already + done.already
    commit = CommitRoll(
        contest=contest, generation=generation, mode=mode, written=written, head_sequence=state.head_sequence, **who
    )
    head = await ask(request, ops.ROLL_COMMIT, commit)
    return RollUploadSummary(
        contest=contest, mode=head.mode, lines=len(identifiers), added=written, already=already, entries=head.entries
    )


@router.get("/contests/{contest}/roll")
async def roll_status(request: Request, contest: Id, _: Observer) -> RollStatus:
    """The contest's voter roll (its size, never its entries) and the turnout against it per nomination: counted
    ballots over identifiers on the roll, whatever the results' visibility (operators only)."""
    state = await ask(request, ops.ROLL_GET, RollQuery(contest=contest))
    turnout: dict[str, TurnoutOfNomination] = {}
    if state.head is not None and state.head.entries:
        query = ContestQuery(contest=contest, include_hidden=True)
        try:
            totals = await ask(request, results_ops.CONTEST_TOTALS_GET, query)
        except DomainError as exc:  # a draft: the results service knows no contest before it is public, nor ballots
            if exc.code != "unknown_contest":
                raise
            totals = ContestTotals(contest=contest, visible=False, total_votes=0, nominations={})
        for nomination, ballots in totals.ballots.items():
            turnout[nomination] = TurnoutOfNomination(ballots=ballots, share=ballots / state.head.entries)
    return RollStatus(contest=state.contest, claim=state.claim, head=state.head, turnout=turnout)
