"""Every NATS subject and stream name used by Veche, in one place.

Each subject's shape is declared once as a template (the AsyncAPI document shows them); the functions fill
the templates with checked tokens.
"""

import hashlib
import re

TOKEN_PATTERN = r"^[A-Za-z0-9_-]{1,64}$"  # noqa: S105 - a pattern, not a password
_TOKEN = re.compile(TOKEN_PATTERN)

CATALOG_STREAM = "CATALOG"
VOTES_STREAM = "VOTES"
DEAD_LETTER_STREAM = "DEADLETTER"
AUDIT_STREAM = "AUDIT"  # the operators' audit trail (docs/adr/0004-operator-audit-trail.md)
ROLL_STREAM = "ROLL"  # the contests' voter rolls: keyed hashes only (docs/adr/0012-voter-roll.md)
WRITER_LEASES_BUCKET = "SUBMISSIONS_WRITERS"  # KV: one key per catalog document being written (stream KV_...)
# The gateway replicas' shared rate-limit state: a JetStream key-value bucket (its stream is KV_<bucket>, its
# subjects $KV.<bucket>.<key>). Keys: issue.<window>.<scope>.<keyed hash> counters and pow.<nonce> markers.
GATEWAY_LIMITS_BUCKET = "veche_gateway_limits"

RPC = "svc.{service}.{operation}"
HEALTH_INSTANCES = "svc.{service}.health.instances"  # every instance answers (no queue group): /ops lists them
CATALOG_EVENT = "catalog.{entity}.{scope}"
# The ledger (docs/adr/0013-voter-ledger-subjects.md) holds one subject per voter per contest: a voter's ballots in
# the nominations of a contest are appended one after another to `votes.cast.<partition>.<contest>.<voter_hash>`,
# each with a compare-and-set on the subject's last sequence and the voter's nominations so far in header
# Veche-Voted, so one ballot per voter per nomination is decided by nats-server at the write (nats-server keeps state
# per subject: one subject per voter per nomination cost about 1 KB of broker memory per ballot, docs/capacity.md).
# The partition is the contest's, a fixed number of them, the third token of every ledger subject: a results
# process reads only its partitions with one filter each, and it owns whole contests, so every nomination's
# tallies and transparency log have exactly one writer. The number is fixed for the life of a ledger, because the
# compare-and-set is a check on the exact subject. Stream VOTES records the layout in its metadata, and the services
# refuse a ledger laid out otherwise (`veche ledger-migrate` rewrites an earlier one).
LEDGER_PARTITIONS = 16
LEDGER_LAYOUT = f"contest-voter-{LEDGER_PARTITIONS}"
PREVIOUS_LEDGER_LAYOUTS = (None, "partitioned-16")  # what `veche ledger-migrate` rewrites (None: unpartitioned)
VOTE_CAST = "votes.cast.{partition}.{contest}.{voter_hash}"
VOTES_ANNULLED = "votes.annulled.{partition}.{contest}.{nomination}.{annulment_id}"
VOTED_HEADER = "Veche-Voted"  # on every ballot: the nominations its voter has voted in, this one included
LIVE_LEADERBOARD = "live.leaderboard.{contest}.{nomination}"
DEAD_LETTER = "deadletter.{stream}.{sequence}"
AUDIT = "audit.{scope}"
# A roll entry: the keyed hash of one identifier in one generation of a contest's roll (first write wins); the
# head names the generation in force and its size. Replacing a roll writes a new generation, then the head.
ROLL_ENTRY = "roll.entry.{contest}.{generation}.{entry_hash}"
ROLL_HEAD = "roll.head.{contest}"

CATALOG_ALL = "catalog.>"
VOTES_ALL = "votes.>"
DEAD_LETTER_ALL = "deadletter.>"
LIVE_LEADERBOARD_ALL = "live.leaderboard.>"
AUDIT_ALL = "audit.>"
ROLL_ALL = "roll.>"
STREAMS = (
    (CATALOG_STREAM, CATALOG_ALL),
    (VOTES_STREAM, VOTES_ALL),
    (DEAD_LETTER_STREAM, DEAD_LETTER_ALL),
    (AUDIT_STREAM, AUDIT_ALL),
    (ROLL_STREAM, ROLL_ALL),
)

_VOTE_CAST_PREFIX = VOTE_CAST.split("{", 1)[0]
_VOTES_ANNULLED_PREFIX = VOTES_ANNULLED.split("{", 1)[0]


