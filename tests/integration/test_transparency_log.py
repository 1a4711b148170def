"""Each nomination's transparency log, built by the results service as it projects the ledger, against the real
nats-server and database: signed checkpoints, tiles and proofs that recompute from the ballots themselves."""

import base64
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
from nats.aio.client import Client
from prometheus_client import CollectorRegistry

from tests.integration.results_helpers import cast, certificate, change_phase, seed_catalog
from tests.provisioning import provision_bus
from veche_dev import factories as f
from veche_dev.eventually import eventually
from veche_dev.results_ops import verify_export, write_export
from veche_results.app import build_app
from veche_results.checkpoints import CheckpointHistory
from veche_results.export import counted_ballots
from veche_results.log_certificate import ledger_entries
from veche_results.log_entries import entries_of, leaves_of
from veche_results.settings import ResultsSettings
from veche_results.tlog_store import Head, Leaf, LogStore
from veche_shared import subjects
from veche_shared.contracts.catalog import Phase, Visibility
from veche_shared.contracts.common import utcnow
from veche_shared.contracts.results import Certificate, LeaderboardChanged
from veche_shared.contracts.tlog import (
    ConsistencyQuery,
    InclusionQuery,
    LeafQuery,
    LogQuery,
    SignedCheckpoint,
    TileQuery,
)
from veche_shared.contracts.votes import VoteCast, VotesAnnulled
from veche_shared.errors import DomainError
from veche_shared.mongo import make_mongo
from veche_shared.operations import results as ops
from veche_shared.rpc import call
from veche_shared.tlog import merkle, note
from veche_shared.tlog.entry import count
from veche_shared.tlog.keys import DEV_LOG_VERIFIER_KEY
from veche_shared.tlog.seal import holds
from veche_shared.tlog.tiles import MemoryRows, TileId

VERIFIER = note.Verifier.parse(DEV_LOG_VERIFIER_KEY)


@pytest.fixture
async def quick_results(infra: dict[str, str], uid: str) -> AsyncIterator[ResultsSettings]:
    settings = ResultsSettings(
        nats_url=infra["nats_url"],
        mongodb_url=infra["mongodb_url"],
        database=f"results_{uid}",
        consumer=f"results-{uid}",
        live_interval=0.05,
        checkpoint_interval=0.1,
        batch_size=100,
    )
    await provision_bus(infra["harness_url"], settings)  # its consumer, as `veche provision` makes it
    app = build_app(settings, registry=CollectorRegistry())
    async with app.router.lifespan_context(app):
        yield settings


async def checkpoint_of(nc: Client, contest: str, size: int) -> SignedCheckpoint:
    return await eventually(
        lambda: call(nc, ops.LOG_CHECKPOINT, LogQuery(contest=contest, nomination="n"), timeout=5),
        lambda c: c.size >= size,
        what=f"a signed checkpoint of {size}",
        ignoring=(DomainError,),
    )


async def test_the_log_of_a_nomination_is_its_ballots_signed(
    nc: Client, quick_results: ResultsSettings, uid: str
) -> None:
    contest = f"t-{uid}"
    await seed_catalog(nc, contest, ["perm", "oxford"], Visibility.live)
    start = utcnow()
    ballots = [
        f.ballot(contest, f"{contest}-{'perm' if n % 3 else 'oxford'}", n, cast_at=start + timedelta(seconds=n))
        for n in range(600)
    ]
    await f.record_many(nc, ballots[:250])
    first = await checkpoint_of(nc, contest, 250)
    await f.record_many(nc, ballots[250:])
    annulment = f.annulment(contest, f"a{uid}", [(ballots[4], 5)])
    await f.record(nc, annulment)
    final = await checkpoint_of(nc, contest, 601)

    recorded: list[VoteCast | VotesAnnulled] = [*ballots, annulment]
    expected = MemoryRows([e.leaf for b in recorded for e in entries_of(b)])
    origin = f"veche.localhost/{contest}/n"
    opened, _ = note.open_checkpoint(final.note, VERIFIER, origin)
    assert (opened.size, opened.root) == (601, merkle.tree_hash(expected, 601))
    earlier, _ = note.open_checkpoint(first.note, VERIFIER, origin)
    assert earlier.root == merkle.tree_hash(expected, earlier.size)

    proof = await call(nc, ops.LOG_INCLUSION, InclusionQuery(contest=contest, nomination="n", index=600), timeout=5)
    hashes = [base64.b64decode(h) for h in proof.hashes]
    merkle.verify_inclusion(600, 601, entries_of(annulment)[0].leaf, hashes, opened.root)
    consistency = await call(
        nc, ops.LOG_CONSISTENCY, ConsistencyQuery(contest=contest, nomination="n", old=earlier.size, new=601), timeout=5
    )
    merkle.verify_consistency(
        earlier.size, 601, earlier.root, opened.root, [base64.b64decode(h) for h in consistency.hashes]
    )

    for tile in (TileId(0, 1), TileId(0, 2, 89), TileId(1, 0, 2)):
        served = await call(nc, ops.LOG_TILE, TileQuery(contest=contest, nomination="n", path=tile.path), timeout=5)
        assert base64.b64decode(served.data) == expected.tile(tile)
        assert served.full == (tile.width == 256)
    with pytest.raises(DomainError, match="no_tile"):  # beyond the signed checkpoint
        await call(nc, ops.LOG_TILE, TileQuery(contest=contest, nomination="n", path="tile/0/003.p/1"), timeout=5)


