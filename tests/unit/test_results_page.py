"""The results page says who won in words: a sole winner, a tie for first place, the podium, a hidden board;
counts read with the language's plural forms."""

from datetime import UTC, datetime

import pytest

from veche_gateway.results_page import nomination_block, state_of
from veche_gateway.results_text import votes
from veche_shared.contracts.catalog import Contest, Phase, Visibility
from veche_shared.contracts.results import Leaderboard, LeaderboardEntry


def board(*counts: int, visible: bool = True) -> Leaderboard:
    if not visible:
        return Leaderboard(contest="c", nomination="n", visible=False, total_votes=0, entries=[], version=0,
                           updated_at=None)  # fmt: skip
    total = sum(counts)
    ranks = [1 + sum(1 for other in counts if other > c) for c in counts]
    entries = [
        LeaderboardEntry(
            practice=f"p{i}",
            title={"en": f"Practice {i}", "ru": f"Практика {i}"},
            municipality=f"m{i}",
            municipality_name={"en": f"Town {i}"},
            votes=c,
            share=c / total,
            rank=rank,
        )
        for i, (c, rank) in enumerate(zip(counts, ranks, strict=True))
    ]
    return Leaderboard(
        contest="c", nomination="n", visible=visible, total_votes=total, total_ballots=total, entries=entries,
        version=1, updated_at=datetime.now(UTC),
    ).public()  # fmt: skip


@pytest.mark.parametrize(
    ("n", "ru", "en"),
    [(1, "1 голос", "1 vote"), (2, "2 голоса", "2 votes"), (5, "5 голосов", "5 votes"), (11, "11 голосов", "11 votes"),
     (21, "21 голос", "21 votes"), (23, "23 голоса", "23 votes"), (112, "112 голосов", "112 votes"),
     (1001, "1\u00a0001 голос", "1,001 votes")],
)  # fmt: skip
def test_counts_take_the_languages_plural_form(n: int, ru: str, en: str) -> None:
    assert (votes(n, "ru"), votes(n, "en")) == (ru, en)


def test_a_sole_winner_is_named_with_town_votes_and_share() -> None:
    html = nomination_block(board(5, 3, 2), "Diplomacy", "en", ("en",))
    assert '<p class="winner">Winner: <strong>Practice 0</strong> (Town 0), 5 votes, 50.0%.</p>' in html
    assert html.count("<li data-place=") == 3
    assert "share a place" not in html


def test_a_tie_is_said_and_explained() -> None:
    html = nomination_block(board(4, 4, 1), "Дипломатия", "ru", ("ru", "en"))
    assert (
        "Первое место делят: <strong>Практика 0</strong> (Town 0), <strong>Практика 1</strong> (Town 1), по 4 голоса."
        in html
    )
    assert "делят место (1, 1, 3)" in html
    assert '<li data-place="3.">' in html


def test_a_hidden_board_says_so_and_shows_no_numbers() -> None:
    html = nomination_block(board(4, 1, visible=False), "N", "en", ("en",))
    assert "hidden until voting closes" in html
    assert "Practice" not in html


def test_live_only_while_voting_with_live_results() -> None:
    def contest(phase: Phase, visibility: Visibility) -> Contest:
        return Contest(id="c", title={"en": "C"}, phase=phase, visibility=visibility)

    assert state_of(contest(Phase.voting_open, Visibility.live)) == "live"
    assert state_of(contest(Phase.voting_open, Visibility.after_close)) == "counting"
    assert state_of(contest(Phase.voting_closed, Visibility.live)) == "closed"
    assert state_of(contest(Phase.results_published, Visibility.live)) == "certified"
