"""The vote-ledger layouts the probe compares: subjects, streams, placement and how a ballot is written.

(a) today's: one subject per voter per nomination, `votes.cast.<contest>.<nomination>.<voter_hash>`, written with
    Nats-Expected-Last-Subject-Sequence: 0 (first write wins) and Nats-Msg-Id.
(a0) the same without Nats-Msg-Id, to tell the duplicate window's memory from the subjects'.
(b) shorter tokens: `v.c.<short contest>.<nomination index>.<22-char voter hash>`.
(c) one subject per voter per contest, one append per nomination with Nats-Expected-Last-Subject-Sequence set to
    the voter's last sequence (compare-and-set); a header carries the nominations voted so far.
(e) (c) with (b)'s short tokens: `v.<short contest>.<22-char voter hash>`.
(f) (e) sharded into K streams by the writer (shard = the voter hash modulo K, in the subject), placed like (d):
    a writer that reads the voter's last message before appending knows the stream to read from.
(p) Veche's ledger since the partitioned layout: (a) with the ledger partition of the nomination (0..15) as the
    third token, `votes.cast.<partition>.<contest>.<nomination>.<voter_hash>`
    (docs/adr/0008-partitioned-ledger-subjects.md).
(d) the ledger sharded into K streams: an account mapping with partition(K) on the voter token, each shard an R3
    stream placed (by server tags) on its own three servers of a 3*K-node cluster.
"""

import base64
import hashlib
from dataclasses import dataclass, field

from nats.js.api import Placement, StorageType, StreamConfig

NOMINATIONS = 11
CONTEST = "forum-2018"
SHARDS = 2


@dataclass(frozen=True)
class Layout:
    key: str
    title: str
    streams: list[StreamConfig]
    nodes: int = 3
    tags: list[list[str]] = field(default_factory=list)
    mappings: dict[str, str] = field(default_factory=dict)
    per_contest: bool = False
    short: bool = False
    writer_shards: int = 0  # > 0: the writer picks the shard from the voter hash (it reads before it writes)
    msg_id: bool = True
    partitioned: bool = False  # (p): the nomination's ledger partition as the third token
    voter_partitioned: bool = False  # (v): per-contest subjects with the voter's ledger partition as the third token

    def subject(self, voter: int, nomination: int) -> str:
        digest = hashlib.sha256(f"probe-voter-{voter}".encode()).digest()
        if self.short:
            short = base64.urlsafe_b64encode(digest[:16]).rstrip(b"=").decode()
            if self.writer_shards:
                return f"v.{digest[0] % self.writer_shards}.f18.{short}"
            return f"v.f18.{short}" if self.per_contest else f"v.c.f18.{nomination}.{short}"
        if self.voter_partitioned:
            return f"votes.cast.{int.from_bytes(digest[:4], 'big') % 16}.{CONTEST}.{digest.hex()}"
        if self.per_contest:
            return f"votes.cast.{CONTEST}.{digest.hex()}"
        if self.partitioned:
            nomination_id = f"peoples-diplomacy-{nomination:02d}"  # issue 18's layout: the nomination's partition
            partition = int.from_bytes(hashlib.sha256(f"{CONTEST}.{nomination_id}".encode()).digest()[:4], "big") % 16
            return f"votes.cast.{partition}.{CONTEST}.{nomination_id}.{digest.hex()}"
        return f"votes.cast.{CONTEST}.peoples-diplomacy-{nomination:02d}.{digest.hex()}"

    def stream_of(self, subject: str) -> str:
        """The stream that holds a subject (for a direct get): the writer's shard, or the only stream."""
        if self.writer_shards:
            return f"VOTES_{subject.split('.')[1]}"
        return self.streams[0].name or "VOTES"


def _stream(name: str, subjects: list[str], tags: list[str] | None = None) -> StreamConfig:
    return StreamConfig(
        name=name,
        subjects=subjects,
        storage=StorageType.FILE,
        num_replicas=3,
        duplicate_window=120.0,
        allow_direct=True,
        placement=Placement(tags=tags) if tags else None,
    )


def layouts() -> dict[str, Layout]:
    votes = [_stream("VOTES", ["votes.>"])]
    sharded = [_stream(f"VOTES_{k}", [f"votes.cast.{k}.>"], [f"shard:{k}"]) for k in range(SHARDS)]
    partition = f"votes.cast.{{{{partition({SHARDS},3)}}}}.{{{{wildcard(1)}}}}.{{{{wildcard(2)}}}}.{{{{wildcard(3)}}}}"
    return {
        "a": Layout("a", "one subject per voter per nomination (today)", votes),
        "a0": Layout("a0", "(a) without Nats-Msg-Id", votes, msg_id=False),
        "p": Layout("p", "(a) with the ledger partition token (Veche's layout)", votes, partitioned=True),
        "b": Layout("b", "shorter tokens", [_stream("VOTES", ["v.>"])], short=True),
        "c": Layout("c", "one subject per voter per contest, compare-and-set append", votes, per_contest=True),
        "e0": Layout(
            "e0", "(e) without Nats-Msg-Id", [_stream("VOTES", ["v.>"])], per_contest=True, short=True, msg_id=False
        ),
        "v": Layout(
            "v",
            "one subject per voter per contest, the voter's partition (0..15) as third token, no Nats-Msg-Id",
            votes,
            per_contest=True,
            voter_partitioned=True,
            msg_id=False,
        ),
        "e": Layout("e", "(c) with short tokens", [_stream("VOTES", ["v.>"])], per_contest=True, short=True),
        "f": Layout(
            "f",
            f"(e) sharded by the writer into {SHARDS} R3 streams on {3 * SHARDS} servers",
            [_stream(f"VOTES_{k}", [f"v.{k}.>"], [f"shard:{k}"]) for k in range(SHARDS)],
            nodes=3 * SHARDS,
            tags=[[f"shard:{i // 3}"] for i in range(3 * SHARDS)],
            per_contest=True,
            short=True,
            writer_shards=SHARDS,
        ),
        "d": Layout(
            "d",
            f"(a) sharded into {SHARDS} R3 streams by partition({SHARDS}) on {3 * SHARDS} servers",
            sharded,
            nodes=3 * SHARDS,
            tags=[[f"shard:{i // 3}"] for i in range(3 * SHARDS)],
            mappings={"votes.cast.*.*.*": partition},
        ),
    }


def ballot_body(voter: int, nomination: int) -> bytes:
    """A VoteCast-sized JSON body (the shape the voting service writes), the same for every layout."""
    voter_hash = hashlib.sha256(f"probe-voter-{voter}".encode()).hexdigest()
    return (
        f'{{"schema_version":1,"vote_id":"01J{voter:010d}{nomination:02d}PROBE0000000",'
        f'"contest":"{CONTEST}","nomination":"peoples-diplomacy-{nomination:02d}",'
        f'"practice":"practice-{voter % 7}","voter_hash":"{voter_hash}","identity_mode":"jwt",'
        f'"cast_at":"2026-11-29T12:00:00.000000Z","idempotency_hash":null}}'
    ).encode()
