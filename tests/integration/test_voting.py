"""The voting service in this process against the real nats-server: rules, refusals, identity, metrics."""

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import jwt
import pytest
from nats.aio.client import Client
from prometheus_client import CollectorRegistry

from tests.integration.voting_helpers import (
    DEVICE_KEY,
    HS256_KEY,
    Clock,
    Keys,
    Seeded,
    ballots_in_ledger,
    cast,
    eventually_refused,
    refusal,
    running_voting,
    sample,
    seed,
    token,
    voting_settings,
    wait_known,
)
from veche_dev import factories as f
from veche_shared import device_tokens, subjects
from veche_shared.contracts.catalog import IdentityMode, Phase, PracticeStatus
from veche_shared.contracts.common import utcnow
from veche_shared.contracts.votes import CastVote, MyBallotQuery
from veche_shared.errors import DomainError
from veche_shared.operations import voting as voting_ops
from veche_shared.rpc import call


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> Keys:
    return Keys.make(tmp_path_factory.mktemp("keys"))


@pytest.fixture(scope="module")
def clock() -> Clock:
    return Clock()


@pytest.fixture(scope="module")
def registry() -> CollectorRegistry:
    return CollectorRegistry()


@pytest.fixture(scope="module")
async def voting(infra: dict[str, str], keys: Keys, clock: Clock, registry: CollectorRegistry) -> AsyncIterator[None]:
    async with running_voting(voting_settings(infra["nats_url"], keys), clock, registry):
        yield


@pytest.fixture(autouse=True)
def real_time(clock: Clock) -> None:
    clock.pinned = None


async def open_contest(nc: Client, uid: str, **options: object) -> Seeded:
    seeded = await seed(nc, f"c-{uid}", **options)  # type: ignore[arg-type]
    probe = token(seeded.contest, "probe")
    if options.get("mode") == IdentityMode.device:
        probe = device_tokens.issue(DEVICE_KEY, seeded.contest, utcnow())
    await wait_known(nc, seeded, probe)
    return seeded


async def test_one_ballot_per_voter_and_idempotent_retry(
    voting: None, nc: Client, uid: str, registry: CollectorRegistry
) -> None:
    seeded = await open_contest(nc, uid)
    voter = token(seeded.contest, f"voter-{uid}")
    accepted_before = sample(registry, "veche_votes_accepted_total", identity_mode="jwt")

    first = await cast(nc, seeded, voter, idempotency_key=f"key-{uid}", client_ip="203.0.113.9")
    again = await cast(nc, seeded, voter, idempotency_key=f"key-{uid}")

    assert first.status == "accepted"
    assert (again.status, again.vote_id, again.sequence) == ("retry", first.vote_id, first.sequence)
    assert await refusal(nc, seeded, voter, idempotency_key=f"other-{uid}") == (409, "already_voted")
    assert await refusal(nc, seeded, voter) == (409, "already_voted")
    assert await ballots_in_ledger(nc, seeded.contest) == 1
    assert sample(registry, "veche_votes_accepted_total", identity_mode="jwt") == accepted_before + 1
    assert sample(registry, "veche_votes_idempotent_retries_total") >= 1
    assert sample(registry, "veche_ledger_publish_seconds_count") >= 3


async def test_ballot_stores_hashes_not_raw_ids(voting: None, nc: Client, uid: str) -> None:
    seeded = await open_contest(nc, uid)
    await cast(nc, seeded, token(seeded.contest, f"voter-{uid}"), client_ip="203.0.113.77")
    msg = (
        await nc.jetstream().get_last_msg(subjects.VOTES_STREAM, subjects.contest_ballots(seeded.contest))
    ).data or b""
    assert f"voter-{uid}".encode() not in msg
    assert b"203.0.113.77" not in msg


async def test_refusal_reasons(voting: None, nc: Client, uid: str, registry: CollectorRegistry) -> None:
    seeded = await open_contest(nc, uid, nominations=("diplomacy", "ecology"))
    closed = await open_contest(nc, f"{uid}-closed", phase=Phase.voting_closed)
    voter = token(seeded.contest, f"voter-{uid}")
    before = sample(registry, "veche_votes_refused_total", reason="not_votable")

    assert await refusal(nc, seeded, voter, nomination="nope") == (404, "unknown_nomination")
    assert await refusal(nc, seeded, voter, contest=f"x{uid}") == (404, "unknown_contest")
    assert await refusal(nc, closed, token(closed.contest, "v")) == (403, "voting_closed")
    assert await refusal(nc, seeded, voter, practice=f"q-diplomacy-{seeded.contest}") == (422, "not_votable")
    assert await refusal(nc, seeded, voter, practice=f"p-ecology-{seeded.contest}") == (422, "not_votable")
    assert await refusal(nc, seeded, voter, practice="no-such-practice") == (422, "not_votable")
    assert await refusal(nc, seeded, token(seeded.contest, "v", key="another-key-0123456789abcdef0123")) == (
        403,
        "invalid_identity",
    )
    assert await ballots_in_ledger(nc, seeded.contest) == 0
    assert sample(registry, "veche_votes_refused_total", reason="not_votable") == before + 3