async def test_a_ballots_entry_is_found_by_its_leaf_between_the_checkpoints_around_its_sequence(
    nc: Client, quick_results: ResultsSettings, uid: str
) -> None:
    contest = f"leaf-{uid}"
    await seed_catalog(nc, contest, ["perm"], Visibility.live)
    start = utcnow()
    ballots = [f.ballot(contest, f"{contest}-perm", n, cast_at=start + timedelta(seconds=n)) for n in range(300)]
    await f.record_many(nc, ballots[:260])
    await checkpoint_of(nc, contest, 260)
    seqs = [await f.record(nc, ballot) for ballot in ballots[260:]]
    await checkpoint_of(nc, contest, 300)

    def where(ballot: int, seq: int) -> LeafQuery:
        leaf = base64.b64encode(entries_of(ballots[ballot])[0].leaf).decode()
        return LeafQuery(contest=contest, nomination="n", leaf=leaf, seq=seq)

    found = await call(nc, ops.LOG_LEAF, where(270, seqs[10]), timeout=5)
    assert found.index == 270
    assert 270 < found.size <= 300  # the first signed checkpoint that holds it
    with pytest.raises(DomainError, match="not_in_log"):  # that leaf is not among the entries around this sequence
        await call(nc, ops.LOG_LEAF, where(5, seqs[10]), timeout=5)
    with pytest.raises(DomainError, match="not_in_log"):  # no signed checkpoint reaches that far yet
        await call(nc, ops.LOG_LEAF, where(299, seqs[-1] + 1_000_000), timeout=5)


async def test_a_hidden_contest_has_no_public_log(nc: Client, quick_results: ResultsSettings, uid: str) -> None:
    contest = f"h-{uid}"
    await seed_catalog(nc, contest, ["perm"], Visibility.hidden)
    await f.record(nc, f.ballot(contest, f"{contest}-perm", 1))
    with pytest.raises(DomainError, match="log_hidden"):
        await call(nc, ops.LOG_CHECKPOINT, LogQuery(contest=contest, nomination="n"), timeout=5)


async def test_appending_again_after_a_crash_changes_nothing(infra: dict[str, str], uid: str) -> None:
    """A batch delivered again (a crash before its acknowledgement) and a new process, with its cache empty, append
    nothing twice: the head's last sequence guards the log as last_seq guards a tally."""
    mongo = make_mongo(infra["mongodb_url"], "test")
    try:
        events = [f.ballot("c", "p", n) for n in range(700)]
        leaves = [leaf for seq, b in enumerate(events, 1) for leaf in leaves_of(seq, b)]
        first = LogStore(mongo, f"log_{uid}")
        await first.append(leaves[:300])
        await first.append(leaves[200:400])  # redelivered in part
        again = LogStore(mongo, f"log_{uid}")  # as after a restart
        await again.append(leaves[350:700])
        await again.append([Leaf(x.seq, x.contest, x.nomination, x.hash) for x in leaves[650:]])
        head = await LogStore(mongo, f"log_{uid}").head(("c", "n"))
        expected = MemoryRows([x.hash for x in leaves])
        assert (head.size, head.root, head.last_seq) == (700, merkle.tree_hash(expected, 700), 700)
        assert await again.inclusion(("c", "n"), 123, 700) == merkle.inclusion_proof(expected, 123, 700)
    finally:
        await mongo.drop_database(f"log_{uid}")
        await mongo.close()


