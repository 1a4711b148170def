"""The results service's query rules through its use cases on the in-memory counters (tests/unit/results_helpers.py):
numbers appear only when the contest's visibility allows them, on every public query and live snapshot; totals, the
map and the time series add up. Counting against the real ledger (poison, annulments, crashes, partitions) stays in
tests/integration/test_results*.py; that the in-memory counters behave as the database does is
tests/integration/test_results_store.py."""

from datetime import timedelta
from typing import Any

import pytest

from tests.unit.results_helpers import InMemoryResults
from veche_dev import factories as f
from veche_shared import subjects
from veche_shared.contracts.catalog import Phase, Visibility
from veche_shared.contracts.common import Contract, utcnow
from veche_shared.contracts.results import ContestQuery, LeaderboardQuery, TimeSeriesQuery
from veche_shared.errors import DomainError
from veche_shared.operations import results as results_ops
from veche_shared.rpc import Operation

CASES = [
    (Visibility.live, Phase.voting_open, True),
    (Visibility.after_close, Phase.voting_open, False),
    (Visibility.after_close, Phase.voting_closed, True),
    (Visibility.hidden, Phase.voting_closed, False),
    (Visibility.hidden, Phase.results_published, True),
]


@pytest.fixture
def service() -> InMemoryResults:
    return InMemoryResults()


async def standings(service: InMemoryResults, contest: str, *, hidden: bool = True) -> dict[str, Any]:
    query = LeaderboardQuery(contest=contest, nomination="n", include_hidden=hidden)
    board: dict[str, Any] = await service.ask(results_ops.LEADERBOARD_GET, query)
    return board


async def public_answers(service: InMemoryResults, contest: str) -> dict[str, dict[str, Any]]:
    queries: list[tuple[Operation[Any, Any], Contract]] = [
        (results_ops.LEADERBOARD_GET, LeaderboardQuery(contest=contest, nomination="n")),
        (results_ops.CONTEST_TOTALS_GET, ContestQuery(contest=contest)),
        (results_ops.MUNICIPALITY_TOTALS_GET, ContestQuery(contest=contest)),
        (results_ops.TIMESERIES_GET, TimeSeriesQuery(contest=contest, nomination="n", minutes=2_880)),
    ]
    answers = {op.name: await service.ask(op, q) for op, q in queries}
    boards = await service.ask(results_ops.LEADERBOARD_LIST, ContestQuery(contest=contest))
    answers[results_ops.LEADERBOARD_LIST.name] = boards[0]
    # the board the gateway fetches from the log's writer: sealed, and public even if the query says include_hidden
    writer = results_ops.LEADERBOARD_SEALED.at(partition=str(subjects.ledger_partition(contest)))
    sealed = await service.ask(writer, LeaderboardQuery(contest=contest, nomination="n", include_hidden=True))
    assert sealed["signature"]
    answers[writer.name] = sealed
    return answers


def shows_votes(answer: dict[str, Any]) -> bool:
    return bool(
        answer.get("total_votes")
        or answer.get("nominations")
        or answer.get("points")
        or any(m["votes"] for m in answer.get("municipalities", []))
    )


@pytest.mark.parametrize(("visibility", "phase", "visible"), CASES)
async def test_public_numbers_follow_visibility(
    service: InMemoryResults, uid: str, visibility: Visibility, phase: Phase, visible: bool
) -> None:
    contest = f"v-{uid}"
    service.seed(contest, ["perm"], visibility)
    await service.cast(contest, "perm", 1)
    service.change_phase(contest, phase, visibility)
    second = await service.cast(contest, "perm", 2)
    await service.results.publish_live(contest, "n")
    [snapshot] = service.live.sent

    answers = await public_answers(service, contest)
    assert {op: shows_votes(a) for op, a in answers.items()} == dict.fromkeys(answers, visible)
    assert {op: a["visible"] for op, a in answers.items()} == dict.fromkeys(answers, visible)
    assert (snapshot.visible, snapshot.total_votes, snapshot.version) == (visible, 2 if visible else 0, second)
    assert snapshot.signature  # every live board is sealed


