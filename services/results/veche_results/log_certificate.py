"""The logs in the certificate: each nomination's entries read back from the ledger, and the check that an export's
entries give the certified roots, carry the certified signatures and add up to the certified counts."""

import base64
from collections import Counter

from nats.js import JetStreamContext

from veche_results.ledger_reader import open_ledger
from veche_results.log_entries import entries_of
from veche_results.projector import Poison, parsed
from veche_shared.contracts.results import Certificate, CountedBallot
from veche_shared.tlog import merkle
from veche_shared.tlog.entry import Entry, Kind, count
from veche_shared.tlog.note import Checkpoint, NoteError, Verifier, open_note, split_note
from veche_shared.tlog.tiles import MemoryRows


async def ledger_entries(js: JetStreamContext, contest: str) -> dict[str, list[Entry]]:
    """Nomination -> its log's entries, in log order, from the contest's whole ledger (annulments come after the
    last ballot: a certificate's logs reach further than its ledger_last_sequence)."""
    entries: dict[str, list[Entry]] = {}
    async with open_ledger(js, contest) as ledger:
        async for batch in ledger.batches():
            for msg in batch:
                try:
                    event = parsed(msg.subject, msg.data, msg.seq)[1]
                    found = entries_of(event)
                except (Poison, ValueError):
                    continue  # dead-lettered by the projector: in no log
                entries.setdefault(event.nomination, []).extend(found)
    return entries


def expected_size(ballots: list[CountedBallot], nomination: str) -> int:
    """A log holds one entry per ballot and one per annulled ballot."""
    return sum(1 + b.annulled for b in ballots if b.nomination == nomination)


def verify_logs(
    certificate: Certificate,
    entries: dict[str, list[Entry]],
    ballots: list[CountedBallot],
    verifier: Verifier | None,
) -> list[str]:
    """What does not hold between the certified logs and the export's entries; empty when all of it does."""
    problems: list[str] = []
    for nomination, final in sorted((certificate.logs or {}).items()):
        if nomination not in entries:
            problems.append(f"log {nomination}: its entries are not in the export (log-{nomination}.txt)")
            continue
        mine = entries[nomination]
        rows = MemoryRows([e.leaf for e in mine])
        root = merkle.tree_hash(rows, rows.size)
        try:
            text = open_note(final.checkpoint, verifier)[0] if verifier else split_note(final.checkpoint)[0]
            signed = Checkpoint.parse(text)
        except NoteError as exc:
            problems.append(f"log {nomination}: the checkpoint does not hold: {exc}")
            continue
        if (signed.size, base64.b64encode(signed.root).decode()) != (final.size, final.root):
            problems.append(f"log {nomination}: the signed checkpoint is not the certified size and root")
        if (rows.size, root) != (signed.size, signed.root):
            problems.append(f"log {nomination}: {rows.size} entries give another root than the signed {signed.size}")
        counted = {p: v for p, v in count(mine).items() if v}
        if counted != certificate.standings.get(nomination, {}):
            problems.append(f"log {nomination}: the entries count {counted}, the certificate says otherwise")
        cast = Counter(e.vote_id for e in mine if e.kind == Kind.cast)
        exported = Counter(b.vote_id for b in ballots if b.nomination == nomination)
        if cast != exported:
            problems.append(f"log {nomination}: its ballots are not the export's ballots")
    return problems
