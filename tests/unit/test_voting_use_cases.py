"""The voting service's rules through its cast and my-ballot use cases on the in-memory ledger
(tests/unit/voting_helpers.py): refusals and their reasons, the voting window by the service's clock, identity
tokens of every kind, approval sets, what a ballot stores. One ballot per voter through the real service, the
catalog followed from CATALOG and racing writers stay in tests/integration/test_voting.py and
test_voting_processes.py; that the in-memory ledger decides as nats-server does is tests/integration/
test_vote_ledger.py."""

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import jwt
import pytest

from tests.unit.voting_helpers import InMemoryVoting
from tests.voting_helpers import DEVICE_KEY, HS256_KEY, Clock, Keys, Seeded, token
from veche_dev import factories as f
from veche_shared import device_tokens
from veche_shared.contracts.catalog import IdentityMode, Phase
from veche_shared.contracts.common import utcnow
from veche_shared.contracts.votes import CastVote, MyBallotQuery
from veche_shared.errors import DomainError
from veche_shared.operations import voting as voting_ops
from veche_voting.identity import Identity


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def service(keys: Keys, identity: Identity, clock: Clock) -> InMemoryVoting:
    return InMemoryVoting(keys, identity, clock)


def open_contest(service: InMemoryVoting, uid: str, **options: Any) -> Seeded:
    return service.seed(f"c-{uid}", **options)


async def test_a_retry_with_the_same_key_gets_the_first_ballot(service: InMemoryVoting, uid: str) -> None:
    seeded = open_contest(service, uid)
    voter = token(seeded.contest, f"voter-{uid}")
    first = await service.cast(seeded, voter, idempotency_key=f"key-{uid}")
    again = await service.cast(seeded, voter, idempotency_key=f"key-{uid}")
    assert (again.status, again.vote_id, again.sequence, again.receipt) == (
        "retry",
        first.vote_id,
        first.sequence,
        first.receipt,
    )
    assert await service.refusal(seeded, voter, idempotency_key=f"other-{uid}") == (409, "already_voted")
    assert service.ballots_in_ledger(seeded.contest) == 1
    assert service.sample("veche_votes_idempotent_retries_total") == 1


async def test_ballot_stores_hashes_not_raw_ids(service: InMemoryVoting, uid: str) -> None:
    seeded = open_contest(service, uid)
    await service.cast(seeded, token(seeded.contest, f"voter-{uid}"), client_ip="203.0.113.77")
    [stored] = service.ledger.ballots_of(seeded.contest)
    written = stored.model_dump_json().encode()
    assert f"voter-{uid}".encode() not in written
    assert b"203.0.113.77" not in written
    assert (len(stored.ip_hash), len(stored.voter_hash)) == (64, 64)  # kept as keyed hashes (HMAC-SHA256)


async def test_refusal_reasons(service: InMemoryVoting, uid: str) -> None:
    seeded = open_contest(service, uid, nominations=("diplomacy", "ecology"))
    closed = open_contest(service, f"{uid}-closed", phase=Phase.voting_closed)
    voter = token(seeded.contest, f"voter-{uid}")

    assert await service.refusal(seeded, voter, nomination="nope") == (404, "unknown_nomination")
    assert await service.refusal(seeded, voter, contest=f"x{uid}") == (404, "unknown_contest")
    assert await service.refusal(closed, token(closed.contest, "v")) == (403, "voting_closed")
    assert await service.refusal(seeded, voter, practice=f"q-diplomacy-{seeded.contest}") == (422, "not_votable")
    assert await service.refusal(seeded, voter, practice=f"p-ecology-{seeded.contest}") == (422, "not_votable")
    assert await service.refusal(seeded, voter, practice="no-such-practice") == (422, "not_votable")
    another_key = token(seeded.contest, "v", key="another-key-0123456789abcdef0123")
    assert await service.refusal(seeded, another_key) == (403, "invalid_identity")
    assert service.ballots_in_ledger(seeded.contest) == 0
    assert service.sample("veche_votes_refused_total", reason="not_votable") == 3
    assert service.sample("veche_votes_refused_total", reason="invalid_identity") == 1


async def test_window_edge_uses_server_time(service: InMemoryVoting, uid: str, clock: Clock) -> None:
    opens_at = datetime.now(UTC).replace(microsecond=0) + timedelta(days=1)
    closes_at = opens_at + timedelta(hours=3)
    seeded = open_contest(service, uid, opens_at=opens_at, closes_at=closes_at)

    clock.pinned = opens_at - timedelta(microseconds=1)
    assert await service.refusal(seeded, token(seeded.contest, "early")) == (403, "voting_closed")
    clock.pinned = closes_at
    assert await service.refusal(seeded, token(seeded.contest, "late")) == (403, "voting_closed")
    clock.pinned = closes_at - timedelta(microseconds=1)
    assert (await service.cast(seeded, token(seeded.contest, "in-time"))).cast_at == clock.pinned
    assert service.ballots_in_ledger(seeded.contest) == 1


