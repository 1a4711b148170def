"""Municipality representatives through the gateway: invitations issued and revoked by an admin, a representative's
practices (submit, edit, withdraw, resubmit after a rejection), and isolation from every other municipality and
from the operators' routes. The gateway and the submissions service in-process, real NATS and database."""

import hashlib
from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
import pytest

from tests.gateway_helpers import in_process_gateway, ok, refused
from tests.submissions_helpers import Service
from veche_dev.eventually import eventually
from veche_dev.factories import operator_key
from veche_gateway.settings import Bucket, GatewaySettings
from veche_shared import subjects
from veche_shared.contracts.common import utcnow
from veche_shared.contracts.representatives import IssueInvitation
from veche_shared.operations import representatives as rep

ADMIN, MODERATOR = "mun-admin-key-for-tests", "mun-moderator-key-for-tests"


@pytest.fixture
async def gateway(infra: dict[str, str], service: Service) -> AsyncIterator[httpx.AsyncClient]:
    keys = [operator_key("anna", "admin", ADMIN), operator_key("mike", "moderator", MODERATOR)]
    failures = Bucket(burst=6, per_second=0.01)  # a few wrong keys, then 429
    settings = GatewaySettings(nats_url=infra["nats_url"], operator_keys=keys, rate_operator_key_failures=failures)
    async with in_process_gateway(settings, base_url="http://gw/api/v1") as gw:
        yield gw.client


async def contest_with_cities(client: httpx.AsyncClient, uid: str, phase: str = "submissions_open") -> dict[str, str]:
    """A contest with nomination n1, cities a and b, and an invitation key for each city."""
    admin = {"X-API-Key": ADMIN}
    ok(await client.post("/admin/contests", json={"id": uid, "title": {"en": "T"}}, headers=admin), 201)
    ok(
        await client.post(f"/admin/contests/{uid}/nominations", json={"id": "n1", "title": {"en": "N"}}, headers=admin),
        201,
    )
    keys = {}
    for city in ("a", "b"):
        body = {"id": f"{uid}-{city}", "name": {"en": f"City {city} {uid}"}, "country": "RU", "lat": 1, "lon": 2}
        ok(await client.post("/admin/municipalities", json=body, headers=admin), 201)
        issued = ok(await client.post(f"/admin/municipalities/{uid}-{city}/invitations", json={}, headers=admin), 201)
        keys[city] = issued["key"]
    if phase != "draft":
        ok(await client.post(f"/admin/contests/{uid}/phase", json={"phase": phase}, headers=admin))
    return keys


async def test_an_invitation_key_is_shown_once_and_kept_out_of_the_trail(
    gateway: httpx.AsyncClient, service: Service, uid: str
) -> None:
    admin = {"X-API-Key": ADMIN}
    await contest_with_cities(gateway, uid, "draft")
    answer = await gateway.post(f"/admin/municipalities/{uid}-a/invitations", json={"valid_days": 7}, headers=admin)
    issued = ok(answer, 201)
    assert issued["key"].startswith("vmk_")
    assert len(issued["key"]) > 40
    assert answer.headers["cache-control"] == "no-store"
    invitation = issued["invitation"]
    assert (invitation["municipality"], invitation["issued_by"], invitation["revoked_at"]) == (f"{uid}-a", "anna", None)
    listed = ok(await gateway.get(f"/admin/municipalities/{uid}-a/invitations", headers=admin))
    assert [i["id"] for i in listed][-1] == invitation["id"]
    assert issued["key"] not in str(listed)
    stored = await service.db.invitations.find_one({"_id": invitation["id"]})
    assert stored is not None
    assert stored["key_sha256"] == hashlib.sha256(issued["key"].encode()).hexdigest()
    assert issued["key"] not in str(stored)
    trail = ok(await gateway.get("/admin/audit", params={"action": "issue_invitation"}, headers=admin))["entries"]
    entry = next(e for e in trail if e["target"].get("invitation") == invitation["id"])
    assert (entry["target"]["municipality"], entry["recorded_by"], entry["operator"]) == (
        f"{uid}-a",
        "submissions",
        "anna",
    )
    assert issued["key"] not in str(entry)
    refused(
        await gateway.post("/admin/municipalities/nope/invitations", json={}, headers=admin),
        404,
        "unknown_municipality",
    )
    moderator = {"X-API-Key": MODERATOR}
    refused(
        await gateway.post(f"/admin/municipalities/{uid}-a/invitations", json={}, headers=moderator), 403, "forbidden"
    )


