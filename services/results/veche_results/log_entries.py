"""A ledger event as the entries of its nomination's transparency log: a ballot is one `cast` entry, an annulment
one `annulled` entry per ballot it takes out (with its reason), so the count is a function of the log alone."""

from veche_results.tlog_store import Leaf
from veche_shared.contracts.votes import VoteCast, VotesAnnulled
from veche_shared.tlog.entry import Entry, Kind, cast_entry


def entries_of(event: VoteCast | VotesAnnulled) -> list[Entry]:
    if isinstance(event, VoteCast):
        return [
            cast_entry(event.contest, event.nomination, event.vote_id, event.practices, event.voter_hash, event.cast_at)
        ]
    return [
        Entry(
            Kind.annulled,
            event.contest,
            event.nomination,
            vote.vote_id,
            tuple(vote.practices),
            vote.voter_hash,
            event.occurred_at,
            event.annulment_id,
            event.reason,
        )
        for vote in event.votes
    ]


def leaves_of(seq: int, event: VoteCast | VotesAnnulled) -> list[Leaf]:
    return [Leaf(seq, event.contest, event.nomination, entry.leaf) for entry in entries_of(event)]
