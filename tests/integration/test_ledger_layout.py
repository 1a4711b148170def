"""The ledger's subject layout is part of one-ballot-per-nomination: the services refuse a VOTES stream that holds
ballots of another layout (naming the migration), and on the real nats-server a voter's subject in a contest takes
one ballot per nomination, decided by the compare-and-set at the write."""

import asyncio
import dataclasses
import os
from typing import Any

import nats
import pytest
from nats.aio.client import Client
from nats.js.api import StreamConfig
from nats.js.errors import APIError
from prometheus_client import CollectorRegistry

from veche_dev import factories as f
from veche_shared import subjects
from veche_shared.bus import LAYOUT_KEY, LedgerLayoutMismatch, declare_streams, require_streams, stream_configs
from veche_shared.nats_auth import inbox_prefix
from veche_voting.ledger import WRONG_LAST_SEQUENCE, Ledger
from veche_voting.metrics import VotingMetrics
from veche_voting.ports import SubjectMoved, SubjectTaken


def votes_config(**changes: Any) -> StreamConfig:
    (config,) = [c for c in stream_configs(replicas=1) if c.name == subjects.VOTES_STREAM]
    return dataclasses.replace(config, **changes)


async def recreate_votes(nc: Client, **changes: Any) -> None:
    js = nc.jetstream()
    await js.delete_stream(subjects.VOTES_STREAM)
    await js.add_stream(votes_config(**changes))


def ledger(nc: Client) -> Ledger:
    return Ledger(nc.jetstream(), 5.0, VotingMetrics(CollectorRegistry()))


async def as_voting(infra: dict[str, str]) -> Client:
    """A connection with the voting service's NATS identity (what a voting replica may do, and no more)."""
    user, password = os.environ["VECHE_VOTING_NATS_USER"], os.environ["VECHE_VOTING_NATS_PASSWORD"]
    return await nats.connect(infra["nats_url"], user=user, password=password, inbox_prefix=inbox_prefix("voting"))


@pytest.mark.parametrize("service", ["voting", "results"])
async def test_the_services_refuse_a_ledger_of_the_partitioned_layout(nc: Client, uid: str, service: str) -> None:
    await recreate_votes(nc, metadata={LAYOUT_KEY: "partitioned-16"})  # as issue 18's version made it
    await nc.jetstream().publish(f"votes.cast.3.c-{uid}.n.voter", b"{}", stream=subjects.VOTES_STREAM)
    try:
        with pytest.raises(LedgerLayoutMismatch, match=r"partitioned-16.*veche ledger-migrate"):
            await require_streams(nc.jetstream(), service)  # the service at start
        with pytest.raises(LedgerLayoutMismatch, match="veche ledger-migrate"):
            await declare_streams(nc.jetstream(), replicas=1)  # `veche provision`
    finally:
        await recreate_votes(nc)


async def test_voting_refuses_an_unpartitioned_ledger(nc: Client, uid: str) -> None:
    await recreate_votes(nc, metadata=None)  # as versions before issue 18 made it
    await nc.jetstream().publish(f"votes.cast.c-{uid}.n.voter", b"{}", stream=subjects.VOTES_STREAM)
    try:
        with pytest.raises(LedgerLayoutMismatch, match="unpartitioned"):
            await require_streams(nc.jetstream(), "voting")
    finally:
        await recreate_votes(nc)


async def test_an_empty_stream_of_another_layout_is_brought_up_to_date(nc: Client) -> None:
    await recreate_votes(nc, metadata=None)
    await declare_streams(nc.jetstream(), replicas=1)
    info = await nc.jetstream().stream_info(subjects.VOTES_STREAM)
    assert (info.config.metadata or {}).get(LAYOUT_KEY) == subjects.LEDGER_LAYOUT


