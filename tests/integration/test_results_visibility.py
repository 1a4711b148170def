"""Every visibility mode on every public query and live message: numbers appear only when allowed."""

from typing import Any

import pytest
from nats.aio.client import Client
from pydantic_core import to_jsonable_python

from tests.integration.results_helpers import cast, change_phase, seed_catalog, standings, standings_when
from veche_dev.eventually import eventually
from veche_results.settings import ResultsSettings
from veche_shared import subjects
from veche_shared.contracts.catalog import Phase, Visibility
from veche_shared.contracts.common import Contract
from veche_shared.contracts.results import ContestQuery, LeaderboardChanged, LeaderboardQuery, TimeSeriesQuery
from veche_shared.operations import results as results_ops
from veche_shared.rpc import Operation, call

CASES = [
    (Visibility.live, Phase.voting_open, True),
    (Visibility.after_close, Phase.voting_open, False),
    (Visibility.after_close, Phase.voting_closed, True),
    (Visibility.hidden, Phase.voting_closed, False),
    (Visibility.hidden, Phase.results_published, True),
]


async def public_answers(nc: Client, contest: str) -> dict[str, dict[str, Any]]:
    queries: list[tuple[Operation[Any, Any], Contract]] = [
        (results_ops.LEADERBOARD_GET, LeaderboardQuery(contest=contest, nomination="n")),
        (results_ops.CONTEST_TOTALS_GET, ContestQuery(contest=contest)),
        (results_ops.MUNICIPALITY_TOTALS_GET, ContestQuery(contest=contest)),
        (results_ops.TIMESERIES_GET, TimeSeriesQuery(contest=contest, nomination="n", minutes=2_880)),
    ]
    answers = {op.name: to_jsonable_python(await call(nc, op, q, timeout=5)) for op, q in queries}
    boards = await call(nc, results_ops.LEADERBOARD_LIST, ContestQuery(contest=contest), timeout=5)
    answers[results_ops.LEADERBOARD_LIST.name] = to_jsonable_python(boards[0])
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
    nc: Client, results: ResultsSettings, uid: str, visibility: Visibility, phase: Phase, visible: bool
) -> None:
    contest = f"v-{uid}"
    await seed_catalog(nc, contest, ["perm"], visibility)
    await standings_when(nc, contest, version=await cast(nc, contest, "perm", 1))
    live = await nc.subscribe(subjects.live_leaderboard(contest, "n"))
    await change_phase(nc, contest, phase, visibility)
    await eventually(  # the results service has applied the phase change: it shows in the public flag
        lambda: standings(nc, contest, hidden=False), lambda board: board["visible"] == visible, what="the new phase"
    )
    # a second vote after the phase change makes the results service publish a live snapshot
    second = await cast(nc, contest, "perm", 2)
    await standings_when(nc, contest, version=second)
    snapshot = LeaderboardChanged.model_validate_json((await live.next_msg(timeout=15)).data)
    while snapshot.version < second:  # an older snapshot may still have been on its way
        snapshot = LeaderboardChanged.model_validate_json((await live.next_msg(timeout=15)).data)
    await live.unsubscribe()

    answers = await public_answers(nc, contest)
    assert {op: shows_votes(a) for op, a in answers.items()} == dict.fromkeys(answers, visible)
    assert {op: a["visible"] for op, a in answers.items()} == dict.fromkeys(answers, visible)
    assert (snapshot.visible, snapshot.total_votes > 0) == (visible, visible)


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
