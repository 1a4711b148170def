"""`veche ledger-migrate` on a ledger of the partitioned layout with ballots and an annulment, run as the provisioning
identity: the same messages at the same sequences, the same certificate digest, `verify` passes, the services
start on it, and one ballot per voter per nomination and the annulment guard hold on the migrated subjects."""

import dataclasses
import hashlib
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import nats
import pytest
from nats.aio.client import Client
from prometheus_client import CollectorRegistry

from veche_dev import devstack, nats_config
from veche_dev import factories as f
from veche_dev.ledger_migrate import MIGRATION_STREAM, Report, migrate, mirror_out
from veche_results.certificate import certify, verify
from veche_results.export import counted_ballot, counted_ballots
from veche_results.partitions import consumer_configs
from veche_shared import subjects
from veche_shared.bus import LAYOUT_KEY, LedgerLayoutMismatch, require_streams, stream_configs
from veche_shared.contracts.results import APPROVAL, CountedBallot
from veche_shared.contracts.votes import VoteCast, VotesAnnulled
from veche_shared.nats_auth import inbox_prefix
from veche_shared.provision import Provision, provision
from veche_voting.ledger import Ledger
from veche_voting.metrics import VotingMetrics
from veche_voting.ports import SubjectMoved, SubjectTaken

OLD_LAYOUT = "partitioned-16"


@dataclasses.dataclass
class Server:
    url: str
    passwords: dict[str, str]

    async def connect(self, role: str) -> Client:
        return await nats.connect(self.url, user=role, password=self.passwords[role], inbox_prefix=inbox_prefix(role))


@pytest.fixture
async def server(tmp_path: Path) -> AsyncIterator[Server]:
    """A nats-server of this test's own, with the platform's identities: the migration deletes and recreates VOTES."""
    port = devstack.free_port()
    passwords = nats_config.new_passwords(with_harness=True)
    conf = nats_config.write_server_config(devstack.base_nats_conf(), tmp_path / "conf", passwords)
    process = devstack.start_nats(port, tmp_path / "nats", tmp_path / "logs", conf)
    yield Server(f"nats://127.0.0.1:{port}", passwords)
    process.stop()


def old_subject(event: VoteCast | VotesAnnulled) -> str:
    """Where the partitioned-16 version (issue 18) wrote an event: the nomination's partition, the nomination."""
    partition = int.from_bytes(hashlib.sha256(f"{event.contest}.{event.nomination}".encode()).digest()[:4], "big") % 16
    last = event.voter_hash if isinstance(event, VoteCast) else event.annulment_id
    kind = "cast" if isinstance(event, VoteCast) else "annulled"
    return f"votes.{kind}.{partition}.{event.contest}.{event.nomination}.{last}"


async def old_ledger(nc: Client, contest: str) -> list[CountedBallot]:
    """VOTES as the partitioned-16 version wrote it: ballots of 12 voters in two nominations (approval sets among
    them, one version 1 event), another contest's ballots between them, an annulment of three ballots of n1, and
    ballots after it. Returns the contest's ballots as that version counted and exported them."""
    js = nc.jetstream()
    for config in stream_configs(replicas=1):
        if config.name == subjects.VOTES_STREAM:
            config = dataclasses.replace(config, metadata={LAYOUT_KEY: OLD_LAYOUT})
        await js.add_stream(config)

    async def write(event: VoteCast | VotesAnnulled, body: bytes | None = None) -> int:
        headers = {"Nats-Msg-Id": event.vote_id if isinstance(event, VoteCast) else event.annulment_id}
        if isinstance(event, VoteCast):
            headers["Nats-Expected-Last-Subject-Sequence"] = "0"
        ack = await js.publish(old_subject(event), body or event.model_dump_json().encode(), headers=headers)
        return int(ack.seq)

    written: list[tuple[VoteCast, int]] = []
    for n in range(12):
        for nomination in ("n1", "n2") if n % 2 else ("n1",):
            choice = [f"{contest}-a", f"{contest}-b"] if n % 3 == 0 else f"{contest}-{'abc'[n % 3]}"
            ballot = f.ballot(contest, choice, n, nomination).model_copy(update={"vote_id": f"v{n}-{nomination}"})
            body = None
            if n == 4:  # as the single-choice version wrote it
                old = ballot.model_dump(mode="json", exclude={"practices"}) | {"practice": ballot.practices[0]}
                body = json.dumps(old | {"schema_version": 1}).encode()
            written.append((ballot, await write(ballot, body)))
            other = f.ballot(f"other-{contest}", "x", n, nomination)
            await write(other.model_copy(update={"vote_id": f"o{n}-{nomination}"}))
    annulled = [(b, seq) for b, seq in written if b.nomination == "n1"][:3]
    await write(f.annulment(contest, "a1", annulled, nomination="n1"))
    for n in range(12, 15):
        ballot = f.ballot(contest, f"{contest}-c", n, "n2").model_copy(update={"vote_id": f"v{n}-n2"})
        written.append((ballot, await write(ballot)))
    gone = {b.vote_id for b, _ in annulled}
    return [counted_ballot(seq, b, annulled=b.vote_id in gone) for b, seq in written]