async def test_a_representative_submits_sees_the_reason_and_resubmits(
    gateway: httpx.AsyncClient, service: Service, uid: str
) -> None:
    keys = await contest_with_cities(gateway, uid)
    me = {"X-API-Key": keys["a"]}
    desk = ok(await gateway.get("/municipality", headers=me))
    assert desk["municipality"]["id"] == f"{uid}-a"
    ours = [c for c in desk["open_contests"] if c["contest"]["id"] == uid]
    assert [n["id"] for n in ours[0]["nominations"]] == ["n1"]
    draft = {"id": f"p-{uid}", "nomination": "n1", "title": "Green yards", "contact": "mayor@city.example"}
    practice = ok(await gateway.post(f"/municipality/contests/{uid}/practices", json=draft, headers=me), 201)
    assert (practice["municipality"], practice["status"], practice["version"]) == (f"{uid}-a", "pending", 1)
    refused(
        await gateway.post(f"/municipality/contests/{uid}/practices", json=draft, headers=me), 409, "already_exists"
    )
    edited = ok(
        await gateway.patch(
            f"/municipality/practices/p-{uid}", json={"expected_version": 1, "summary": "S"}, headers=me
        )
    )
    assert (edited["summary"], edited["version"]) == ({"ru": "S"}, 2)
    reject = {"reason": "Tell us about the results", "expected_version": 2}
    ok(await gateway.post(f"/admin/practices/p-{uid}/reject", json=reject, headers={"X-API-Key": MODERATOR}))
    seen = ok(await gateway.get(f"/municipality/practices/p-{uid}", headers=me))
    assert (seen["status"], seen["reject_reason"]) == ("rejected", "Tell us about the results")
    refused(
        await gateway.patch(f"/municipality/practices/p-{uid}", json={"expected_version": 3}, headers=me),
        409,
        "not_pending",
    )
    again = {"expected_version": 3, "description": {"en": "Two hundred yards greened"}}
    resubmitted = ok(await gateway.post(f"/municipality/practices/p-{uid}/resubmit", json=again, headers=me))
    assert (resubmitted["status"], resubmitted["version"], resubmitted["reject_reason"]) == ("pending", 4, None)
    assert resubmitted["description"] == {"en": "Two hundred yards greened"}
    refused(
        await gateway.post(f"/municipality/practices/p-{uid}/resubmit", json={"expected_version": 4}, headers=me),
        409,
        "not_resubmittable",
    )
    withdrawn = ok(
        await gateway.post(f"/municipality/practices/p-{uid}/withdraw", json={"expected_version": 4}, headers=me)
    )
    assert withdrawn["status"] == "withdrawn"
    back = ok(await gateway.post(f"/municipality/practices/p-{uid}/resubmit", json={"expected_version": 5}, headers=me))
    assert (back["status"], back["version"]) == ("pending", 6)
    page = ok(await gateway.get("/municipality/practices", headers=me))
    assert [(p["id"], p["status"]) for p in page["items"]] == [(f"p-{uid}", "pending")]
    assert (await service.db.practices.find_one({"_id": f"p-{uid}"}) or {}).get("contact") == "mayor@city.example"
    subject = subjects.catalog_event("practice", uid)
    events = await eventually(
        lambda: service.catalog_events(subject), lambda e: len(e) == 6, what="six practice events"
    )
    assert [e["type"] for e in events] == [
        "PracticeSubmitted", "PracticeUpdated", "PracticeRejected", "PracticeResubmitted", "PracticeWithdrawn",
        "PracticeResubmitted",
    ]  # fmt: skip
    assert events[2]["practice"]["reject_reason"] == "Tell us about the results"  # the history keeps the reason


