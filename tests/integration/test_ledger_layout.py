"""The ledger's subject layout is part of first-write-wins: the voting service refuses a VOTES stream that holds
ballots of another layout, and the partition token of every subject is what the real nats-server checks."""

import dataclasses

import pytest
from nats.aio.client import Client
from nats.js.errors import APIError

from veche_dev import factories as f
from veche_shared import subjects
from veche_shared.bus import LAYOUT_KEY, LedgerLayoutMismatch, declare_streams, require_streams, stream_configs

WRONG_LAST_SEQUENCE = 10071


def votes_config(**changes: object) -> object:
    (config,) = [c for c in stream_configs(replicas=1) if c.name == subjects.VOTES_STREAM]
    return dataclasses.replace(config, **changes)


async def recreate_votes(nc: Client, **changes: object) -> None:
    js = nc.jetstream()
    await js.delete_stream(subjects.VOTES_STREAM)
    await js.add_stream(votes_config(**changes))


async def test_voting_refuses_a_ledger_written_in_another_layout(nc: Client, uid: str) -> None:
    await recreate_votes(nc, metadata=None)  # as an earlier version made it
    await nc.jetstream().publish(f"votes.cast.c-{uid}.n.voter", b"{}", stream=subjects.VOTES_STREAM)
    with pytest.raises(LedgerLayoutMismatch, match="unpartitioned"):
        await require_streams(nc.jetstream(), "voting")  # the voting service at start
    with pytest.raises(LedgerLayoutMismatch, match="unpartitioned"):
        await declare_streams(nc.jetstream(), replicas=1)  # `veche provision`
    await recreate_votes(nc)


async def test_an_empty_stream_of_another_layout_is_brought_up_to_date(nc: Client) -> None:
    await recreate_votes(nc, metadata=None)
    await declare_streams(nc.jetstream(), replicas=1)
    info = await nc.jetstream().stream_info(subjects.VOTES_STREAM)
    assert (info.config.metadata or {}).get(LAYOUT_KEY) == subjects.LEDGER_LAYOUT


async def test_first_write_wins_on_the_partitioned_subject(nc: Client, uid: str) -> None:
    """The check is on the exact subject the writer names, partition token included."""
    js = nc.jetstream()
    ballot = f.ballot(f"c-{uid}", f"c-{uid}-p", 1)
    subject = subjects.vote_cast(ballot.contest, ballot.nomination, ballot.voter_hash)
    assert subject.split(".")[2] == str(subjects.ledger_partition(ballot.contest, ballot.nomination))
    first = {"Nats-Expected-Last-Subject-Sequence": "0"}
    await js.publish(subject, ballot.model_dump_json().encode(), stream=subjects.VOTES_STREAM, headers=first)
    with pytest.raises(APIError) as refused:
        await js.publish(subject, ballot.model_dump_json().encode(), stream=subjects.VOTES_STREAM, headers=first)
    assert refused.value.err_code == WRONG_LAST_SEQUENCE
