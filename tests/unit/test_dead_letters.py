"""A stored dead letter as operators see it (veche_results.dead_letters): time, kind, contest and nomination."""

from datetime import UTC, datetime

from veche_results.dead_letters import dead_letter_of, ledger_ids, nomination_in, stored_at
from veche_shared import subjects
from veche_shared.stream_read import Stored


def test_the_servers_time_stamp_is_read_to_the_microsecond() -> None:
    moment = datetime.now(UTC).replace(microsecond=123456)
    whole = moment.strftime("%Y-%m-%dT%H:%M:%S")
    assert stored_at(f"{whole}.123456789Z") == moment
    assert stored_at(f"{whole}Z") == moment.replace(microsecond=0)
    assert stored_at(None) == stored_at("not a time") == datetime.fromtimestamp(0, UTC)


def test_a_ledger_subject_names_its_contest_and_nomination() -> None:
    assert ledger_ids(subjects.vote_cast("forum", "abc")) == ("forum", None)  # the nomination is in the body
    assert ledger_ids(subjects.votes_annulled("forum", "n1", "a1")) == ("forum", "n1")
    assert ledger_ids("votes.cast.x") == (None, None)
    assert ledger_ids("votes.cast.1.forum.n1.abc") == (None, None)  # the layout before issue 28
    assert ledger_ids("other.cast.1.forum.n1.abc") == (None, None)


def test_a_dead_letter_written_before_kinds_were_recorded_is_of_kind_other() -> None:
    headers = {"Veche-Reason": "unknown subject votes.x", "Nats-Time-Stamp": datetime.now(UTC).isoformat()}
    letter = dead_letter_of(Stored("deadletter.VOTES.42", 7, b"", 0, headers))
    assert (letter.sequence, letter.dead_letter_sequence, letter.kind, letter.contest) == (42, 7, "other", None)
    headers |= {"Veche-Kind": "unknown_subject", "Veche-Subject": subjects.votes_annulled("forum", "n1", "a1")}
    letter = dead_letter_of(Stored("deadletter.VOTES.43", 8, b"", 0, headers))
    assert (letter.kind, letter.contest, letter.nomination) == ("unknown_subject", "forum", "n1")
    headers["Veche-Kind"] = "something new"
    assert dead_letter_of(Stored("deadletter.VOTES.44", 9, b"", 0, headers)).kind == "other"


def test_a_ballots_nomination_is_read_from_its_body_when_its_subject_does_not_name_it() -> None:
    assert nomination_in(b'{"type": "VoteCast", "schema_version": 7, "nomination": "n1"}') == "n1"
    for body in (b"", b"\xff not json", b'["n1"]', b'{"nomination": 7}', b'{"nomination": "a b"}', b"{}"):
        assert nomination_in(body) is None, body
    ballot = subjects.vote_cast("forum", "abc")
    stamp = {"Nats-Time-Stamp": datetime.now(UTC).isoformat(), "Veche-Subject": ballot}
    written = {**stamp, "Veche-Nomination": "n2"}  # the projector's header wins over the body
    assert dead_letter_of(Stored("deadletter.VOTES.5", 1, b'{"nomination": "n1"}', 0, written)).nomination == "n2"
    before_the_header = dead_letter_of(Stored("deadletter.VOTES.6", 2, b'{"nomination": "n1"}', 0, stamp))
    assert (before_the_header.contest, before_the_header.nomination) == ("forum", "n1")