async def test_migrate_a_partitioned_ledger_with_an_annulment(server: Server, uid: str) -> None:
    contest = f"m-{uid}"
    harness = await server.connect(nats_config.HARNESS)
    as_provision = await server.connect(nats_config.PROVISION)
    try:
        before = await old_ledger(harness, contest)
        for service in ("voting", "results"):
            with pytest.raises(LedgerLayoutMismatch, match=r"partitioned-16.*`veche ledger-migrate`"):
                await require_streams(harness.jetstream(), service)
        issued = datetime.now(UTC)
        certificate = certify(contest, before, issued, APPROVAL)
        assert (certificate.ballots, certificate.annulled) == (21, 3)
        stored = (await harness.jetstream().stream_info(subjects.VOTES_STREAM)).state

        report = await migrate(as_provision)

        assert (report.source_layout, report.ballots, report.annulments) == (OLD_LAYOUT, 39, 1)
        after_state = (await harness.jetstream().stream_info(subjects.VOTES_STREAM)).state
        assert (after_state.messages, after_state.last_seq) == (stored.messages, stored.last_seq)
        after = await counted_ballots(harness.jetstream(), contest)
        assert after == before  # every ballot at its sequence, the same ones annulled
        assert verify(certificate, after) == []
        assert certify(contest, after, issued, APPROVAL).digest_sha256 == certificate.digest_sha256
        assert MIGRATION_STREAM not in [s.config.name for s in await harness.jetstream().streams_info()]
        await provision(as_provision.jetstream(), Provision(1, 3600, 10.0, consumer_configs("results", 2, 100)))
        for service in ("voting", "results"):
            await require_streams(harness.jetstream(), service)  # every service starts on it
        assert (await migrate(as_provision)).steps == [f"VOTES is in {subjects.LEDGER_LAYOUT} already: nothing to do"]
        await migrated_guarantees(harness, contest, before)
    finally:
        await harness.close()
        await as_provision.close()


async def migrated_guarantees(nc: Client, contest: str, before: list[CountedBallot]) -> None:
    """The migrated subjects carry the voters' nominations and the annulment sits where the guard looks."""
    ledger = Ledger(nc.jetstream(), 5.0, VotingMetrics(CollectorRegistry()))
    with pytest.raises(SubjectTaken):
        await ledger.append(f.ballot(contest, f"{contest}-a", 1, "n2").model_copy(update={"vote_id": "again"}))
    with pytest.raises(SubjectTaken):
        await ledger.append(f.ballot(contest, f"{contest}-a", 4, "n1").model_copy(update={"vote_id": "again-v1"}))
    assert await ledger.append(f.ballot(contest, f"{contest}-a", 2, "n2").model_copy(update={"vote_id": "new"}))
    found = await ledger.ballot(contest, "n1", f.voter(1))
    assert found is not None
    assert (found[0].vote_id, found[1]) == ("v1-n1", next(b.sequence for b in before if b.vote_id == "v1-n1"))
    voted = await nc.jetstream().get_last_msg(subjects.VOTES_STREAM, subjects.vote_cast(contest, f.voter(1)))
    assert (voted.headers or {}).get(subjects.VOTED_HEADER) == "n1 n2"
    again = f.annulment(contest, "a2", [(found[0], found[1])], nomination="n1")
    with pytest.raises(SubjectMoved):  # written as if annulment a1 were not in the migrated ledger
        await ledger.append_annulment(again, after=0)


async def test_a_migration_that_stopped_half_way_is_run_again(server: Server, uid: str) -> None:
    """Stopped after VOTES was deleted, with the new VOTES half-written: the next run writes it again from the
    complete copy."""
    contest = f"h-{uid}"
    harness = await server.connect(nats_config.HARNESS)
    as_provision = await server.connect(nats_config.PROVISION)
    try:
        before = await old_ledger(harness, contest)
        js = as_provision.jetstream()
        votes = await js.stream_info(subjects.VOTES_STREAM)
        await mirror_out(js, votes, Report())
        (config,) = [c for c in stream_configs(replicas=1) if c.name == subjects.VOTES_STREAM]
        await js.add_stream(config)
        await js.publish(subjects.vote_cast(contest, f.voter(0)), b"{}")  # the half-written start

        report = await migrate(as_provision)

        assert report.steps[0] == "resumed a migration that had stopped half-way"
        assert (report.source_layout, report.ballots, report.annulments) == (OLD_LAYOUT, 39, 1)
        assert await counted_ballots(harness.jetstream(), contest) == before
    finally:
        await harness.close()
        await as_provision.close()
