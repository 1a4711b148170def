"""The results service against the real nats-server and database: exactly-once counting."""

from datetime import UTC, datetime
from typing import Any

from nats.aio.client import Client
from pydantic_core import to_jsonable_python

from tests.integration.results_helpers import cast, seed_catalog, standings, standings_when
from veche_dev import factories as f
from veche_dev.eventually import eventually
from veche_results.repository import Counted, TallyRepository
from veche_results.settings import ResultsSettings
from veche_shared import subjects
from veche_shared.contracts.catalog import Visibility
from veche_shared.contracts.common import Contract, Empty, utcnow
from veche_shared.contracts.results import ContestQuery, TimeSeriesQuery
from veche_shared.mongo import make_mongo
from veche_shared.operations import results as results_ops
from veche_shared.rpc import Operation, call


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


async def test_hidden_contest_reveals_numbers_only_to_operators(nc: Client, results: ResultsSettings, uid: str) -> None:
    contest = f"h-{uid}"
    await seed_catalog(nc, contest, ["perm"], Visibility.hidden)
    live = await nc.subscribe(subjects.live_leaderboard(contest, "n"))
    seq = await cast(nc, contest, "perm", 1)
    assert (await standings_when(nc, contest, version=seq))["entries"][0]["votes"] == 1
    public = await standings(nc, contest, hidden=False)
    assert (public["visible"], public["total_votes"], public["entries"]) == (False, 0, [])
    message = await live.next_msg(timeout=5)
    assert b'"visible":false' in message.data
    assert b'"votes"' not in message.data
    await live.unsubscribe()


async def test_redelivered_messages_never_count_twice(infra: dict[str, str], uid: str) -> None:
    mongo = make_mongo(infra["mongodb_url"], "test")
    at = utcnow()
    try:

        def item(seq: int, practice: str) -> Counted:
            return Counted(seq, "c", "n", practice, 1, at, at)

        first = TallyRepository(mongo, f"tally_{uid}")
        await first.apply([item(1, "a"), item(2, "b"), item(3, "a")])
        restarted = TallyRepository(mongo, f"tally_{uid}")  # a new process: no memory of what it applied
        await restarted.apply([item(2, "b"), item(3, "a"), item(4, "a"), item(5, "b")])
        await restarted.apply([item(5, "b")])
        counts = {t["practice"]: t["votes"] for t in await restarted.tallies_of("c", "n")}
        assert counts == {"a": 3, "b": 2}
    finally:
        await mongo.close()


async def test_totals_map_and_time_series_follow_visibility(nc: Client, results: ResultsSettings, uid: str) -> None:
    contest = f"t-{uid}"
    await seed_catalog(nc, contest, ["perm", "oxford"], Visibility.after_close)
    last = 0
    for n, practice in enumerate(["perm", "perm", "oxford"]):  # cast now: the time series keeps recent minutes
        last = await f.record(nc, f.ballot(contest, f"{contest}-{practice}", n, cast_at=utcnow()))
    await standings_when(nc, contest, total=3, version=last)

    def trend(board: dict[str, Any]) -> list[tuple[str, int]]:
        return [(e["municipality"], e["change_last_hour"]) for e in board["entries"]]

    # the minute buckets are written beside the tallies, so they may trail them a moment
    await eventually(lambda: standings(nc, contest), lambda b: trend(b) == [("perm", 2), ("oxford", 1)], what="trend")

    async def ask(op: Operation[Any, Any], payload: Contract) -> Any:
        return to_jsonable_python(await call(nc, op, payload, timeout=5))

    operator = ContestQuery(contest=contest, include_hidden=True)
    totals = await ask(results_ops.CONTEST_TOTALS_GET, operator)
    assert (totals["total_votes"], totals["nominations"]) == (3, {"n": 3})
    places = await ask(results_ops.MUNICIPALITY_TOTALS_GET, operator)
    assert {m["municipality"]: m["votes"] for m in places["municipalities"]} == {"perm": 2, "oxford": 1}
    series = await ask(
        results_ops.TIMESERIES_GET, TimeSeriesQuery(contest=contest, nomination="n", include_hidden=True)
    )
    assert sum(p["votes"] for p in series["points"]) == 3

    public = ContestQuery(contest=contest)
    assert (await ask(results_ops.CONTEST_TOTALS_GET, public))["nominations"] == {}
    assert (await ask(results_ops.MUNICIPALITY_TOTALS_GET, public))["municipalities"] == []
    assert (await ask(results_ops.TIMESERIES_GET, TimeSeriesQuery(contest=contest, nomination="n")))["points"] == []
    assert all(not b["entries"] for b in await ask(results_ops.LEADERBOARD_LIST, public))


async def test_projector_consumer_has_no_filter_subject(nc: Client, results: ResultsSettings) -> None:
    # A filter makes nats-server match every voter subject of VOTES before delivering: 1,000,000 voters stalled it.
    info = await nc.jetstream().consumer_info(subjects.VOTES_STREAM, results.consumer)
    assert (info.config.filter_subject, info.config.filter_subjects) in ((None, None), (None, []))
