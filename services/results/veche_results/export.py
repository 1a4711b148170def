"""Reads a contest's counted ballots from the ledger (VoteCast minus VotesAnnulled)."""

from nats.js import JetStreamContext
from pydantic import ValidationError

from veche_results.ledger_reader import open_ledger
from veche_shared import subjects
from veche_shared.contracts.results import CountedBallot
from veche_shared.contracts.votes import VoteCast, VotesAnnulled


async def counted_ballots(js: JetStreamContext, contest: str) -> list[CountedBallot]:
    """Every valid ballot of the contest in ledger order, marked annulled where an annulment names it."""
    ballots: list[CountedBallot] = []
    annulled: set[str] = set()
    async with open_ledger(js, contest) as ledger:
        async for batch in ledger.batches():
            for msg in batch:
                try:
                    if subjects.is_vote_cast(msg.subject):
                        b = VoteCast.model_validate_json(msg.data)
                        ballots.append(
                            CountedBallot(
                                sequence=msg.metadata.sequence.stream,
                                vote_id=b.vote_id,
                                nomination=b.nomination,
                                practice=b.practice,
                                voter_hash=b.voter_hash,
                                annulled=False,
                            )
                        )
                    elif subjects.is_votes_annulled(msg.subject):
                        annulled.update(v.vote_id for v in VotesAnnulled.model_validate_json(msg.data).votes)
                except ValidationError:
                    continue  # dead-lettered by the projector; never counted
    return [b.model_copy(update={"annulled": True}) if b.vote_id in annulled else b for b in ballots]
