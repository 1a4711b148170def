"""Annulment through the gateway and the voting service, against the real nats-server: the gateway's refusals and
keys, the bus identities, the audit trail on stream AUDIT, my ballot once annulled. What each selector takes out, dry
runs, annulling twice and the split into events run on the in-memory ledger in tests/unit/test_voting_annulments.py;
the guard against two annulments at once is tests/integration/test_vote_ledger.py's, on both ledgers."""

import os
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import httpx
import nats
import pytest
from nats.aio.client import Client
from prometheus_client import CollectorRegistry

from tests.gateway_helpers import in_process_gateway
from tests.integration.audit_helpers import FullTrail
from tests.voting_helpers import (
    Clock,
    Keys,
    Seeded,
    cast,
    running_voting,
    seed,
    token,
    voting_settings,
    wait_known,
)
from veche_dev.factories import operator_key
from veche_gateway.settings import GatewaySettings
from veche_shared import subjects
from veche_shared.contracts.common import utcnow
from veche_shared.contracts.votes import AnnulVotes, VoteCast, VotesAnnulled
from veche_shared.errors import DomainError, ErrorKind
from veche_shared.nats_auth import inbox_prefix
from veche_shared.operations import voting as voting_ops
from veche_shared.rpc import call

ADMIN, OBSERVER = "annul-admin-key", "annul-observer-key"


@pytest.fixture(scope="module")
def registry() -> CollectorRegistry:
    return CollectorRegistry()


@pytest.fixture(scope="module")
async def gateway(
    infra: dict[str, str], tmp_path_factory: pytest.TempPathFactory, registry: CollectorRegistry
) -> AsyncIterator[httpx.AsyncClient]:
    """The voting service and the gateway, both in this process."""
    keys = Keys.make(tmp_path_factory.mktemp("keys"))
    settings = GatewaySettings(
        environment="test",
        nats_url=infra["nats_url"],
        operator_keys=[operator_key("admin-1", "admin", ADMIN), operator_key("observer-1", "observer", OBSERVER)],
    )
    async with (
        running_voting(
            voting_settings(infra["nats_url"], keys, operator_keys=settings.operator_keys), Clock(), registry
        ),
        in_process_gateway(settings) as gw,
    ):
        yield gw.client


async def ballots(nc: Client, uid: str) -> tuple[Seeded, dict[str, VoteCast]]:
    """Voters a and b vote in two nominations from 198.51.100.1, voter c from 198.51.100.2."""
    seeded = await seed(nc, f"c-{uid}", nominations=("diplomacy", "ecology"))
    await wait_known(nc, seeded, token(seeded.contest, "probe"))
    cast_votes: dict[str, VoteCast] = {}
    for voter, ip in (("a", "198.51.100.1"), ("b", "198.51.100.1"), ("c", "198.51.100.2")):
        for nomination in ("diplomacy", "ecology"):
            target = Seeded(seeded.contest, nomination, f"p-{nomination}-{seeded.contest}")
            await cast(nc, target, token(seeded.contest, voter), client_ip=ip)
            last = await nc.jetstream().get_last_msg(subjects.VOTES_STREAM, subjects.contest_ballots(seeded.contest))
            cast_votes[f"{voter}-{nomination}"] = VoteCast.model_validate_json(last.data or b"")
    return seeded, cast_votes


async def annul(gateway: httpx.AsyncClient, contest: str, key: str = ADMIN, **body: Any) -> httpx.Response:
    return await gateway.post(
        f"/api/v1/admin/contests/{contest}/annulments", json={"reason": "test"} | body, headers={"X-API-Key": key}
    )


async def annulment_events(nc: Client, contest: str) -> list[VotesAnnulled]:
    info = await nc.jetstream().stream_info(subjects.VOTES_STREAM, subjects_filter=subjects.contest_annulments(contest))
    events = []
    for subject in info.state.subjects or {}:
        msg = await nc.jetstream().get_last_msg(subjects.VOTES_STREAM, subject)
        events.append(VotesAnnulled.model_validate_json(msg.data or b""))
    return events


async def test_an_annulment_is_recorded_by_voting_and_refused_if_it_cannot_be(
    gateway: httpx.AsyncClient, nc: Client, uid: str, full_trail: FullTrail
) -> None:
    seeded, votes = await ballots(nc, uid)
    body = {"voter_hash": votes["b-ecology"].voter_hash}  # b's two ballots
    await full_trail.fill()
    refused = await annul(gateway, seeded.contest, **body)
    assert (refused.status_code, refused.json().get("code")) == (503, "audit_unavailable"), refused.text
    assert await annulment_events(nc, seeded.contest) == [], "nothing was annulled"

    await full_trail.restore()
    done = await annul(gateway, seeded.contest, **body)
    assert done.json()["annulled"] == 2
    entry = await full_trail.last(seeded.contest)
    assert (entry.recorded_by, entry.operator, entry.role, entry.action) == (
        "voting",
        "admin-1",
        "admin",
        "annul_votes",
    )
    assert entry.after is not None
    assert entry.after["annulment_id"] == done.json()["annulment_id"]
    assert entry.change == {"contest": seeded.contest, "reason": "test", "dry_run": False} | body


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"vote_ids": ["x"], "voter_hash": "a" * 64},
        {"ip_hash": "a" * 64},
        {"voter_hash": "not-a-hash"},
        {"voter_hash": "a" * 64, "cast_from": (utcnow() + timedelta(days=1)).replace(tzinfo=None).isoformat()},
    ],
)
async def test_bad_annulment_requests_get_422(gateway: httpx.AsyncClient, uid: str, body: dict[str, Any]) -> None:
    answer = await annul(gateway, f"c-{uid}", **body)
    assert (answer.status_code, answer.json()["code"]) == (422, "invalid_request")