async def test_hidden_contest_reveals_numbers_only_to_operators(service: InMemoryResults, uid: str) -> None:
    contest = f"h-{uid}"
    service.seed(contest, ["perm"], Visibility.hidden)
    seq = await service.cast(contest, "perm", 1)
    operator = await standings(service, contest)
    assert ([e["votes"] for e in operator["entries"]], operator["version"]) == ([1], seq)
    public = await standings(service, contest, hidden=False)
    assert (public["visible"], public["total_votes"], public["entries"]) == (False, 0, [])
    await service.results.publish_live(contest, "n")
    [message] = service.live.sent
    assert not message.visible
    assert b'"votes"' not in message.model_dump_json().encode()


async def test_totals_map_and_time_series_follow_visibility(service: InMemoryResults, uid: str) -> None:
    contest = f"t-{uid}"
    service.seed(contest, ["perm", "oxford"], Visibility.after_close)
    for n, practice in enumerate(["perm", "perm", "oxford"]):  # cast now: the time series keeps recent minutes
        await service.cast(contest, practice, n, cast_at=utcnow())
    await service.cast(contest, "perm", 9, cast_at=utcnow() - timedelta(hours=2))  # counted, not in the last hour
    board = await standings(service, contest)
    assert [(e["municipality"], e["votes"], e["change_last_hour"]) for e in board["entries"]] == [
        ("perm", 3, 2),
        ("oxford", 1, 1),
    ]

    operator = ContestQuery(contest=contest, include_hidden=True)
    totals = await service.ask(results_ops.CONTEST_TOTALS_GET, operator)
    assert (totals["total_votes"], totals["nominations"]) == (4, {"n": 4})
    places = await service.ask(results_ops.MUNICIPALITY_TOTALS_GET, operator)
    assert {m["municipality"]: m["votes"] for m in places["municipalities"]} == {"perm": 3, "oxford": 1}
    series = await service.ask(
        results_ops.TIMESERIES_GET, TimeSeriesQuery(contest=contest, nomination="n", include_hidden=True)
    )
    assert sum(p["votes"] for p in series["points"]) == 3  # the last hour's minutes only

    public = ContestQuery(contest=contest)
    assert (await service.ask(results_ops.CONTEST_TOTALS_GET, public))["nominations"] == {}
    assert (await service.ask(results_ops.MUNICIPALITY_TOTALS_GET, public))["municipalities"] == []
    query = TimeSeriesQuery(contest=contest, nomination="n")
    assert (await service.ask(results_ops.TIMESERIES_GET, query))["points"] == []
    assert all(not b["entries"] for b in await service.ask(results_ops.LEADERBOARD_LIST, public))


async def test_an_annulment_takes_its_ballots_back_and_ranks_follow(service: InMemoryResults, uid: str) -> None:
    contest = f"a-{uid}"
    service.seed(contest, ["perm", "oxford"], Visibility.live)
    perm = [f.ballot(contest, f"{contest}-perm", n) for n in range(3)]
    seqs = [await service.record(b) for b in perm]
    await service.cast(contest, "oxford", 9)
    await service.cast(contest, "oxford", 10)
    annulled = await service.record(f.annulment(contest, f"a{uid}", [(perm[0], seqs[0]), (perm[1], seqs[1])]))
    board = await standings(service, contest)
    assert [(e["municipality"], e["votes"], e["rank"]) for e in board["entries"]] == [("oxford", 2, 1), ("perm", 1, 2)]
    assert (board["total_votes"], board["version"]) == (3, annulled)


async def test_unknown_or_draft_contests_and_missing_certificates_are_refused(
    service: InMemoryResults, uid: str
) -> None:
    service.catalog(*(e for _, e in f.catalog(f.contest(uid, phase=Phase.draft), {"n": []}).events()))
    queries: list[tuple[Operation[Any, Any], Contract]] = [
        (results_ops.LEADERBOARD_GET, LeaderboardQuery(contest=uid, nomination="n")),
        (results_ops.LEADERBOARD_GET, LeaderboardQuery(contest=f"other-{uid}", nomination="n")),
        (results_ops.CONTEST_TOTALS_GET, ContestQuery(contest=uid)),
    ]
    for op, query in queries:
        with pytest.raises(DomainError) as refused:
            await service.ask(op, query)
        assert (refused.value.status, refused.value.code) == (404, "unknown_contest")
    await service.results.publish_live(uid, "n")
    assert service.live.sent == []  # nothing of a draft goes out
    with pytest.raises(DomainError) as missing:
        await service.ask(results_ops.CERTIFICATE_GET, ContestQuery(contest=uid))
    assert (missing.value.status, missing.value.code) == (404, "not_certified")
