"""Reads a contest's counted ballots from the ledger (VoteCast minus VotesAnnulled)."""

from nats.js import JetStreamContext
from pydantic import ValidationError

from veche_results.ledger_reader import open_ledger
from veche_shared import subjects
from veche_shared.contracts.results import CountedBallot
from veche_shared.contracts.votes import VoteCast, VotesAnnulled


class StreamLedger:
    """The LedgerReads port on stream VOTES."""

    def __init__(self, js: JetStreamContext) -> None:
        self._js = js

    async def last_sequence(self) -> int:
        return int((await self._js.stream_info(subjects.VOTES_STREAM)).state.last_seq)

    async def counted_ballots(self, contest: str) -> list[CountedBallot]:
        return await counted_ballots(self._js, contest)


def counted_ballot(sequence: int, ballot: VoteCast, annulled: bool = False) -> CountedBallot:
    """A ballot of the ledger as the export writes it: anonymised, with its set of practices."""
    return CountedBallot(
        sequence=sequence,
        vote_id=ballot.vote_id,
        nomination=ballot.nomination,
        practices=ballot.practices,
        voter_hash=ballot.voter_hash,
        annulled=annulled,
    )


async def counted_ballots(js: JetStreamContext, contest: str) -> list[CountedBallot]:
    """Every valid ballot of the contest in ledger order, marked annulled where an annulment names it."""
    ballots: list[CountedBallot] = []
    annulled: set[str] = set()
    async with open_ledger(js, contest) as ledger:
        async for batch in ledger.batches():
            for msg in batch:
                try:
                    if subjects.is_vote_cast(msg.subject):
                        ballots.append(counted_ballot(msg.seq, VoteCast.model_validate_json(msg.data)))
                    elif subjects.is_votes_annulled(msg.subject):
                        annulled.update(v.vote_id for v in VotesAnnulled.model_validate_json(msg.data).votes)
                except ValidationError:
                    continue  # dead-lettered by the projector; never counted
    return [b.model_copy(update={"annulled": True}) if b.vote_id in annulled else b for b in ballots]
