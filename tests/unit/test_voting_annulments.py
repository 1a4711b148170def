"""Annulling through the voting service's use case on the in-memory ledger (tests/unit/voting_helpers.py): what each
selector takes out, a dry run, annulling twice, the split into events, who may annul, the audit entry first. Through
the gateway (its 4xx, its operator keys, the bus identities) and on the real ledger: tests/integration/
test_annulment.py; the guard against two annulments at once is held to nats-server by test_vote_ledger.py."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.unit.voting_helpers import ADMIN, OBSERVER, InMemoryVoting
from tests.voting_helpers import Keys, Seeded, token
from veche_shared.contracts.votes import AnnulmentReport, AnnulVotes, VoteCast, VotesAnnulled
from veche_shared.errors import DomainError
from veche_shared.operations import voting as voting_ops
from veche_voting import annulments
from veche_voting.identity import Identity


@pytest.fixture
def service(keys: Keys, identity: Identity) -> InMemoryVoting:
    return InMemoryVoting(keys, identity)


async def ballots(service: InMemoryVoting, uid: str) -> tuple[Seeded, dict[str, VoteCast]]:
    """Voters a and b vote in two nominations from 198.51.100.1, voter c from 198.51.100.2."""
    seeded = service.seed(f"c-{uid}", nominations=("diplomacy", "ecology"))
    cast_votes: dict[str, VoteCast] = {}
    for voter, ip in (("a", "198.51.100.1"), ("b", "198.51.100.1"), ("c", "198.51.100.2")):
        for nomination in ("diplomacy", "ecology"):
            target = Seeded(seeded.contest, nomination, f"p-{nomination}-{seeded.contest}")
            await service.cast(target, token(seeded.contest, voter), client_ip=ip)
            cast_votes[f"{voter}-{nomination}"] = service.ledger.ballots_of(seeded.contest)[-1]
    return seeded, cast_votes


async def annul(service: InMemoryVoting, contest: str, key: str = ADMIN, **selector: Any) -> AnnulmentReport:
    named = {"contest": contest, "reason": "test", "operator": "admin-1", "operator_key": key}  # as the gateway names
    order = AnnulVotes.model_validate(named | selector)
    report: AnnulmentReport = await service.ask(voting_ops.BALLOT_ANNUL, order)
    return report


def annulment_events(service: InMemoryVoting, contest: str) -> list[VotesAnnulled]:
    return [
        m.event for m in service.ledger.messages if isinstance(m.event, VotesAnnulled) and m.event.contest == contest
    ]


def selectors(votes: dict[str, VoteCast]) -> dict[str, tuple[dict[str, Any], set[str]]]:
    """Selector -> the ballots it must annul."""
    now = datetime.now(UTC)
    window = {"cast_from": now - timedelta(hours=1), "cast_until": now + timedelta(hours=1)}
    return {
        "vote_ids": (
            {"vote_ids": [votes["a-diplomacy"].vote_id, votes["c-ecology"].vote_id]},
            {"a-diplomacy", "c-ecology"},
        ),
        "voter_hash": ({"voter_hash": votes["b-ecology"].voter_hash}, {"b-diplomacy", "b-ecology"}),
        "ip_hash": (
            {"ip_hash": votes["a-ecology"].ip_hash} | window,
            {"a-diplomacy", "a-ecology", "b-diplomacy", "b-ecology"},
        ),
    }


@pytest.mark.parametrize("selector", ["vote_ids", "voter_hash", "ip_hash"])
async def test_annul_by_selector_twice(service: InMemoryVoting, uid: str, selector: str) -> None:
    seeded, votes = await ballots(service, uid)
    body, expected = selectors(votes)[selector]

    dry = await annul(service, seeded.contest, dry_run=True, **body)
    assert (dry.dry_run, dry.annulled) == (True, len(expected))
    assert annulment_events(service, seeded.contest) == []

    first = await annul(service, seeded.contest, **body)
    assert (first.matched, first.annulled) == (len(expected), len(expected))
    events = annulment_events(service, seeded.contest)
    assert {v.vote_id for e in events for v in e.votes} == {votes[key].vote_id for key in expected}
    assert all(e.operator == "admin-1" for e in events)
    assert len(events) == len({votes[key].nomination for key in expected}), "one event per nomination"

    second = await annul(service, seeded.contest, **body)
    assert (second.annulled, second.already_annulled) == (0, len(expected))
    assert len(annulment_events(service, seeded.contest)) == len(events), "the second annulment wrote nothing"
    assert service.sample("veche_votes_annulled_total") == len(expected)


async def test_ip_range_outside_the_votes_annuls_nothing(service: InMemoryVoting, uid: str) -> None:
    seeded, votes = await ballots(service, uid)
    past = datetime.now(UTC) - timedelta(days=1)
    window: dict[str, Any] = {"cast_from": past, "cast_until": past + timedelta(hours=1)}
    report = await annul(service, seeded.contest, ip_hash=votes["a-diplomacy"].ip_hash, **window)
    assert (report.matched, report.annulled) == (0, 0)


async def test_large_annulments_are_split_into_events(
    service: InMemoryVoting, uid: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(annulments, "CHUNK", 1)
    seeded, votes = await ballots(service, uid)
    body, expected = selectors(votes)["ip_hash"]
    assert (await annul(service, seeded.contest, **body)).annulled == len(expected)
    events = annulment_events(service, seeded.contest)
    assert len(events) == len(expected)
    assert {v.vote_id for e in events for v in e.votes} == {votes[key].vote_id for key in expected}
    assert (await annul(service, seeded.contest, **body)).annulled == 0


@pytest.mark.parametrize("key", ["not-a-key", OBSERVER])
async def test_only_an_admins_key_annuls(service: InMemoryVoting, uid: str, key: str) -> None:
    seeded, votes = await ballots(service, uid)
    with pytest.raises(DomainError) as refused:
        await annul(service, seeded.contest, key=key, voter_hash=votes["a-diplomacy"].voter_hash)
    assert (refused.value.status, refused.value.code) == (403, "forbidden")
    assert annulment_events(service, seeded.contest) == []


async def test_the_audit_entry_is_written_before_the_annulment(service: InMemoryVoting, uid: str) -> None:
    seeded, votes = await ballots(service, uid)
    body, expected = selectors(votes)["voter_hash"]
    report = await annul(service, seeded.contest, **body)
    [entry] = service.audit
    assert (entry.recorded_by, entry.operator, entry.action, entry.contest) == (
        "voting",
        "admin-1",
        "BallotsAnnulled",
        seeded.contest,
    )
    assert entry.after is not None
    assert (entry.after["annulment_id"], entry.after["annulled"]) == (report.annulment_id, len(expected))
