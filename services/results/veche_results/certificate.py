"""Certified results: the ordered counted ballots of a contest, their SHA-256 digest and the standings.

Everything here is a pure function of the exported ballots, so anyone holding the export can recompute
the certificate (`veche verify certificate.json ballots.jsonl`).
"""

import hashlib
from collections import Counter
from collections.abc import Iterable
from datetime import datetime

from veche_shared.contracts.results import Certificate, CountedBallot


def ballot_line(ballot: CountedBallot) -> str:
    """The canonical text of a ballot (CountedBallot.line: the gateway's export writes the same)."""
    return ballot.line()


def digest(ballots: Iterable[CountedBallot]) -> str:
    sha = hashlib.sha256()
    for ballot in ballots:
        sha.update(ballot_line(ballot).encode() + b"\n")
    return sha.hexdigest()


def standings(ballots: Iterable[CountedBallot]) -> dict[str, dict[str, int]]:
    counts: Counter[tuple[str, str]] = Counter((b.nomination, b.practice) for b in ballots if not b.annulled)
    result: dict[str, dict[str, int]] = {}
    for (nomination, practice), votes in sorted(counts.items()):
        result.setdefault(nomination, {})[practice] = votes
    return result


def certify(contest: str, ballots: list[CountedBallot], issued_at: datetime) -> Certificate:
    ordered = sorted(ballots, key=lambda b: b.sequence)
    return Certificate(
        contest=contest,
        ledger_last_sequence=ordered[-1].sequence if ordered else 0,
        ballots=len(ordered),
        annulled=sum(b.annulled for b in ordered),
        digest_sha256=digest(ordered),
        standings=standings(ordered),
        issued_at=issued_at,
    )


def verify(certificate: Certificate, ballots: list[CountedBallot]) -> list[str]:
    """What does not match between a certificate and an export; empty when the count is honest."""
    recomputed = certify(certificate.contest, ballots, certificate.issued_at)
    problems = []
    if [b.sequence for b in ballots] != sorted(b.sequence for b in ballots):
        problems.append("ballots are not in ledger order")
    for field in ("ledger_last_sequence", "ballots", "annulled", "digest_sha256", "standings"):
        if getattr(recomputed, field) != getattr(certificate, field):
            problems.append(
                f"{field} differs: certificate {getattr(certificate, field)!r}, export {getattr(recomputed, field)!r}"
            )
    return problems
