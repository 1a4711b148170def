"""The proposed voter ledger layout (docs/adr/0013-voter-ledger-subjects.md), as `make ledger-scale` writes it.

One subject per voter per contest, `votes.cast.<partition>.<contest>.<voter_hash>` (partition: a hash of the voter,
0..15), each ballot appended with a compare-and-set on the subject's last sequence and the voter's nominations so
far in header Veche-Voted, no Nats-Msg-Id. `append` is the voting service's write path of that layout (branch
ledger-national, veche_voting.ledger.Ledger.append): read the voter's last ballot (a direct get, any replica),
refuse if the nomination is in it, append naming the sequence read; lost a race, read again from the leader.
"""

import dataclasses
import hashlib

import nats.errors
from nats.js import JetStreamContext
from nats.js.api import StreamConfig
from nats.js.errors import APIError, NotFoundError

from veche_shared import subjects
from veche_shared.bus import LAYOUT_KEY, stream_configs

PARTITIONS = 16
LAYOUT = f"voter-{PARTITIONS}"
VOTED_HEADER = "Veche-Voted"
WRONG_LAST_SEQUENCE = 10071
RACES = 16


class Taken(Exception):
    """The voter has a ballot in this nomination."""


class Busy(Exception):
    """The voter's ballots kept racing each other."""


def partition(voter_hash: str) -> int:
    return int.from_bytes(hashlib.sha256(voter_hash.encode()).digest()[:4], "big") % PARTITIONS


def subject(contest: str, voter_hash: str) -> str:
    return f"votes.cast.{partition(voter_hash)}.{contest}.{voter_hash}"


def partition_filter(part: int) -> str:
    return f"votes.*.{part}.>"


def votes_config(replicas: int) -> StreamConfig:
    """Stream VOTES as the services declare it, with direct gets allowed and the layout in its metadata."""
    (config,) = [c for c in stream_configs(replicas) if c.name == subjects.VOTES_STREAM]
    return dataclasses.replace(config, allow_direct=True, metadata={LAYOUT_KEY: LAYOUT})


async def voter_state(js: JetStreamContext, target: str, *, direct: bool) -> tuple[int, list[str]]:
    """The last sequence of a voter's subject (0: none) and the nominations voted on it."""
    try:
        msg = await js.get_last_msg(subjects.VOTES_STREAM, target, direct=direct)
    except NotFoundError:
        return 0, []
    return msg.seq or 0, ((msg.headers or {}).get(VOTED_HEADER) or "").split()


async def append(js: JetStreamContext, contest: str, nomination: str, voter_hash: str, body: bytes) -> int:
    """Append a ballot unless the voter has voted in the nomination (Taken); its stream sequence."""
    target = subject(contest, voter_hash)
    for race in range(RACES):
        last, voted = await voter_state(js, target, direct=race == 0)
        if nomination in voted:
            raise Taken
        headers = {"Nats-Expected-Last-Subject-Sequence": str(last), VOTED_HEADER: " ".join([*voted, nomination])}
        try:
            return (await js.publish(target, body, stream=subjects.VOTES_STREAM, headers=headers)).seq
        except APIError as exc:
            if exc.err_code != WRONG_LAST_SEQUENCE:
                raise
        except nats.errors.TimeoutError:
            raise
    raise Busy
