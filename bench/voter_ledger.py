"""The ledger layout `make ledger-scale` writes: the voting service's own (docs/adr/0013-voter-ledger-subjects.md).

One subject per voter per contest, `votes.cast.<partition>.<contest>.<voter_hash>` with the contest's partition
(`veche_shared.subjects`), each ballot appended with a compare-and-set on the subject's last sequence and the voter's
nominations so far in header Veche-Voted, no Nats-Msg-Id. `append` is the voting service's write path itself,
`veche_voting.ledger.Ledger.append`: read the voter's last ballot (a direct get, any replica), refuse if the
nomination is in it, append naming the sequence read; lost a race, read again from the leader.
"""

from nats.js import JetStreamContext
from prometheus_client import CollectorRegistry

from veche_shared import subjects
from veche_shared.contracts.votes import VoteCast
from veche_voting.ledger import WRONG_LAST_SEQUENCE, Ledger
from veche_voting.metrics import VotingMetrics
from veche_voting.ports import SubjectTaken

LAYOUT = subjects.LEDGER_LAYOUT
VOTED_HEADER = subjects.VOTED_HEADER
Taken = SubjectTaken
__all__ = ["LAYOUT", "VOTED_HEADER", "WRONG_LAST_SEQUENCE", "Taken", "append", "ledger", "partition_filter", "subject"]


def subject(contest: str, voter_hash: str) -> str:
    return subjects.vote_cast(contest, voter_hash)


def partition_filter(contest: str) -> str:
    """What a results partition reads when there are several: the contest's ledger partition."""
    return subjects.ledger_partition_filter(subjects.ledger_partition(contest))


def ledger(js: JetStreamContext) -> Ledger:
    return Ledger(js, 10.0, VotingMetrics(CollectorRegistry()))


async def append(writer: Ledger, ballot: VoteCast) -> int:
    """Append a ballot unless the voter has voted in its nomination (Taken); its stream sequence."""
    return await writer.append(ballot)