async def test_the_checkpoint_history_keeps_the_last_of_each_minute_and_every_cosigned_one(
    infra: dict[str, str], uid: str
) -> None:
    mongo = make_mongo(infra["mongodb_url"], "test")
    try:
        history, key = CheckpointHistory(mongo, f"thin_{uid}"), ("c", "n")
        await history.ensure_indexes()
        now = utcnow()
        old_minute = (now - timedelta(hours=3)).replace(second=0, microsecond=0)
        signed = [(old_minute + timedelta(seconds=2 * n), n) for n in range(1, 6)]  # sizes 1-5 in one minute
        signed += [(old_minute + timedelta(minutes=1, seconds=n), n) for n in (6, 7)]  # 6 and 7 in the next
        signed += [(now - timedelta(minutes=10, seconds=-n), n) for n in range(100, 106)]  # recent: all kept
        for at, size in signed:
            await history.add(key, Head(size, bytes(32), 10 * size), f"note {size}\n", at)
        await history.add_cosignature(key, 3, "\u2014 news.example/witness AAAA\n")

        assert await history.thin(key, now - timedelta(hours=1)) == 4  # 1, 2 and 4 (3 is cosigned), and 6
        kept = [doc["size"] for doc in await history.collection.find({}).sort("size", 1).to_list()]
        assert kept == [3, 5, 7, *range(100, 106)]
        assert await history.thin(key, now - timedelta(hours=1)) == 0
        assert await history.around(key, 41) == (3, 5)  # a ballot between two kept checkpoints: a wider search
        assert (await history.latest(key)) is not None
    finally:
        await mongo.drop_database(f"thin_{uid}")
        await mongo.close()


async def test_the_certificate_holds_each_logs_final_checkpoint_and_verify_recomputes_it(
    nc: Client, results: ResultsSettings, uid: str, tmp_path: Path
) -> None:
    contest = f"clog-{uid}"
    await seed_catalog(nc, contest, ["perm", "oxford"], Visibility.hidden)
    seqs = [await cast(nc, contest, p, n) for n, p in enumerate(["perm", "perm", "oxford", "perm"])]
    await f.record(nc, f.annulment(contest, f"a{uid}", [(f.ballot(contest, f"{contest}-perm", 1), seqs[1])]))
    await change_phase(nc, contest, Phase.results_published, Visibility.hidden)
    issued = Certificate.model_validate(await eventually(lambda: certificate(nc, contest), what="a certificate"))

    assert issued.logs is not None
    assert issued.logs["n"].size == 5  # four ballots and one annulled ballot
    opened, _ = note.open_checkpoint(issued.logs["n"].checkpoint, VERIFIER, f"veche.localhost/{contest}/n")
    assert base64.b64encode(opened.root).decode() == issued.logs["n"].root
    entries = await ledger_entries(nc.jetstream(), contest)
    write_export(tmp_path, issued, await counted_ballots(nc.jetstream(), contest), entries)
    files = (tmp_path / "certificate.json", tmp_path / "ballots.jsonl")
    assert verify_export(*files, DEV_LOG_VERIFIER_KEY) == 0

    log_file = tmp_path / "log-n.txt"
    original = log_file.read_bytes()
    log_file.write_bytes(original.replace(f"{contest}-oxford".encode(), f"{contest}-perm".encode(), 1))
    assert verify_export(*files, DEV_LOG_VERIFIER_KEY) == 1  # a ballot moved: another root, other counts
    log_file.write_bytes(original)
    other_key = note.Signer.generate("veche.localhost").verifier.vkey
    assert verify_export(*files, other_key) == 1  # not signed by that key


async def test_live_boards_are_sealed_at_the_log_head_they_were_counted_at(
    nc: Client, quick_results: ResultsSettings, uid: str
) -> None:
    contest = f"seal-{uid}"
    await seed_catalog(nc, contest, ["perm", "oxford"], Visibility.live)
    live = await nc.subscribe(subjects.live_leaderboard(contest, "n"))
    start = utcnow()
    ballots = [f.ballot(contest, f"{contest}-{'perm' if n % 4 else 'oxford'}", n, cast_at=start + timedelta(seconds=n))
               for n in range(300)]  # fmt: skip
    await f.record_many(nc, ballots)
    leaves = [e.leaf for b in ballots for e in entries_of(b)]
    expected = MemoryRows(leaves)
    seen = 0
    while seen < 300:
        board = LeaderboardChanged.model_validate_json((await live.next_msg(timeout=15)).data)
        assert holds(board, VERIFIER)
        assert board.log_size is not None
        seen = board.log_size
        # the numbers are exactly the count of the log's first log_size entries, whose root the board names
        assert board.log_root == base64.b64encode(merkle.tree_hash(expected, board.log_size)).decode()
        counted = count([e for b in ballots for e in entries_of(b)][: board.log_size])
        assert {e.practice: e.votes for e in board.entries if e.votes} == {p: v for p, v in counted.items() if v}
    await live.unsubscribe()
