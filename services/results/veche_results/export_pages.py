"""Pages of a certified contest's counted ballots, for the HTTP export (GET .../exports/ballots).

A page is read from the ledger by sequence, so an export of N ballots reads the contest's ballots about once,
however many pages it takes; only the annulments (few events) are read again for each page. Ballots past the
certificate's last sequence are left out, so the export always matches the certificate (as `veche
results-export` does).
"""

from nats.js import JetStreamContext
from pydantic import ValidationError

from veche_results.export import counted_ballot
from veche_results.ledger_reader import open_ledger
from veche_shared import subjects
from veche_shared.contracts.results import BallotPage, BallotPageQuery, Certificate, CountedBallot
from veche_shared.contracts.votes import VoteCast, VotesAnnulled


async def annulled_votes(js: JetStreamContext, contest: str) -> set[str]:
    """The vote ids the contest's annulments name (as `veche results-export` marks them: the certificate's last
    sequence is its last ballot's, and annulments come after the ballots they annul)."""
    annulled: set[str] = set()
    async with open_ledger(js, contest, filter_subject=subjects.contest_annulments(contest)) as ledger:
        async for batch in ledger.batches():
            for msg in batch:
                try:
                    annulled.update(v.vote_id for v in VotesAnnulled.model_validate_json(msg.data).votes)
                except ValidationError:
                    continue  # dead-lettered by the projector; annuls nothing
    return annulled


def counted(sequence: int, data: bytes, annulled: set[str]) -> CountedBallot | None:
    try:
        b = VoteCast.model_validate_json(data)
    except ValidationError:
        return None  # dead-lettered by the projector; never counted
    return counted_ballot(sequence, b, b.vote_id in annulled)


async def ballot_page(js: JetStreamContext, certificate: Certificate, q: BallotPageQuery) -> BallotPage:
    """Up to q.limit ballots after sequence q.after, none past the certificate's last sequence."""
    last = certificate.ledger_last_sequence
    annulled = await annulled_votes(js, q.contest)
    ballots: list[CountedBallot] = []
    filter_subject = subjects.contest_ballots(q.contest)
    async with open_ledger(js, q.contest, filter_subject=filter_subject, after=q.after) as ledger:
        async for batch in ledger.batches(min(q.limit, 1_000)):
            for msg in batch:
                sequence = msg.seq
                if sequence > last:
                    return BallotPage(schema_version=certificate.schema_version, ballots=ballots, next_after=None)
                if (ballot := counted(sequence, msg.data, annulled)) is not None:
                    ballots.append(ballot)
                if len(ballots) == q.limit:
                    more = sequence < last
                    return BallotPage(
                        schema_version=certificate.schema_version,
                        ballots=ballots,
                        next_after=sequence if more else None,
                    )
    return BallotPage(schema_version=certificate.schema_version, ballots=ballots, next_after=None)