async def test_only_admins_annul(gateway: httpx.AsyncClient, uid: str) -> None:
    assert (await annul(gateway, f"c-{uid}", key=OBSERVER, voter_hash="a" * 64)).status_code == 403
    assert (await annul(gateway, f"c-{uid}", key="wrong", voter_hash="a" * 64)).status_code == 401


async def test_gateway_maps_retry_to_200_and_oversized_token_to_422(
    gateway: httpx.AsyncClient, nc: Client, uid: str
) -> None:
    seeded = await seed(nc, f"c-{uid}")
    await wait_known(nc, seeded, token(seeded.contest, "probe"))
    path = f"/api/v1/contests/{seeded.contest}/nominations/{seeded.nomination}/votes"
    headers = {"Authorization": f"Bearer {token(seeded.contest, 'v')}", "Idempotency-Key": f"key-{uid}"}
    first = await gateway.post(path, json={"practice": seeded.practice}, headers=headers)
    retry = await gateway.post(path, json={"practice": seeded.practice}, headers=headers)
    assert (first.status_code, retry.status_code) == (202, 200)
    assert retry.json()["vote_id"] == first.json()["vote_id"]
    oversized = {"Authorization": f"Bearer {token(seeded.contest, 'w', pad='x' * 5_000)}"}
    answer = await gateway.post(path, json={"practice": seeded.practice}, headers=oversized)
    assert (answer.status_code, answer.json()["code"]) == (422, "invalid_request")


@pytest.mark.parametrize("presented", ["not-a-key", OBSERVER])
async def test_the_gateway_identity_alone_cannot_annul(
    gateway: httpx.AsyncClient, infra: dict[str, str], nc: Client, uid: str, presented: str
) -> None:
    """svc.voting.annul from the gateway's NATS user, naming an admin but without an admin's key: refused."""
    seeded, votes = await ballots(nc, uid)
    password = os.environ["VECHE_GATEWAY_NATS_PASSWORD"]
    as_gateway = await nats.connect(
        infra["nats_url"], user="gateway", password=password, inbox_prefix=inbox_prefix("gateway")
    )
    try:
        order = AnnulVotes(
            contest=seeded.contest, voter_hash=votes["a-diplomacy"].voter_hash, reason="forged",
            operator="admin-1", operator_key=presented,
        )  # fmt: skip
        with pytest.raises(DomainError) as refused:
            await call(as_gateway, voting_ops.BALLOT_ANNUL, order, timeout=10)
    finally:
        await as_gateway.close()
    assert (refused.value.code, refused.value.kind) == ("forbidden", ErrorKind.forbidden)
    assert await annulment_events(nc, seeded.contest) == []


async def test_my_ballot_shows_an_annulled_ballot_as_annulled(gateway: httpx.AsyncClient, nc: Client, uid: str) -> None:
    seeded, votes = await ballots(nc, uid)

    async def mine(voter: str) -> dict[str, Any]:
        path = f"/api/v1/contests/{seeded.contest}/nominations/diplomacy/my-ballot"
        answer = await gateway.get(path, headers={"Authorization": f"Bearer {token(seeded.contest, voter)}"})
        assert answer.status_code == 200, answer.text
        return dict(answer.json())

    assert ((await mine("a"))["counted"], (await mine("a"))["annulment"]) == (True, None)
    done = await annul(gateway, seeded.contest, vote_ids=[votes["a-diplomacy"].vote_id], reason="bot_farm")
    assert done.status_code == 200, done.text
    annulled = await mine("a")
    assert (annulled["counted"], annulled["vote_id"]) == (False, votes["a-diplomacy"].vote_id)
    assert (annulled["annulment"]["reason"], annulled["annulment"]["annulment_id"]) == (
        "bot_farm",
        done.json()["annulment_id"],
    )
    assert (await mine("b"))["counted"] is True  # another voter's ballot in the same nomination still counts


async def test_an_approval_ballot_through_the_gateway_and_its_annulment(
    gateway: httpx.AsyncClient, nc: Client, uid: str
) -> None:
    seeded = await seed(nc, f"c-{uid}", choices={"diplomacy": (3, 1)})
    await wait_known(nc, seeded, token(seeded.contest, "probe"))
    path = f"/api/v1/contests/{seeded.contest}/nominations/{seeded.nomination}/votes"
    voter = {"Authorization": f"Bearer {token(seeded.contest, 'v')}"}
    chosen = [f"p{i}-diplomacy-{seeded.contest}" for i in (1, 2, 3)]

    too_many = await gateway.post(path, json={"practices": [*chosen, seeded.practice]}, headers=voter)
    assert (too_many.status_code, too_many.json()["code"]) == (422, "too_many_choices")
    twice = await gateway.post(path, json={"practices": [chosen[0], chosen[0]]}, headers=voter)
    assert (twice.status_code, twice.json()["code"]) == (422, "duplicate_choice")
    accepted = await gateway.post(path, json={"practices": chosen}, headers=voter)
    assert accepted.status_code == 202
    again = await gateway.post(path, json={"practice": seeded.practice}, headers=voter)
    assert (again.status_code, again.json()["code"]) == (409, "already_voted")

    vote_id = accepted.json()["vote_id"]
    assert (await annul(gateway, seeded.contest, vote_ids=[vote_id])).json()["annulled"] == 1
    (event,) = await annulment_events(nc, seeded.contest)
    assert [(v.vote_id, v.practices) for v in event.votes] == [(vote_id, chosen)]
    mine = await gateway.get(f"{path.removesuffix('/votes')}/my-ballot", headers=voter)
    assert (mine.json()["practices"], mine.json()["counted"]) == (chosen, False)
