"""Phase, settings and CSV rules of the submissions service, without infrastructure."""

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from veche_dev.csv_import import parse
from veche_shared.contracts.catalog import Phase, Practice, PracticeEvent
from veche_shared.contracts.submissions import UpdateContest
from veche_shared.errors import DomainError
from veche_shared.municipality_import import ImportRejected
from veche_shared.rpc.client import _wire
from veche_submissions import rules
from veche_submissions.queries import decode_cursor, encode_cursor

P = Phase
PRACTICE = Practice(id="p", contest="c", nomination="n", municipality="m", title="T")


@pytest.mark.parametrize(
    ("current", "target", "approved", "code"),
    [
        (P.draft, P.voting_open, 1, "illegal_transition"),
        (P.submissions_open, P.voting_open, 0, "nothing_to_vote_for"),
        (P.results_published, P.voting_closed, 1, "illegal_transition"),
        (P.voting_open, P.voting_open, 1, "same_phase"),
    ],
)
def test_refused_transitions(current: Phase, target: Phase, approved: int, code: str) -> None:
    with pytest.raises(DomainError) as caught:
        rules.check_transition(current, target, approved)
    assert (caught.value.status, caught.value.code) == (409, code)


def test_allowed_transitions() -> None:
    for current, targets in rules.ALLOWED.items():
        for target in targets:
            rules.check_transition(current, target, 1)


@pytest.mark.parametrize(
    ("phase", "changed", "code"),
    [
        (P.results_published, set(), "contest_final"),
        (P.voting_open, {"title", "identity_mode"}, "settings_locked"),
        (P.voting_closed, {"opens_at"}, "settings_locked"),
        (P.voting_closed, {"title", "closes_at"}, "settings_locked"),  # when voting ended is on the record
    ],
)
def test_contest_changes_refused(phase: Phase, changed: set[str], code: str) -> None:
    with pytest.raises(DomainError) as caught:
        rules.check_contest_change(phase, changed)
    assert caught.value.code == code


def test_the_end_of_an_open_vote_moves_but_never_into_the_past() -> None:
    now = datetime.now(UTC)
    for moment in (now, now - timedelta(minutes=1)):
        with pytest.raises(DomainError) as caught:
            rules.check_closing_time(P.voting_open, moment, now)
        assert (caught.value.status, caught.value.code) == (409, "closing_in_past")
        assert "change the phase to voting_closed" in caught.value.message
    rules.check_closing_time(P.voting_open, now + timedelta(minutes=1), now)  # earlier than planned, still ahead
    rules.check_closing_time(P.voting_open, None, now)  # no end: voting ends by its phase
    rules.check_closing_time(P.submissions_open, now - timedelta(days=1), now)  # before voting: the window is a plan


def test_contest_changes_allowed_while_voting() -> None:
    rules.check_contest_change(P.voting_open, {"title", "visibility", "closes_at"})
    rules.check_contest_change(P.draft, {"identity_mode", "jwt_key_ref"})


@pytest.mark.parametrize("phase", [P.voting_open, P.voting_closed])
def test_archiving_a_nomination_with_ballots_is_refused(phase: Phase) -> None:
    with pytest.raises(DomainError) as caught:
        rules.check_nomination_change(phase, {"archived": True})
    assert (caught.value.status, caught.value.code) == (409, "ballots_counted")


def test_nomination_changes_allowed() -> None:
    rules.check_nomination_change(P.voting_open, {"archived": False, "title": {"en": "Parks"}, "order": 2})
    rules.check_nomination_change(P.submissions_open, {"archived": True})
    with pytest.raises(DomainError, match="contest_final"):
        rules.check_nomination_change(P.results_published, {"order": 1})


def test_window_must_end_after_it_starts() -> None:
    start = datetime.now(UTC)
    rules.check_window(start, None)
    with pytest.raises(DomainError, match="bad_window"):
        rules.check_window(start, start)


def test_cursor_round_trip_and_forgery() -> None:
    assert decode_cursor(encode_cursor("p-1")) == "p-1"
    for forged in ("%%%", encode_cursor("a b"), "cC0x="):
        with pytest.raises(DomainError, match="bad_cursor"):
            decode_cursor(forged)


def test_csv_errors_name_every_bad_line(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_text(
        "id,country,name_en,name_ru,region,lat,lon,population\n"
        "perm,RU,Perm,Пермь,,58.0,56.2,1000000\n"
        "kazan,RU,Kazan,,,55.8,49.1,\n"
        "perm2,RU,PERM,,,58.0,56.2,\n"
        "x,RU,X,,,58.0,200,\n"
        "y,RU,Y,,,58.0\n",
        encoding="utf-8",
    )
    with pytest.raises(ImportRejected) as caught:
        parse(path)
    assert [(p.line, p.column, p.code) for p in caught.value.problems] == [
        (4, "name_en", "repeated"),
        (5, "lon", "invalid_cell"),
        (6, None, "invalid_line"),
    ]
    assert str(caught.value.problems[1]).startswith("line 5: lon: ")


def test_csv_good_file(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_text("id,country,name_ru,lat,lon\nperm,RU,Пермь,58.0,56.2\n", encoding="utf-8")
    [row] = parse(path)
    assert (row.line, row.command.name, row.command.region) == (2, {"ru": "Пермь"}, None)


def test_partial_updates_keep_left_out_apart_from_null_on_the_wire() -> None:
    left_out = json.loads(_wire(UpdateContest(contest="c", expected_version=1)))
    cleared = json.loads(_wire(UpdateContest(contest="c", expected_version=1, opens_at=None)))
    assert (left_out, cleared) == ({"contest": "c", "expected_version": 1}, {**left_out, "opens_at": None})
    generated = json.loads(_wire(PracticeEvent(type="PracticeApproved", practice=PRACTICE)))
    assert {"event_id", "occurred_at"} <= set(generated)
