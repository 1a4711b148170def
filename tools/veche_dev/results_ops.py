"""What `veche results-recount`, `results-export` and `verify` do (imported only when one of them runs)."""

import csv
import json
from collections.abc import Iterable
from pathlib import Path

from veche_dev.endpoints import operator_connection
from veche_results.certificate import ballot_line, verify
from veche_results.log_certificate import verify_logs
from veche_shared.audit import append, cli_entry
from veche_shared.contracts.results import Certificate, ContestQuery, CountedBallot, csv_columns
from veche_shared.errors import DomainError
from veche_shared.mongo import make_mongo
from veche_shared.operations import results as ops
from veche_shared.rpc import call
from veche_shared.tlog.entry import Entry
from veche_shared.tlog.note import Verifier


async def recount_contest(contest: str, nats_url: str, mongodb_url: str, database: str) -> int:
    from veche_results.recount import recount

    nc = await operator_connection(nats_url)
    mongo = make_mongo(mongodb_url, "results-recount")
    try:
        differences = (await recount(nc.jetstream(), mongo, database, contest, progress=True)).differences
        await append(nc.jetstream(), cli_entry("results-recount", contest=contest, differences=len(differences)))
    finally:
        await nc.close()
        await mongo.close()
    for d in differences:
        what = f"{d.nomination}/{d.practice}" if d.practice else f"{d.nomination} (ballots)"
        print(f"DIFFERENT {what}: live {d.live}, recounted {d.recounted}")
    print(f"{len(differences)} difference(s) in {contest}")
    return 1 if differences else 0


async def export_contest(contest: str, out: Path, nats_url: str) -> int:
    from veche_results.export import counted_ballots
    from veche_results.log_certificate import ledger_entries

    nc = await operator_connection(nats_url)
    try:
        try:
            certificate = await call(nc, ops.CERTIFICATE_GET, ContestQuery(contest=contest), timeout=10)
        except DomainError as exc:
            print(f"cannot export: {exc.message}")
            return 1
        ballots = [
            b for b in await counted_ballots(nc.jetstream(), contest) if b.sequence <= certificate.ledger_last_sequence
        ]
        entries = await ledger_entries(nc.jetstream(), contest)
        done = cli_entry("results-export", contest=contest, change={"out": str(out)}, ballots=len(ballots))
        await append(nc.jetstream(), done)
    finally:
        await nc.close()
    write_export(out, certificate, ballots, entries)
    print(f"wrote {len(ballots)} ballots and the certificate of {contest} to {out}")
    return 0


def write_export(
    out: Path, certificate: Certificate, ballots: list[CountedBallot], entries: dict[str, list[Entry]] | None = None
) -> None:
    """certificate.json, ballots.jsonl and .csv, and log-<nomination>.txt: each log's entries, one line each."""
    out.mkdir(parents=True, exist_ok=True)
    for nomination, final in (certificate.logs or {}).items():
        if entries is not None:  # not an annulment made after certification
            certified = entries.get(nomination, [])[: final.size]
            (out / f"log-{nomination}.txt").write_bytes(b"".join(e.line + b"\n" for e in certified))
    version = certificate.schema_version
    (out / "certificate.json").write_text(certificate.model_dump_json(indent=2, exclude_none=True) + "\n")
    with (out / "ballots.jsonl").open("w") as jsonl:
        jsonl.writelines(ballot_line(b, version) + "\n" for b in ballots)
    with (out / "ballots.csv").open("w", newline="") as table:
        writer = csv.DictWriter(table, fieldnames=csv_columns(version))
        writer.writeheader()
        writer.writerows(b.row(version) for b in ballots)


def read_entries(folder: Path, nominations: Iterable[str]) -> dict[str, list[Entry]]:
    """The log-<nomination>.txt files of an export that are there."""
    found = {}
    for nomination in nominations:
        path = folder / f"log-{nomination}.txt"
        if path.exists():
            found[nomination] = [Entry.parse(line) for line in path.read_bytes().splitlines()]
    return found


def verify_export(certificate_path: Path, ballots_path: Path, log_key: str | None = None) -> int:
    certificate = Certificate.model_validate_json(certificate_path.read_text())
    with ballots_path.open() as lines:
        ballots = [CountedBallot.model_validate(json.loads(line)) for line in lines if line.strip()]
    problems = verify(certificate, ballots)
    entries = read_entries(ballots_path.parent, certificate.logs or {})
    if certificate.logs is not None and not entries:
        print("the logs were NOT checked: no log-<nomination>.txt beside the ballots (results-export writes them)")
    elif certificate.logs is not None:
        verifier = Verifier.parse(log_key) if log_key else None
        problems += verify_logs(certificate, entries, ballots, verifier)
        print(f"{len(certificate.logs)} log(s): roots recomputed from the entries, counts compared", end="")
        print("; signatures checked" if verifier else "; signatures NOT checked (give --log-key)")
    for problem in problems:
        print(f"MISMATCH {problem}")
    print("the export matches the certificate" if not problems else f"{len(problems)} mismatch(es)")
    return 1 if problems else 0
