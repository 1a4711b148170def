"""The results service against the real nats-server and database: counting from the ledger (annulments, poison),
live snapshots on the bus. The query rules on the in-memory counters are tests/unit/test_results_use_cases.py; the
stores' contract (the last_seq guard across a restart among it) is tests/integration/test_results_store.py."""

from datetime import UTC, datetime

from nats.aio.client import Client

from tests.integration.results_helpers import cast, change_phase, seed_catalog, standings_when
from veche_dev import factories as f
from veche_results.settings import ResultsSettings
from veche_shared import subjects
from veche_shared.contracts.catalog import Phase, Visibility
from veche_shared.contracts.common import Empty
from veche_shared.contracts.results import LeaderboardChanged
from veche_shared.operations import results as results_ops
from veche_shared.rpc import call


async def test_votes_annulments_and_poison(nc: Client, results: ResultsSettings, uid: str) -> None:
    contest = f"r-{uid}"
    await seed_catalog(nc, contest, ["perm", "oxford"], Visibility.live)
    seqs = [await cast(nc, contest, "perm", n) for n in range(3)] + [await cast(nc, contest, "oxford", 9)]
    poison = subjects.vote_cast(contest, f.voter(99))
    await nc.jetstream().publish(poison, b'{"type": "VoteCast", "schema_version": 7, "nomination": "n"}')
    last = await f.record(nc, f.annulment(contest, f"a{uid}", [(f.ballot(contest, f"{contest}-perm", 0), seqs[0])]))

    board = await standings_when(nc, contest, total=3, version=last)
    assert [(e["municipality"], e["votes"], e["rank"]) for e in board["entries"]] == [("perm", 2, 1), ("oxford", 1, 2)]
    dead = await nc.jetstream().stream_info(subjects.DEAD_LETTER_STREAM, subjects_filter="deadletter.VOTES.>")
    assert dead.state.messages >= 1
    ledger = await call(nc, results_ops.LEDGER_STATUS, Empty(), timeout=5)  # what operators see of it
    [letter] = [d for d in ledger.recent_dead_letters if d.contest == contest]
    # a ballot's subject names its contest; its nomination is in the body, read when it was dead-lettered
    assert (letter.kind, letter.nomination, letter.subject) == ("invalid_event", "n", poison)
    stored = await nc.jetstream().get_msg(subjects.DEAD_LETTER_STREAM, letter.dead_letter_sequence)
    assert (stored.headers or {}).get("Veche-Nomination") == "n"
    assert letter.reason.startswith("invalid cast message: ")
    assert letter.sequence < last
    assert letter.at > datetime.fromtimestamp(0, UTC)  # the server's time of it was read (nats keeps the real clock)
    assert ledger.recent_dead_letters[0].dead_letter_sequence == dead.state.last_seq  # newest first


async def test_projector_consumer_has_no_filter_subject(nc: Client, results: ResultsSettings) -> None:
    # A filter makes nats-server match every voter subject of VOTES before delivering: 1,000,000 voters stalled it.
    info = await nc.jetstream().consumer_info(subjects.VOTES_STREAM, results.consumer)
    assert (info.config.filter_subject, info.config.filter_subjects) in ((None, None), (None, []))


async def test_publication_alone_sends_the_revealed_standings_live(
    nc: Client, results: ResultsSettings, uid: str
) -> None:
    contest = f"pub-{uid}"
    await seed_catalog(nc, contest, ["perm"], Visibility.hidden)
    live = await nc.subscribe(subjects.live_leaderboard(contest, "n"))
    seq = await cast(nc, contest, "perm", 1)
    snapshot = LeaderboardChanged.model_validate_json((await live.next_msg(timeout=15)).data)
    while snapshot.version < seq:  # wait for the hidden snapshot of the vote itself
        snapshot = LeaderboardChanged.model_validate_json((await live.next_msg(timeout=15)).data)
    assert not snapshot.visible
    await change_phase(nc, contest, Phase.results_published, Visibility.hidden)
    snapshot = LeaderboardChanged.model_validate_json((await live.next_msg(timeout=15)).data)
    await live.unsubscribe()
    assert (snapshot.visible, snapshot.total_votes) == (True, 1)