def bad_tokens(contest: str) -> dict[str, str]:
    now = datetime.now(UTC)
    return {
        "bad_signature": token(contest, "v", key="not-the-key-0123456789abcdef0123456"),
        "wrong_audience": token(contest, "v", aud="another-contest"),
        "expired": token(contest, "v", exp=int((now - timedelta(minutes=5)).timestamp())),
        "no_exp": jwt.encode({"sub": "v", "aud": contest}, HS256_KEY, algorithm="HS256"),
        "alg_none": jwt.encode({"sub": "v", "aud": contest, "exp": int(now.timestamp()) + 60}, "", algorithm="none"),
        "garbage": "not.a.token",
        "device_token_in_jwt_contest": device_tokens.issue(DEVICE_KEY, contest, utcnow()),
    }


@pytest.mark.parametrize("kind", list(bad_tokens("c")))
async def test_bad_tokens_are_refused(service: InMemoryVoting, uid: str, kind: str) -> None:
    seeded = open_contest(service, uid)
    assert await service.refusal(seeded, bad_tokens(seeded.contest)[kind]) == (403, "invalid_identity")


async def test_expired_within_clock_skew_is_accepted(service: InMemoryVoting, uid: str) -> None:
    seeded = open_contest(service, uid)
    assert (await service.cast(seeded, token(seeded.contest, "v", ttl=-5))).status == "accepted"


async def test_oversized_token_is_refused_by_the_contract(service: InMemoryVoting, uid: str) -> None:
    seeded = open_contest(service, uid)
    oversized = token(seeded.contest, "v", pad="x" * 5_000)
    unchecked = CastVote.model_construct(  # what a client that skips validation would send
        contest=seeded.contest, nomination=seeded.nomination, practices=[seeded.practice], token=oversized
    )
    with pytest.raises(DomainError) as refused:
        await service.ask(voting_ops.BALLOT_CAST, unchecked.model_dump_json().encode())
    assert (refused.value.status, refused.value.code) == (422, "invalid_request")
    assert refused.value.details[0]["type"] == "string_too_long"


@pytest.mark.parametrize("key_ref", ["rsa", "jwks"])
async def test_rs256_tokens(service: InMemoryVoting, uid: str, keys: Keys, key_ref: str) -> None:
    seeded = open_contest(service, uid, key_ref=key_ref)
    assert (await service.cast(seeded, token(seeded.contest, "v", key=keys.private, alg="RS256"))).status == "accepted"
    hs256_with_public_key = token(seeded.contest, "w", key=HS256_KEY)
    assert await service.refusal(seeded, hs256_with_public_key) == (403, "invalid_identity")
    stranger = Keys.make(Path(keys.jwks_file.parent) / f"stranger-{uid}").private
    assert await service.refusal(seeded, token(seeded.contest, "w", key=stranger, alg="RS256")) == (
        403,
        "invalid_identity",
    )


async def test_device_tokens(service: InMemoryVoting, uid: str) -> None:
    seeded = open_contest(service, uid, mode=IdentityMode.device)
    device = device_tokens.issue(DEVICE_KEY, seeded.contest, utcnow())
    assert (await service.cast(seeded, device)).status == "accepted"
    assert await service.refusal(seeded, device) == (409, "already_voted")
    elsewhere = device_tokens.issue(DEVICE_KEY, "elsewhere", utcnow())
    assert await service.refusal(seeded, elsewhere) == (403, "invalid_identity")
    forged = device_tokens.issue("forged-key-0123456789abcdef0123456", seeded.contest, utcnow())
    assert await service.refusal(seeded, forged) == (403, "invalid_identity")
    assert await service.refusal(seeded, token(seeded.contest, "jwt-voter")) == (403, "invalid_identity")


async def test_my_ballot_reads_the_ledger(service: InMemoryVoting, uid: str) -> None:
    seeded = open_contest(service, uid)
    voter = token(seeded.contest, f"voter-{uid}")
    query = MyBallotQuery(contest=seeded.contest, nomination=seeded.nomination, token=voter)
    with pytest.raises(DomainError) as none_yet:
        await service.ask(voting_ops.BALLOT_GET, query)
    assert (none_yet.value.status, none_yet.value.code) == (404, "no_ballot")

    accepted = await service.cast(seeded, voter)
    ballot = await service.ask(voting_ops.BALLOT_GET, query)
    assert (ballot.vote_id, ballot.practice, ballot.counted) == (accepted.vote_id, seeded.practice, True)
    assert ballot.receipt == accepted.receipt


