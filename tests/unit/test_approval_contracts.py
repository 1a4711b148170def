"""Approval ballots in the contracts: the single-choice form read as a set of one, version 1 ledger events
upcast, canonical sets, and certificates of both versions recomputed from their exports."""

import hashlib
import json
from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError

from veche_results.certificate import certify, verify
from veche_shared.contracts.results import APPROVAL, SINGLE_CHOICE, CountedBallot
from veche_shared.contracts.votes import MyBallot, VoteCast, VoteRequest, VotesAnnulled

VOTER = "a" * 64
NOW = datetime.now(UTC)


def test_a_request_of_one_practice_is_a_set_of_one() -> None:
    assert VoteRequest.model_validate_json('{"practice": "perm"}').practices == ["perm"]
    assert VoteRequest.model_validate_json('{"practices": ["perm", "kazan"]}').practices == ["perm", "kazan"]
    for bad in ('{"practices": []}', '{"practice": "perm", "practices": ["kazan"]}', '{"practice": "a b"}', "{}"):
        with pytest.raises(ValidationError):
            VoteRequest.model_validate_json(bad)


def test_a_version_1_ballot_is_read_as_a_set_of_one() -> None:
    v1 = {
        "type": "VoteCast",
        "schema_version": 1,
        "vote_id": "v1",
        "contest": "c",
        "nomination": "n",
        "practice": "perm",
        "voter_hash": VOTER,
        "identity_mode": "jwt",
        "cast_at": NOW.isoformat(),
    }
    ballot = VoteCast.model_validate_json(json.dumps(v1))
    assert (ballot.schema_version, ballot.practices) == (2, ["perm"])
    assert json.loads(ballot.model_dump_json())["practices"] == ["perm"]
    assert MyBallot.of(ballot).practice == "perm"


def test_a_ballot_holds_a_set_in_id_order() -> None:
    fields = {"vote_id": "v", "contest": "c", "nomination": "n", "voter_hash": VOTER, "identity_mode": "jwt"}
    ballot = VoteCast(**fields, practices=["tver", "kazan", "perm"], cast_at=NOW)
    assert ballot.practices == ["kazan", "perm", "tver"]
    assert MyBallot.of(ballot).practice is None
    with pytest.raises(ValidationError, match="once per ballot"):
        VoteCast(**fields, practices=["perm", "perm"], cast_at=NOW)
    with pytest.raises(ValidationError):
        VoteCast(**fields, practices=[f"p{i}" for i in range(11)], cast_at=NOW)


def test_a_version_1_annulment_is_read_as_sets_of_one() -> None:
    v1 = {
        "type": "VotesAnnulled",
        "schema_version": 1,
        "annulment_id": "a",
        "contest": "c",
        "nomination": "n",
        "votes": [{"vote_id": "v1", "practice": "perm", "voter_hash": VOTER, "sequence": 3}],
        "reason": "bots",
        "operator": "admin",
        "occurred_at": NOW.isoformat(),
    }
    annulled = VotesAnnulled.model_validate_json(json.dumps(v1))
    assert (annulled.schema_version, annulled.votes[0].practices) == (2, ["perm"])


def ballots(sets: list[list[str]], annulled: set[int] = frozenset()) -> list[CountedBallot]:  # type: ignore[assignment]
    return [
        CountedBallot(
            sequence=n + 1, vote_id=f"v{n}", nomination="n", practices=s, voter_hash=VOTER, annulled=n in annulled
        )
        for n, s in enumerate(sets)
    ]


def test_a_single_choice_line_is_what_it_was_before_sets() -> None:
    """Certificates issued before sets hashed lines naming one `practice`: they still verify."""
    before = (
        '{"annulled":false,"nomination":"n","practice":"perm","sequence":1,"vote_id":"v0","voter_hash":"' + VOTER + '"}'
    )
    (ballot,) = ballots([["perm"]])
    assert ballot.line(SINGLE_CHOICE) == before
    certificate = certify("c", [ballot], NOW)
    assert certificate.schema_version == 1
    assert certificate.nomination_ballots is None
    assert certificate.digest_sha256 == hashlib.sha256((before + "\n").encode()).hexdigest()
    assert CountedBallot.model_validate_json(before) == ballot
    assert verify(certificate, [ballot]) == []


def test_an_approval_certificate_counts_practices_and_ballots() -> None:
    exported = ballots([["kazan", "perm", "tver"], ["perm"], ["kazan", "perm"]], annulled={2})
    certificate = certify("c", exported, NOW, APPROVAL)
    assert certificate.schema_version == 2
    assert certificate.standings == {"n": {"kazan": 1, "perm": 2, "tver": 1}}
    assert certificate.nomination_ballots == {"n": 2}
    assert verify(certificate, exported) == []
    assert json.loads(exported[0].line(APPROVAL))["practices"] == ["kazan", "perm", "tver"]

    fewer = exported[0].model_copy(update={"practices": ["kazan", "perm"]})
    problems = verify(certificate, [fewer, *exported[1:]])
    assert any(p.startswith("digest_sha256 differs") for p in problems)
    assert any(p.startswith("standings differs") for p in problems)
    single = certify("c", ballots([["perm"]]), NOW - timedelta(days=1))
    assert verify(single, exported) == [
        "2 ballots hold several practices, but the certificate is of a single-choice contest"
    ]
