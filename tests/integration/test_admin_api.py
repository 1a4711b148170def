"""Every submissions write through the gateway's admin API: the gateway and the service in-process, real NATS."""

from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
import pytest

from tests.gateway_helpers import in_process_gateway, ok, refused
from tests.submissions_helpers import Service
from veche_dev.factories import operator_key
from veche_gateway.settings import GatewaySettings
from veche_shared.contracts.common import utcnow

ADMIN, MODERATOR = "admin-key-for-tests", "moderator-key-for-tests"


@pytest.fixture
async def gateway(infra: dict[str, str], service: Service) -> AsyncIterator[httpx.AsyncClient]:
    keys = [operator_key("a", "admin", ADMIN), operator_key("m", "moderator", MODERATOR)]
    settings = GatewaySettings(nats_url=infra["nats_url"], operator_keys=keys)
    async with in_process_gateway(settings, base_url="http://gw/api/v1/admin") as gw:
        yield gw.client


async def test_contest_and_nomination_changes(gateway: httpx.AsyncClient, uid: str) -> None:
    admin, moderator = {"X-API-Key": ADMIN}, {"X-API-Key": MODERATOR}
    ok(await gateway.post("/contests", json={"id": uid, "title": {"en": "T"}}, headers=admin), 201)
    opens = (utcnow() + timedelta(days=30)).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")
    change = {"expected_version": 1, "visibility": "after_close", "opens_at": opens}
    refused(await gateway.patch(f"/contests/{uid}", json=change, headers=moderator), 403, "forbidden")
    contest = ok(await gateway.patch(f"/contests/{uid}", json=change, headers=admin))
    assert (contest["visibility"], contest["version"], contest["opens_at"]) == (
        "after_close",
        2,
        opens,
    )
    refused(await gateway.patch(f"/contests/{uid}", json=change, headers=admin), 409, "stale_version")
    refused(await gateway.patch(f"/contests/{uid}", json=change | {"colour": 1}, headers=admin), 422, "invalid_request")
    cleared = ok(await gateway.patch(f"/contests/{uid}", json={"expected_version": 2, "opens_at": None}, headers=admin))
    assert (cleared["opens_at"], cleared["visibility"]) == (None, "after_close")
    refused(await gateway.patch("/contests/nope", json=change, headers=admin), 404, "unknown_contest")
    ok(await gateway.post(f"/contests/{uid}/nominations", json={"id": "n1", "title": {"en": "N"}}, headers=admin), 201)
    archive = {"expected_version": 1, "archived": True, "order": 3}
    nomination = ok(await gateway.patch(f"/contests/{uid}/nominations/n1", json=archive, headers=admin))
    assert (nomination["archived"], nomination["order"], nomination["title"]["en"]) == (True, 3, "N")


async def test_practice_moderation_and_queue(gateway: httpx.AsyncClient, uid: str) -> None:
    admin, moderator = {"X-API-Key": ADMIN}, {"X-API-Key": MODERATOR}
    ok(await gateway.post("/contests", json={"id": uid, "title": {"en": "T"}}, headers=admin), 201)
    ok(await gateway.post(f"/contests/{uid}/nominations", json={"id": "n1", "title": {"en": "N"}}, headers=admin), 201)
    for i in range(3):
        city = {"id": f"{uid}-m{i}", "name": {"en": f"City {uid} {i}"}, "country": "RU", "lat": 1, "lon": 2}
        ok(await gateway.post("/municipalities", json=city, headers=admin), 201)
        practice = {"id": f"p{i}", "nomination": "n1", "municipality": city["id"], "title": f"Green {i}"}
        ok(await gateway.post(f"/contests/{uid}/practices", json=practice, headers=moderator), 201)
    moved = ok(await gateway.patch(f"/municipalities/{uid}-m0", json={"expected_version": 1, "lat": 5}, headers=admin))
    assert moved["lat"] == 5
    edited = ok(await gateway.patch("/practices/p0", json={"expected_version": 1, "title": "Blue"}, headers=moderator))
    assert edited["title"] == {"ru": "Blue"}
    reject = {"reason": "Not municipal", "expected_version": 2}
    assert ok(await gateway.post("/practices/p0/reject", json=reject, headers=moderator))["status"] == "rejected"
    refused(await gateway.post("/practices/p0/reject", json={"reason": ""}, headers=moderator), 422, "invalid_request")
    assert ok(await gateway.post("/practices/p1/withdraw", json={}, headers=moderator))["status"] == "withdrawn"
    refused(await gateway.post("/practices/nope/approve", json={}, headers=moderator), 404, "unknown_practice")
    queue = ok(await gateway.get(f"/contests/{uid}/practices", params={"status": "pending"}, headers=moderator))
    assert ([p["id"] for p in queue["items"]], queue["next_cursor"]) == (["p2"], None)
    page = ok(await gateway.get(f"/contests/{uid}/practices", params={"q": "gREEN", "limit": 1}, headers=admin))
    assert [p["id"] for p in page["items"]] == ["p1"]
    params = {"q": "green", "limit": 1, "cursor": page["next_cursor"]}
    rest = ok(await gateway.get(f"/contests/{uid}/practices", params=params, headers=admin))
    assert ([p["id"] for p in rest["items"]], rest["next_cursor"]) == (["p2"], None)
    refused(
        await gateway.get(f"/contests/{uid}/practices", params={"limit": 1_001}, headers=admin), 422, "invalid_request"
    )


async def test_console_reads_who_am_i_drafts_and_archived_nominations(gateway: httpx.AsyncClient, uid: str) -> None:
    admin, moderator = {"X-API-Key": ADMIN}, {"X-API-Key": MODERATOR}
    assert ok(await gateway.get("/me", headers=moderator)) == {"name": "m", "role": "moderator"}
    refused(await gateway.get("/me", headers={"X-API-Key": "nope"}), 401, "unauthenticated")
    ok(await gateway.post("/contests", json={"id": uid, "title": {"en": "Draft"}}, headers=admin), 201)
    listed = ok(await gateway.get("/contests", headers=moderator))
    assert [c["phase"] for c in listed if c["id"] == uid] == ["draft"]  # the public list leaves drafts out
    for number in (1, 0):
        nomination = {"id": f"n{number}", "title": {"en": f"N{number}"}, "order": number}
        ok(await gateway.post(f"/contests/{uid}/nominations", json=nomination, headers=admin), 201)
    ok(
        await gateway.patch(
            f"/contests/{uid}/nominations/n1", json={"expected_version": 1, "archived": True}, headers=admin
        )
    )
    nominations = ok(await gateway.get(f"/contests/{uid}/nominations", headers=moderator))
    assert [(n["id"], n["archived"]) for n in nominations] == [("n0", False), ("n1", True)]
    refused(await gateway.get("/contests/nope/nominations", headers=moderator), 404, "unknown_contest")