async def test_my_ballot_says_when_an_annulment_took_it_out(service: InMemoryVoting, uid: str) -> None:
    seeded = open_contest(service, uid)
    voter = token(seeded.contest, f"voter-{uid}")
    await service.cast(seeded, token(seeded.contest, f"other-{uid}"))
    accepted = await service.cast(seeded, voter)
    [_, stored] = service.ledger.ballots_of(seeded.contest)
    assert accepted.sequence is not None  # a live contest: the answer names the ballot's place in the ledger
    annulment = f.annulment(seeded.contest, f"a{uid}", [(stored, accepted.sequence)], seeded.nomination)
    await service.ledger.append_annulment(annulment, after=0)
    query = MyBallotQuery(contest=seeded.contest, nomination=seeded.nomination, token=voter)
    mine = await service.ask(voting_ops.BALLOT_GET, query)
    assert (mine.vote_id, mine.counted, mine.annulment.annulment_id) == (accepted.vote_id, False, f"a{uid}")
    other = await service.ask(
        voting_ops.BALLOT_GET, query.model_copy(update={"token": token(seeded.contest, f"other-{uid}")})
    )
    assert other.counted


async def test_jwks_key_rotation_without_restart(service: InMemoryVoting, uid: str, keys: Keys) -> None:
    seeded = open_contest(service, uid, key_ref="jwks")
    rotated = Keys.make(keys.jwks_file.parent / f"rotated-{uid}")
    new_key = json.loads(rotated.jwks_file.read_text())["keys"][0] | {"kid": f"k-{uid}"}
    old_token = token(seeded.contest, "before", key=keys.private, alg="RS256")
    new_token = token(seeded.contest, "after", key=rotated.private, alg="RS256", kid=f"k-{uid}")
    assert await service.refusal(seeded, new_token) == (403, "invalid_identity")

    jwks = json.loads(keys.jwks_file.read_text())
    keys.jwks_file.write_text(json.dumps({"keys": [*jwks["keys"], new_key]}))

    assert (await service.cast(seeded, new_token)).status == "accepted"
    assert (await service.cast(seeded, old_token)).status == "accepted"


async def test_an_approval_ballot_is_one_write_and_the_only_one(service: InMemoryVoting, uid: str) -> None:
    seeded = open_contest(service, uid, choices={"diplomacy": (3, 1)})
    voter = token(seeded.contest, f"voter-{uid}")
    chosen = [f"p{i}-diplomacy-{seeded.contest}" for i in (3, 1)] + [seeded.practice]
    assert (await service.cast(seeded, voter, practices=chosen)).status == "accepted"

    [written] = service.ledger.ballots_of(seeded.contest)
    assert (written.schema_version, written.practices) == (2, sorted(chosen))
    for another in (chosen, chosen[:1], [f"p4-diplomacy-{seeded.contest}"], chosen[::-1]):
        assert await service.refusal(seeded, voter, practices=another) == (409, "already_voted")
    assert service.ballots_in_ledger(seeded.contest) == 1
    query = MyBallotQuery(contest=seeded.contest, nomination=seeded.nomination, token=voter)
    mine = await service.ask(voting_ops.BALLOT_GET, query)
    assert (mine.practices, mine.practice) == (sorted(chosen), None)


async def test_invalid_sets_are_refused_with_what_is_wrong(service: InMemoryVoting, uid: str) -> None:
    seeded = open_contest(service, uid, nominations=("diplomacy", "ecology"), choices={"diplomacy": (3, 2)})
    voter = token(seeded.contest, f"voter-{uid}")
    p = [seeded.practice, *(f"p{i}-diplomacy-{seeded.contest}" for i in range(1, 5))]

    async def refused(
        practices: list[str], nomination: str = seeded.nomination
    ) -> tuple[int, str, list[dict[str, Any]]]:
        command = CastVote(contest=seeded.contest, nomination=nomination, practices=practices, token=voter)
        with pytest.raises(DomainError) as refusal:
            await service.ask(voting_ops.BALLOT_CAST, command)
        return refusal.value.status, refusal.value.code, refusal.value.details

    assert await refused(p[:4]) == (422, "too_many_choices", [{"chosen": 4, "max_choices": 3}])
    assert await refused(p[:1]) == (422, "too_few_choices", [{"chosen": 1, "min_choices": 2}])
    assert await refused([p[1], p[2], p[1]]) == (422, "duplicate_choice", [{"practices": [p[1]]}])
    pending = f"q-diplomacy-{seeded.contest}"
    assert await refused([p[0], pending]) == (422, "not_votable", [{"practice": pending, "why": "not_approved"}])
    other = f"p-ecology-{seeded.contest}"
    assert await refused([p[0], other]) == (422, "not_votable", [{"practice": other, "why": "other_nomination"}])
    assert await refused([p[0], "nope"]) == (422, "not_votable", [{"practice": "nope", "why": "unknown"}])
    single = await refused([other, f"q-ecology-{seeded.contest}"], nomination="ecology")
    assert single == (422, "too_many_choices", [{"chosen": 2, "max_choices": 1}])
    assert service.ballots_in_ledger(seeded.contest) == 0
    assert (await service.cast(seeded, voter, practices=p[:2])).status == "accepted"