async def test_one_subject_per_voter_holds_one_ballot_per_nomination(nc: Client, uid: str) -> None:
    contest = f"c-{uid}"
    first = f.ballot(contest, f"{contest}-p", 1, nomination="n1")
    other = f.ballot(contest, [f"{contest}-q", f"{contest}-r"], 1, nomination="n2").model_copy(update={"vote_id": "w"})
    seq1 = await ledger(nc).append(first)
    seq2 = await ledger(nc).append(other)
    with pytest.raises(SubjectTaken):
        await ledger(nc).append(first.model_copy(update={"vote_id": "again", "practices": [f"{contest}-s"]}))
    subject = subjects.vote_cast(contest, first.voter_hash)
    assert subject == f"votes.cast.{subjects.ledger_partition(contest)}.{contest}.{first.voter_hash}"
    last = await nc.jetstream().get_last_msg(subjects.VOTES_STREAM, subject)
    assert (last.seq, (last.headers or {}).get(subjects.VOTED_HEADER)) == (seq2, "n1 n2")
    assert "Nats-Msg-Id" not in (last.headers or {})  # the compare-and-set makes a repeated append fail
    assert await ledger(nc).ballot(contest, "n1", first.voter_hash) == (first, seq1)
    assert await ledger(nc).ballot(contest, "n2", first.voter_hash) == (other, seq2)
    assert await ledger(nc).ballot(contest, "n3", first.voter_hash) is None


async def test_a_writer_that_read_before_another_ballot_is_refused_by_the_server(nc: Client, uid: str) -> None:
    """The compare-and-set: an append naming any sequence but the subject's last is refused by nats-server."""
    contest = f"c-{uid}"
    ballot = f.ballot(contest, f"{contest}-p", 2, nomination="n1")
    subject = subjects.vote_cast(contest, ballot.voter_hash)
    await ledger(nc).append(ballot)
    stale = {"Nats-Expected-Last-Subject-Sequence": "0", subjects.VOTED_HEADER: "n1"}
    with pytest.raises(APIError) as refused:
        await nc.jetstream().publish(subject, ballot.model_dump_json().encode(), headers=stale)
    assert refused.value.err_code == WRONG_LAST_SEQUENCE


async def test_racing_ballots_of_one_voter_land_once_per_nomination(
    infra: dict[str, str], nc: Client, uid: str
) -> None:
    """Twenty appends at once from four voting replicas' connections, two per nomination of ten: each nomination
    gets exactly one, the other is told the nomination is taken."""
    contest = f"c-{uid}"
    connections = [await as_voting(infra) for _ in range(4)]
    try:
        writers = [ledger(c) for c in connections]
        attempts = [
            f.ballot(contest, f"{contest}-p{k}", 3, nomination=f"n{n}").model_copy(update={"vote_id": f"v{n}-{k}"})
            for n in range(10)
            for k in range(2)
        ]
        appends = (writers[i % 4].append(b) for i, b in enumerate(attempts))
        outcomes = await asyncio.gather(*appends, return_exceptions=True)
    finally:
        for c in connections:
            await c.close()
    accepted = [b.nomination for b, o in zip(attempts, outcomes, strict=True) if isinstance(o, int)]
    assert sorted(accepted) == sorted(f"n{n}" for n in range(10))
    assert all(isinstance(o, SubjectTaken) for o in outcomes if not isinstance(o, int))
    info = await nc.jetstream().stream_info(subjects.VOTES_STREAM, subjects_filter=subjects.contest_ballots(contest))
    assert info.state.subjects == {subjects.vote_cast(contest, f.voter(3)): 10}
    stored = await nc.jetstream().get_last_msg(subjects.VOTES_STREAM, subjects.vote_cast(contest, f.voter(3)))
    assert sorted(subjects.voted_nominations((stored.headers or {}).get(subjects.VOTED_HEADER))) == sorted(accepted)


async def test_the_annulment_guard_names_the_stored_subjects(nc: Client, uid: str) -> None:
    """An annulment that read the nomination's annulments before another landed is refused: the guard's filter
    matches the subjects as stored (a filter matching nothing would accept it silently)."""
    contest = f"c-{uid}"
    ballots = [f.ballot(contest, f"{contest}-p", n) for n in (4, 5)]
    seqs = [await ledger(nc).append(b) for b in ballots]
    first = await ledger(nc).append_annulment(f.annulment(contest, "a1", [(ballots[0], seqs[0])]), after=0)
    stored = await nc.jetstream().get_last_msg(subjects.VOTES_STREAM, subjects.contest_annulments(contest, "n"))
    assert (stored.seq, stored.subject) == (first, subjects.votes_annulled(contest, "n", "a1"))
    with pytest.raises(SubjectMoved):  # written as if a1 were not there
        await ledger(nc).append_annulment(f.annulment(contest, "a2", [(ballots[1], seqs[1])]), after=0)
    assert await ledger(nc).append_annulment(f.annulment(contest, "a2", [(ballots[1], seqs[1])]), after=first)