async def test_a_representative_reaches_only_its_own_municipality(gateway: httpx.AsyncClient, uid: str) -> None:
    keys = await contest_with_cities(gateway, uid)
    a, b = {"X-API-Key": keys["a"]}, {"X-API-Key": keys["b"]}
    theirs = ok(
        await gateway.post(
            f"/municipality/contests/{uid}/practices",
            json={"id": f"b-{uid}", "nomination": "n1", "title": "B"},
            headers=b,
        ),
        201,
    )
    for method, path, body in [
        ("GET", f"/municipality/practices/{theirs['id']}", None),
        ("PATCH", f"/municipality/practices/{theirs['id']}", {"expected_version": 1, "title": "Mine now"}),
        ("POST", f"/municipality/practices/{theirs['id']}/withdraw", {}),
        ("POST", f"/municipality/practices/{theirs['id']}/resubmit", {"expected_version": 1}),
    ]:
        other = await gateway.request(method, path, json=body, headers=a)
        missing = await gateway.request(method, path.replace(theirs["id"], f"nope-{uid}"), json=body, headers=a)
        refused(other, 404, "unknown_practice")
        assert other.json()["detail"].replace(theirs["id"], "X") == missing.json()["detail"].replace(f"nope-{uid}", "X")
    assert ok(await gateway.get("/municipality/practices", headers=a))["items"] == []
    for_b = {"nomination": "n1", "title": "Sneaky", "municipality": f"{uid}-b"}
    refused(
        await gateway.post(f"/municipality/contests/{uid}/practices", json=for_b, headers=a), 422, "invalid_request"
    )
    for method, path in [("GET", f"/admin/contests/{uid}"), ("POST", f"/admin/practices/{theirs['id']}/approve")]:
        refused(await gateway.request(method, path, json={}, headers=a), 401, "unauthenticated")
    assert ok(await gateway.get(f"/municipality/practices/{theirs['id']}", headers=b))["title"] == {"ru": "B"}


async def test_representatives_write_only_while_submissions_are_open(gateway: httpx.AsyncClient, uid: str) -> None:
    keys = await contest_with_cities(gateway, uid, "draft")
    me, draft = {"X-API-Key": keys["a"]}, {"nomination": "n1", "title": "Early"}
    refused(
        await gateway.post(f"/municipality/contests/{uid}/practices", json=draft, headers=me), 404, "unknown_contest"
    )
    assert all(c["contest"]["id"] != uid for c in ok(await gateway.get("/municipality", headers=me))["open_contests"])
    admin = {"X-API-Key": ADMIN}
    ok(await gateway.post(f"/admin/contests/{uid}/phase", json={"phase": "submissions_open"}, headers=admin))
    practice = ok(await gateway.post(f"/municipality/contests/{uid}/practices", json=draft, headers=me), 201)
    refused(
        await gateway.post(
            f"/municipality/contests/{uid}/practices", json={"nomination": "nope", "title": "X"}, headers=me
        ),
        404,
        "unknown_nomination",
    )
    ok(await gateway.post(f"/admin/practices/{practice['id']}/approve", json={}, headers=admin))
    ok(await gateway.post(f"/admin/contests/{uid}/phase", json={"phase": "voting_open"}, headers=admin))
    withdraw = await gateway.post(f"/municipality/practices/{practice['id']}/withdraw", json={}, headers=me)
    refused(withdraw, 409, "submissions_closed")
    refused(
        await gateway.post(f"/municipality/contests/{uid}/practices", json=draft | {"nomination": "n1"}, headers=me),
        409,
        "submissions_closed",
    )


