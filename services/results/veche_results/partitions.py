"""Results partitions over the ledger's fixed partitions: what each reads, under which consumers, and their lag.

The ledger has subjects.LEDGER_PARTITIONS partitions, a token of every VOTES subject: a contest's ballots and
annulments all lie in the contest's partition (docs/adr/0013-voter-ledger-subjects.md). Results partition r of N owns
the ledger partitions p with p % N == r and reads each with a consumer of its own whose one filter names it, so each
contest, and so each nomination's tallies and log, has exactly one writer, and a ledger partition's consumer, named
after it alone, keeps its position when N changes (docs/adr/0008-partitioned-ledger-subjects.md). A single results
partition reads the whole stream with one unfiltered consumer.
"""

from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, ConsumerInfo, DeliverPolicy
from nats.js.errors import NotFoundError

from veche_results.settings import ResultsSettings
from veche_shared import subjects

WHOLE = None  # "the whole ledger", in place of a ledger partition
LedgerPart = int | None


def ledger_partitions(partition: int, partitions: int) -> list[int]:
    """The ledger partitions that results partition `partition` of `partitions` reads."""
    return [p for p in range(subjects.LEDGER_PARTITIONS) if p % partitions == partition]


def reads(settings: ResultsSettings, partition: int) -> list[LedgerPart]:
    """What results partition `partition` reads: the whole ledger when it is the only one (no filter: any filter,
    even votes.>, makes nats-server walk its per-subject index before the first delivery; bench/README.md), else
    its ledger partitions, one consumer each (one filter each: nats-server's multi-filter consumers walk the index
    again at every message block they skip, measured in the ADR)."""
    if settings.partitions == 1:
        return [WHOLE]
    return list(ledger_partitions(partition, settings.partitions))


def contest_partition(contest: str, partitions: int) -> int:
    """The results partition that writes a contest's tallies and logs (those of every nomination of it)."""
    return subjects.ledger_partition(contest) % partitions


def writes(settings: ResultsSettings, contest: str, nomination: str) -> bool:
    """Whether this process writes the nomination's tallies and log (one of its partitions owns its contest)."""
    del nomination  # a contest's nominations all lie in its ledger partition
    return contest_partition(contest, settings.partitions) in settings.my_partitions()


def written_ledger_partitions(settings: ResultsSettings) -> list[int]:
    """The ledger partitions whose contests' tallies and logs this process writes (all of them for one partition)."""
    mine = settings.my_partitions()
    return [p for p in range(subjects.LEDGER_PARTITIONS) if p % settings.partitions in mine]


def consumer_name(settings: ResultsSettings, part: LedgerPart) -> str:
    return settings.consumer if part is WHOLE else f"{settings.consumer}-l{part:02d}"


def consumer_configs(consumer: str, partitions: int, batch_size: int) -> list[ConsumerConfig]:
    """The durable consumers of every results partition, as `veche provision` makes them (settings `consumer`,
    `partitions`, `batch_size`): pull, acknowledged in batches (AckAll after MongoDB has one), from the start."""
    parts: list[LedgerPart] = [WHOLE] if partitions == 1 else list(range(subjects.LEDGER_PARTITIONS))
    return [
        ConsumerConfig(
            durable_name=consumer if part is WHOLE else f"{consumer}-l{part:02d}",
            filter_subject=None if part is WHOLE else subjects.ledger_partition_filter(part),
            ack_policy=AckPolicy.ALL,
            deliver_policy=DeliverPolicy.ALL,
            max_ack_pending=batch_size * 4,
            ack_wait=30,
        )
        for part in parts
    ]


def consumer_names(settings: ResultsSettings) -> list[str]:
    """The consumers of every results partition of the deployment."""
    return [consumer_name(settings, part) for r in range(settings.partitions) for part in reads(settings, r)]


def consumer_lag(info: ConsumerInfo) -> int:
    """Messages of a consumer's share not applied yet: not delivered, or delivered and not acknowledged (a batch
    is acknowledged only after MongoDB has it)."""
    return int(info.num_pending or 0) + int(info.num_ack_pending or 0)


def applied_through(info: ConsumerInfo, target: int) -> bool:
    """Whether a consumer has applied its whole share of the ledger up to sequence target: its ack floor passed
    target (AckAll acknowledges everything of its share before), or nothing of its share is left at all. A
    filtered consumer's ack floor stays at its own last message, so the ledger's last sequence alone cannot say."""
    floor = int(info.ack_floor.stream_seq) if info.ack_floor else 0
    return floor >= target or consumer_lag(info) == 0


async def all_applied_through(js: JetStreamContext, settings: ResultsSettings, target: int) -> bool:
    """Every consumer of every results partition, of this process or another, has applied its share up to target."""
    for name in consumer_names(settings):
        try:
            info = await js.consumer_info(subjects.VOTES_STREAM, name)
        except NotFoundError:  # a projector recreates its consumer at start
            return False
        if not applied_through(info, target):
            return False
    return True
