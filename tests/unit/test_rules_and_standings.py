from datetime import UTC, datetime, timedelta

import pytest

from veche_results import standings
from veche_results.ports import Tally
from veche_shared import subjects
from veche_shared.catalog_view import CatalogView
from veche_shared.contracts.catalog import (
    Contest,
    ContestEvent,
    Phase,
    Practice,
    PracticeEvent,
    PracticeStatus,
    Visibility,
)
from veche_shared.errors import DomainError
from veche_submissions import rules


def test_phases_move_forward_only_and_voting_needs_an_approved_practice() -> None:
    rules.check_transition(Phase.draft, Phase.submissions_open, approved_practices=0)
    with pytest.raises(DomainError) as refused:
        rules.check_transition(Phase.submissions_open, Phase.voting_open, approved_practices=0)
    assert refused.value.code == "nothing_to_vote_for"
    rules.check_transition(Phase.submissions_open, Phase.voting_open, approved_practices=1)
    with pytest.raises(DomainError) as final:
        rules.check_transition(Phase.results_published, Phase.voting_open, approved_practices=5)
    assert (final.value.status, final.value.code) == (409, "illegal_transition")


@pytest.mark.parametrize("bad", ["", "a.b", "a*", "a>", "x" * 65, "пермь", "a b"])
def test_subject_tokens_refuse_unsafe_ids(bad: str) -> None:
    with pytest.raises(ValueError, match="subject-safe"):
        subjects.token(bad)


def _view_with(
    votes: dict[str, int], visibility: Visibility = Visibility.live
) -> tuple[CatalogView, Contest, list[Tally]]:
    view = CatalogView()
    contest = Contest(id="c", title={"en": "C"}, phase=Phase.voting_open, visibility=visibility)
    view.apply(ContestEvent(type="ContestCreated", contest=contest))
    for practice in votes:
        view.apply(
            PracticeEvent(
                type="PracticeApproved",
                practice=Practice(
                    id=practice,
                    contest="c",
                    nomination="n",
                    municipality=f"m-{practice}",
                    title=practice.upper(),
                    status=PracticeStatus.approved,
                ),
            )
        )
    tallies = [Tally(p, v, i + 1, None) for i, (p, v) in enumerate(votes.items())]
    return view, contest, tallies


def test_ties_share_a_rank_and_the_next_rank_skips() -> None:
    view, contest, tallies = _view_with({"a": 5, "b": 7, "c": 5, "d": 1})
    board = standings.build(view, contest, "n", tallies, reveal=True, at=datetime.now(UTC))
    assert [(e.practice, e.votes, e.rank) for e in board.entries] == [
        ("b", 7, 1),
        ("a", 5, 2),
        ("c", 5, 2),
        ("d", 1, 4),
    ]
    assert board.total_votes == 18
    assert board.version == 4
    assert sum(e.share for e in board.entries) == pytest.approx(1.0)


def test_hidden_standings_carry_no_numbers() -> None:
    view, contest, tallies = _view_with({"a": 3}, Visibility.hidden)
    assert not contest.results_public()
    board = standings.build(view, contest, "n", tallies, reveal=False, at=datetime.now(UTC))
    assert (board.visible, board.total_votes, board.entries) == (False, 0, [])


@pytest.mark.parametrize(
    ("visibility", "phase", "visible"),
    [
        (Visibility.live, Phase.voting_open, True),
        (Visibility.after_close, Phase.voting_open, False),
        (Visibility.after_close, Phase.voting_closed, True),
        (Visibility.hidden, Phase.voting_closed, False),
        (Visibility.hidden, Phase.results_published, True),
    ],
)
def test_visibility_follows_the_contest_phase(visibility: Visibility, phase: Phase, visible: bool) -> None:
    contest = Contest(id="c", title={"en": "C"}, phase=phase, visibility=visibility)
    assert contest.results_public() is visible


def test_catalog_view_keeps_the_newest_version_whatever_the_order() -> None:
    view = CatalogView()
    newer = Contest(id="c", title={"en": "C"}, phase=Phase.voting_open, version=3)
    older = newer.model_copy(update={"phase": Phase.draft, "version": 2})
    view.apply(ContestEvent(type="ContestPhaseChanged", contest=newer))
    view.apply(ContestEvent(type="ContestUpdated", contest=older))
    assert view.contests["c"].phase == Phase.voting_open


@pytest.mark.parametrize(
    ("phase", "opens", "closes", "accepts"),
    [
        (Phase.voting_open, None, None, True),
        (Phase.voting_open, -1, 1, True),
        (Phase.voting_open, 1, None, False),
        (Phase.voting_open, None, 0, False),  # the end of the window is exclusive
        (Phase.voting_closed, None, None, False),
        (Phase.draft, None, None, False),
    ],
)
def test_a_contest_accepts_votes_only_while_open_and_inside_its_window(
    phase: Phase, opens: int | None, closes: int | None, accepts: bool
) -> None:
    now = datetime(2026, 11, 29, 12, tzinfo=UTC)
    at = {k: None if v is None else now + timedelta(hours=v) for k, v in (("opens_at", opens), ("closes_at", closes))}
    contest = Contest(id="c", title={"en": "C"}, phase=phase, **at)
    assert contest.accepts_votes(now) is accepts
    assert contest.is_public() is (phase != Phase.draft)