async def test_revoked_expired_and_unknown_keys_are_refused_then_limited(
    gateway: httpx.AsyncClient, service: Service, uid: str
) -> None:
    keys = await contest_with_cities(gateway, uid)
    admin, me = {"X-API-Key": ADMIN}, {"X-API-Key": keys["a"]}
    ok(await gateway.get("/municipality", headers=me))
    invitation = ok(await gateway.get(f"/admin/municipalities/{uid}-a/invitations", headers=admin))[0]
    revoked = ok(await gateway.post(f"/admin/invitations/{invitation['id']}/revoke", headers=admin))
    assert revoked["revoked_by"] == "anna"
    assert ok(await gateway.post(f"/admin/invitations/{invitation['id']}/revoke", headers=admin)) == revoked
    refused(await gateway.get("/municipality", headers=me), 401, "invitation_revoked")
    short = "vmk_short-lived-key-" + uid
    digest = hashlib.sha256(short.encode()).hexdigest()
    issue = IssueInvitation(
        municipality=f"{uid}-b", key_sha256=digest, expires_at=utcnow() + timedelta(seconds=1), issued_by="anna"
    )
    await service.ask(rep.INVITATION_ISSUE, issue)
    await eventually(
        lambda: gateway.get("/municipality", headers={"X-API-Key": short}),
        lambda r: r.status_code == 401,
        what="expiry",
    )
    refused(await gateway.get("/municipality", headers={"X-API-Key": short}), 401, "invitation_expired")
    refused(await gateway.get("/municipality", headers={"X-API-Key": "vmk_guess"}), 401, "unknown_key")
    refused(await gateway.get("/municipality"), 401, "unauthenticated")
    assert (await gateway.get("/municipalities")).status_code == 200  # the public list needs no key
    for _ in range(6):  # a guesser goes on until the address's bucket of failures is empty
        if (await gateway.get("/municipality", headers={"X-API-Key": "vmk_guess"})).status_code == 429:
            break
    limited = await gateway.get("/municipality", headers={"X-API-Key": keys["b"]})  # valid, but the address is spent
    assert (limited.status_code, limited.json()["code"]) == (429, "rate_limited")
    assert int(limited.headers["retry-after"]) >= 1
    refused(await gateway.get(f"/admin/contests/{uid}", headers=admin), 429, "rate_limited")  # one bucket for both


async def test_a_representatives_changes_are_in_the_trail_without_personal_data(
    gateway: httpx.AsyncClient, uid: str
) -> None:
    admin = {"X-API-Key": ADMIN}
    keys = await contest_with_cities(gateway, uid)
    invitation = ok(await gateway.get(f"/admin/municipalities/{uid}-a/invitations", headers=admin))[-1]["id"]
    me = {"X-API-Key": keys["a"]}
    draft = {"id": f"p-{uid}", "nomination": "n1", "title": "Green yards", "contact": "mayor@city.example"}
    ok(await gateway.post(f"/municipality/contests/{uid}/practices", json=draft, headers=me), 201)
    changes = {"expected_version": 1, "summary": "S", "contact": "deputy@city.example"}
    ok(await gateway.patch(f"/municipality/practices/p-{uid}", json=changes, headers=me))

    query = {"contest": uid, "operator": invitation}
    entries = ok(await gateway.get("/admin/audit", params=query, headers=admin))["entries"]
    assert [(e["action"], e["actor_kind"], e["role"], e["recorded_by"], e["status"]) for e in entries] == [
        ("submit", "representative", "representative", "submissions", 200),
        ("edit", "representative", "representative", "submissions", 200),
    ]
    submitted, edited = entries
    assert submitted["target"] == {"contest": uid, "practice": f"p-{uid}", "municipality": f"{uid}-a"}
    assert (edited["change"], edited["before"]["version"], edited["after"]["version"]) == (
        {"summary": {"ru": "S"}},
        1,
        2,
    )
    assert edited["route"] == "PATCH /api/v1/municipality/practices/{practice}"
    for private in ("mayor@city.example", "deputy@city.example", keys["a"]):
        assert private not in str(entries)