async def test_window_edge_uses_server_time(voting: None, nc: Client, uid: str, clock: Clock) -> None:
    opens_at = datetime.now(UTC).replace(microsecond=0) + timedelta(days=1)
    closes_at = opens_at + timedelta(hours=3)
    seeded = await open_contest(nc, uid, opens_at=opens_at, closes_at=closes_at)

    clock.pinned = opens_at - timedelta(microseconds=1)
    assert await refusal(nc, seeded, token(seeded.contest, "early")) == (403, "voting_closed")

    clock.pinned = closes_at
    assert await refusal(nc, seeded, token(seeded.contest, "late")) == (403, "voting_closed")
    clock.pinned = closes_at - timedelta(microseconds=1)
    assert (await cast(nc, seeded, token(seeded.contest, "in-time"))).cast_at == clock.pinned
    assert await ballots_in_ledger(nc, seeded.contest) == 1


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
async def test_bad_tokens_are_refused(voting: None, nc: Client, uid: str, kind: str) -> None:
    seeded = await open_contest(nc, uid)
    assert await refusal(nc, seeded, bad_tokens(seeded.contest)[kind]) == (403, "invalid_identity")


async def test_expired_within_clock_skew_is_accepted(voting: None, nc: Client, uid: str) -> None:
    seeded = await open_contest(nc, uid)
    assert (await cast(nc, seeded, token(seeded.contest, "v", ttl=-5))).status == "accepted"


async def test_oversized_token_is_refused_by_the_contract(voting: None, nc: Client, uid: str) -> None:
    seeded = await open_contest(nc, uid)
    oversized = token(seeded.contest, "v", pad="x" * 5_000)
    unchecked = CastVote.model_construct(  # what a client that skips validation would send
        contest=seeded.contest, nomination=seeded.nomination, practices=[seeded.practice], token=oversized
    )
    with pytest.raises(DomainError) as refused:
        await call(nc, voting_ops.BALLOT_CAST, unchecked, timeout=10)
    assert (refused.value.status, refused.value.code) == (422, "invalid_request")
    assert refused.value.details[0]["type"] == "string_too_long"


@pytest.mark.parametrize("key_ref", ["rsa", "jwks"])
async def test_rs256_tokens(voting: None, nc: Client, uid: str, keys: Keys, key_ref: str) -> None:
    seeded = await open_contest(nc, uid, key_ref=key_ref)
    assert (await cast(nc, seeded, token(seeded.contest, "v", key=keys.private, alg="RS256"))).status == "accepted"
    hs256_with_public_key = token(seeded.contest, "w", key=HS256_KEY)
    assert await refusal(nc, seeded, hs256_with_public_key) == (403, "invalid_identity")
    stranger = Keys.make(Path(keys.jwks_file.parent) / "stranger").private
    assert await refusal(nc, seeded, token(seeded.contest, "w", key=stranger, alg="RS256")) == (403, "invalid_identity")


async def test_device_tokens(voting: None, nc: Client, uid: str) -> None:
    seeded = await open_contest(nc, uid, mode=IdentityMode.device)
    device = device_tokens.issue(DEVICE_KEY, seeded.contest, utcnow())
    assert (await cast(nc, seeded, device)).status == "accepted"
    assert await refusal(nc, seeded, device) == (409, "already_voted")
    assert await refusal(nc, seeded, device_tokens.issue(DEVICE_KEY, "elsewhere", utcnow())) == (
        403,
        "invalid_identity",
    )
    assert await refusal(
        nc, seeded, device_tokens.issue("forged-key-0123456789abcdef0123456", seeded.contest, utcnow())
    ) == (
        403,
        "invalid_identity",
    )
    assert await refusal(nc, seeded, token(seeded.contest, "jwt-voter")) == (403, "invalid_identity")


