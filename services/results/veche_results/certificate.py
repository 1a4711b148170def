"""Certified results: the ordered counted ballots of a contest, their SHA-256 digest and the standings.

Everything here is a pure function of the exported ballots (and the certificate's schema version, which says how
a ballot line names its choice), so anyone holding the export can recompute the certificate
(`veche verify certificate.json ballots.jsonl`). Version 1 certifies single-choice contests (a line names one
`practice`), version 2 contests with an approval nomination (a line names its `practices`; the certificate counts
ballots per nomination as well as votes per practice).
"""

import hashlib
from collections import Counter
from collections.abc import Iterable
from datetime import datetime

from veche_shared.contracts.results import APPROVAL, SINGLE_CHOICE, Certificate, CountedBallot


def ballot_line(ballot: CountedBallot, schema_version: int) -> str:
    """The canonical text of a ballot (CountedBallot.line: the gateway's export writes the same)."""
    return ballot.line(schema_version)


def digest(ballots: Iterable[CountedBallot], schema_version: int) -> str:
    sha = hashlib.sha256()
    for ballot in ballots:
        sha.update(ballot_line(ballot, schema_version).encode() + b"\n")
    return sha.hexdigest()


def standings(ballots: Iterable[CountedBallot]) -> dict[str, dict[str, int]]:
    """nomination -> practice -> counted votes: each counted ballot is one vote for every practice it approves."""
    counts: Counter[tuple[str, str]] = Counter(
        (b.nomination, practice) for b in ballots if not b.annulled for practice in b.practices
    )
    result: dict[str, dict[str, int]] = {}
    for (nomination, practice), votes in sorted(counts.items()):
        result.setdefault(nomination, {})[practice] = votes
    return result


def nomination_ballots(ballots: Iterable[CountedBallot]) -> dict[str, int]:
    """nomination -> counted ballots."""
    return dict(sorted(Counter(b.nomination for b in ballots if not b.annulled).items()))


def certify(
    contest: str, ballots: list[CountedBallot], issued_at: datetime, schema_version: int = SINGLE_CHOICE
) -> Certificate:
    ordered = sorted(ballots, key=lambda b: b.sequence)
    return Certificate(
        schema_version=APPROVAL if schema_version == APPROVAL else SINGLE_CHOICE,
        contest=contest,
        ledger_last_sequence=ordered[-1].sequence if ordered else 0,
        ballots=len(ordered),
        annulled=sum(b.annulled for b in ordered),
        digest_sha256=digest(ordered, schema_version),
        standings=standings(ordered),
        nomination_ballots=nomination_ballots(ordered) if schema_version == APPROVAL else None,
        issued_at=issued_at,
    )


def verify(certificate: Certificate, ballots: list[CountedBallot]) -> list[str]:
    """What does not match between a certificate and an export; empty when the count is honest."""
    problems = []
    if [b.sequence for b in ballots] != sorted(b.sequence for b in ballots):
        problems.append("ballots are not in ledger order")
    version = certificate.schema_version
    if version == SINGLE_CHOICE and (sets := sum(len(b.practices) != 1 for b in ballots)):
        return [*problems, f"{sets} ballots hold several practices, but the certificate is of a single-choice contest"]
    recomputed = certify(certificate.contest, ballots, certificate.issued_at, version)
    for field in ("ledger_last_sequence", "ballots", "annulled", "digest_sha256", "standings", "nomination_ballots"):
        if getattr(recomputed, field) != getattr(certificate, field):
            problems.append(
                f"{field} differs: certificate {getattr(certificate, field)!r}, export {getattr(recomputed, field)!r}"
            )
    return problems