def token(value: str) -> str:
    """Return value if it is a safe subject token, else raise ValueError."""
    if not _TOKEN.match(value):
        raise ValueError(f"not a subject-safe id: {value!r}")
    return value


def rpc(service: str, operation: str) -> str:
    return RPC.format(service=service, operation=operation)


def health_instances(service: str) -> str:
    """svc.<service>.health.instances: a status request every replica of service receives and answers."""
    return HEALTH_INSTANCES.format(service=token(service))


def catalog_event(entity: str, scope: str) -> str:
    """catalog.<entity>.<contest or municipality id>"""
    return CATALOG_EVENT.format(entity=token(entity), scope=token(scope))


def ledger_partition(contest: str) -> int:
    """The ledger partition of a contest's ballots and annulments: a hash of the contest id."""
    digest = hashlib.sha256(token(contest).encode()).digest()
    return int.from_bytes(digest[:4], "big") % LEDGER_PARTITIONS


def vote_cast(contest: str, voter_hash: str) -> str:
    """The subject of every ballot of one voter in one contest."""
    return VOTE_CAST.format(partition=ledger_partition(contest), contest=contest, voter_hash=token(voter_hash))


def votes_annulled(contest: str, nomination: str, annulment_id: str) -> str:
    return VOTES_ANNULLED.format(
        partition=ledger_partition(contest),
        contest=contest,
        nomination=token(nomination),
        annulment_id=token(annulment_id),
    )


def partition_of(subject: str) -> int:
    """The ledger partition a VOTES subject names (its third token)."""
    return int(subject.split(".", 3)[2])


def ledger_partition_filter(partition: int) -> str:
    """Filter: every ballot and annulment of one ledger partition (the partition token comes early, so that
    nats-server's subject index is walked only below it)."""
    if not 0 <= partition < LEDGER_PARTITIONS:
        raise ValueError(f"no ledger partition {partition}")
    return f"votes.*.{partition}.>"


def voted_header(nominations: list[str]) -> str:
    """The Veche-Voted header's value: nomination ids, space-separated, in the order they were voted."""
    return " ".join(nominations)


def voted_nominations(value: str | None) -> list[str]:
    return value.split() if value else []


def live_leaderboard(contest: str, nomination: str) -> str:
    return LIVE_LEADERBOARD.format(contest=token(contest), nomination=token(nomination))


def dead_letter(source_stream: str, sequence: int) -> str:
    """deadletter.<stream>.<sequence>: a message a consumer could not use, kept with the reason."""
    return DEAD_LETTER.format(stream=token(source_stream), sequence=sequence)


def audit(scope: str) -> str:
    """audit.<contest or _platform>: one operator action (stream AUDIT)."""
    return AUDIT.format(scope=token(scope))


def roll_entry(contest: str, generation: str, entry_hash: str) -> str:
    return ROLL_ENTRY.format(contest=token(contest), generation=token(generation), entry_hash=token(entry_hash))


def roll_head(contest: str) -> str:
    return ROLL_HEAD.format(contest=token(contest))


def is_vote_cast(subject: str) -> bool:
    return subject.startswith(_VOTE_CAST_PREFIX)


def is_votes_annulled(subject: str) -> bool:
    return subject.startswith(_VOTES_ANNULLED_PREFIX)


def contest_ledger(contest: str) -> str:
    """Filter: every ballot and annulment of one contest."""
    return f"votes.*.{ledger_partition(contest)}.{contest}.>"


def contest_ballots(contest: str, voter_hash: str | None = None) -> str:
    """Filter: the contest's ballots, or one voter's ballots in every nomination of it (their one subject)."""
    if voter_hash is None:
        return f"{_VOTE_CAST_PREFIX}{ledger_partition(contest)}.{contest}.*"
    return vote_cast(contest, voter_hash)


def contest_annulments(contest: str, nomination: str | None = None) -> str:
    """Filter: annulments of a contest, or of one nomination of it, as they are stored (the annulment guard names
    this filter: a filter that matched no stored subject would let every annulment through)."""
    partition = ledger_partition(contest)
    if nomination is None:
        return f"{_VOTES_ANNULLED_PREFIX}{partition}.{contest}.>"
    return f"{_VOTES_ANNULLED_PREFIX}{partition}.{contest}.{token(nomination)}.*"