async def test_my_ballot_reads_the_ledger(voting: None, nc: Client, uid: str) -> None:
    seeded = await open_contest(nc, uid)
    voter = token(seeded.contest, f"voter-{uid}")
    query = MyBallotQuery(contest=seeded.contest, nomination=seeded.nomination, token=voter)
    with pytest.raises(DomainError) as none_yet:
        await call(nc, voting_ops.BALLOT_GET, query, timeout=10)
    assert (none_yet.value.status, none_yet.value.code) == (404, "no_ballot")

    accepted = await cast(nc, seeded, voter)
    ballot = await call(nc, voting_ops.BALLOT_GET, query, timeout=10)
    assert (ballot.vote_id, ballot.practice) == (accepted.vote_id, seeded.practice)


async def test_follows_phase_changes_and_withdrawals(voting: None, nc: Client, uid: str) -> None:
    seeded = await open_contest(nc, uid)
    withdrawn = f.practice(seeded.contest, seeded.practice, seeded.nomination, status=PracticeStatus.withdrawn)
    await f.publish_change(nc, withdrawn.model_copy(update={"version": 2}), "PracticeWithdrawn")
    await eventually_refused(nc, seeded, "not_votable")

    closed = f.contest(seeded.contest, phase=Phase.voting_closed, version=2)
    await f.publish_change(nc, closed, "ContestPhaseChanged")
    await eventually_refused(nc, seeded, "voting_closed")


async def test_jwks_key_rotation_without_restart(voting: None, nc: Client, uid: str, keys: Keys) -> None:
    seeded = await open_contest(nc, uid, key_ref="jwks")
    rotated = Keys.make(keys.jwks_file.parent / f"rotated-{uid}")
    new_key = json.loads(rotated.jwks_file.read_text())["keys"][0] | {"kid": f"k-{uid}"}
    old_token = token(seeded.contest, "before", key=keys.private, alg="RS256")
    new_token = token(seeded.contest, "after", key=rotated.private, alg="RS256", kid=f"k-{uid}")
    assert await refusal(nc, seeded, new_token) == (403, "invalid_identity")

    jwks = json.loads(keys.jwks_file.read_text())
    keys.jwks_file.write_text(json.dumps({"keys": [*jwks["keys"], new_key]}))

    assert (await cast(nc, seeded, new_token)).status == "accepted"
    assert (await cast(nc, seeded, old_token)).status == "accepted"


async def test_an_approval_ballot_is_one_write_and_the_only_one(voting: None, nc: Client, uid: str) -> None:
    seeded = await open_contest(nc, uid, choices={"diplomacy": (3, 1)})
    voter = token(seeded.contest, f"voter-{uid}")
    chosen = [f"p{i}-diplomacy-{seeded.contest}" for i in (3, 1)] + [seeded.practice]
    accepted = await cast(nc, seeded, voter, practices=chosen)
    assert accepted.status == "accepted"

    msg = await nc.jetstream().get_last_msg(subjects.VOTES_STREAM, subjects.contest_ballots(seeded.contest))
    written = json.loads(msg.data or b"")
    assert (written["schema_version"], written["practices"]) == (2, sorted(chosen))
    for another in (chosen, chosen[:1], [f"p4-diplomacy-{seeded.contest}"], chosen[::-1]):
        assert await refusal(nc, seeded, voter, practices=another) == (409, "already_voted")
    assert await ballots_in_ledger(nc, seeded.contest) == 1
    query = MyBallotQuery(contest=seeded.contest, nomination=seeded.nomination, token=voter)
    mine = await call(nc, voting_ops.BALLOT_GET, query, timeout=10)
    assert (mine.practices, mine.practice) == (sorted(chosen), None)


async def test_invalid_sets_are_refused_with_what_is_wrong(voting: None, nc: Client, uid: str) -> None:
    seeded = await open_contest(nc, uid, nominations=("diplomacy", "ecology"), choices={"diplomacy": (3, 2)})
    voter = token(seeded.contest, f"voter-{uid}")
    p = [seeded.practice, *(f"p{i}-diplomacy-{seeded.contest}" for i in range(1, 5))]

    async def refused(
        practices: list[str], nomination: str = seeded.nomination
    ) -> tuple[int, str, list[dict[str, Any]]]:
        command = CastVote(contest=seeded.contest, nomination=nomination, practices=practices, token=voter)
        with pytest.raises(DomainError) as refusal:
            await call(nc, voting_ops.BALLOT_CAST, command, timeout=10)
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
    assert await ballots_in_ledger(nc, seeded.contest) == 0
    assert (await cast(nc, seeded, voter, practices=p[:2])).status == "accepted"
