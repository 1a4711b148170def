"""The operators' audit trail: every operator route writes an entry; entries are read back with filters and paging.
The gateway and the submissions service in-process, real NATS (stream AUDIT)."""

import re
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from tests.gateway_helpers import in_process_gateway
from tests.integration.audit_helpers import FullTrail
from tests.submissions_helpers import Service
from veche_dev.factories import operator_key
from veche_gateway.middleware.audit_trail import READS
from veche_gateway.settings import GatewaySettings

ADMIN, OBSERVER = "audit-admin-key-for-tests", "audit-observer-key-for-tests"


@pytest.fixture
async def gateway(
    infra: dict[str, str], service: Service, uid: str
) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient]]:
    keys = [operator_key(f"anna-{uid}", "admin", ADMIN), operator_key(f"olga-{uid}", "observer", OBSERVER)]
    async with in_process_gateway(GatewaySettings(nats_url=infra["nats_url"], operator_keys=keys)) as gw:
        yield gw.app, gw.client


def operator_writes(app: FastAPI) -> list[tuple[str, str]]:
    """Every (method, path) of the OpenAPI document under /api/v1/admin that is not a read."""
    paths = app.openapi()["paths"]
    return [
        (method.upper(), path)
        for path, operations in paths.items()
        if path.startswith("/api/v1/admin")
        for method in operations
        if method.upper() not in READS
    ]


async def trail(client: httpx.AsyncClient, **filters: str) -> list[dict[str, Any]]:
    """Every entry matching filters, following the cursor to the end."""
    entries, cursor = [], None
    while True:
        params: dict[str, str | int] = {**filters, **({"cursor": cursor} if cursor else {})}
        page = await client.get("/api/v1/admin/audit", params=params | {"limit": 2}, headers={"X-API-Key": OBSERVER})
        assert page.status_code == 200, page.text
        entries += page.json()["entries"]
        cursor = page.json()["next_cursor"]
        if not page.json()["more"]:
            return entries


async def test_every_operator_route_writes_an_audit_entry(gateway: tuple[FastAPI, httpx.AsyncClient], uid: str) -> None:
    app, client = gateway
    routes = operator_writes(app)
    assert len(routes) >= 14, routes  # the document lists the operator routes; none may be missed below
    sent = {}
    for number, (method, path) in enumerate(routes):
        url = re.sub(r"{(\w+)}", lambda m: f"{m.group(1)[:4]}-{uid}", path)
        request_id = f"walk-{uid}-{number}"
        headers = {"X-API-Key": ADMIN, "X-Request-Id": request_id}
        answer = await client.request(method, url, json={}, headers=headers)
        sent[request_id] = (method, path, answer.status_code)
    written = {e["request_id"]: e for e in await trail(client, operator=f"anna-{uid}")}
    missing = {rid: route for rid, route in sent.items() if rid not in written}
    assert not missing, f"operator routes without an audit entry: {missing}"
    for request_id, (method, path, status) in sent.items():
        entry = written[request_id]
        assert (entry["route"], entry["status"], entry["role"]) == (f"{method} {path}", status, "admin")


async def test_entries_tell_who_changed_what_before_and_after(
    gateway: tuple[FastAPI, httpx.AsyncClient], uid: str
) -> None:
    _, client = gateway
    admin = {"X-API-Key": ADMIN}
    created = await client.post(
        "/api/v1/admin/contests", json={"id": uid, "title": {"en": "T"}}, headers=admin | {"X-Request-Id": f"c-{uid}"}
    )
    assert created.status_code == 201, created.text
    phase = {"phase": "submissions_open"}
    moved = await client.post(f"/api/v1/admin/contests/{uid}/phase", json=phase, headers=admin)
    assert moved.status_code == 200, moved.text
    observer = {"X-API-Key": OBSERVER}
    forbidden = await client.post(f"/api/v1/admin/contests/{uid}/phase", json={"phase": "draft"}, headers=observer)
    assert forbidden.status_code == 403

    create, change, refused = await trail(client, contest=uid)
    assert (create["action"], create["operator"], create["request_id"]) == ("create_contest", f"anna-{uid}", f"c-{uid}")
    assert (create["after"]["id"], create["after"]["phase"], create["before"]) == (uid, "draft", None)
    assert (change["action"], change["target"], change["change"]) == ("change_phase", {"contest": uid}, phase)
    assert (create["recorded_by"], change["recorded_by"], refused["recorded_by"]) == ("submissions",) * 2 + ("gateway",)
    route = "POST /api/v1/admin/contests/{contest}/phase"
    assert (change["actor_kind"], change["via"], change["route"]) == ("operator", "api", route)
    assert (change["before"]["phase"], change["after"]["phase"]) == ("draft", "submissions_open")
    assert change["request_id"] == moved.headers["x-request-id"]
    assert (refused["operator"], refused["role"], refused["status"]) == (f"olga-{uid}", "observer", 403)
    assert (refused["error_code"], refused["after"]) == ("forbidden", None)

    assert [e["action"] for e in await trail(client, contest=uid, action="change_phase")] == ["change_phase"] * 2
    assert [e["status"] for e in await trail(client, contest=uid, operator=f"olga-{uid}")] == [403]
    assert await trail(client, contest=uid, since="2999-01-01T00:00:00Z") == []


async def test_the_trail_is_for_operators_only(gateway: tuple[FastAPI, httpx.AsyncClient]) -> None:
    _, client = gateway
    assert (await client.get("/api/v1/admin/audit")).status_code == 401
    assert (await client.get("/api/v1/admin/audit", headers={"X-API-Key": "wrong"})).status_code == 401
    unknown = await client.get("/api/v1/admin/audit", params={"colour": "red"}, headers={"X-API-Key": OBSERVER})
    assert unknown.status_code == 422


async def test_a_change_whose_record_cannot_be_made_is_refused_and_not_made(
    gateway: tuple[FastAPI, httpx.AsyncClient], full_trail: FullTrail, uid: str
) -> None:
    _, client = gateway
    admin = {"X-API-Key": ADMIN}
    created = await client.post("/api/v1/admin/contests", json={"id": uid, "title": {"en": "T"}}, headers=admin)
    assert created.status_code == 201, created.text
    await full_trail.fill()
    phase = {"phase": "submissions_open"}
    moved = await client.post(f"/api/v1/admin/contests/{uid}/phase", json=phase, headers=admin)
    assert (moved.status_code, moved.json()["code"], moved.headers["retry-after"]) == (503, "audit_unavailable", "5")
    nomination = {"id": "n1", "title": {"en": "N"}}
    added = await client.post(f"/api/v1/admin/contests/{uid}/nominations", json=nomination, headers=admin)
    assert (added.status_code, added.json()["code"]) == (503, "audit_unavailable")
    contest = await client.get(f"/api/v1/admin/contests/{uid}", headers=admin)
    assert (contest.json()["phase"], contest.json()["version"]) == ("draft", 1)  # nothing changed
    listed = await client.get(f"/api/v1/admin/contests/{uid}/nominations", headers=admin)
    assert listed.json() == []

    await full_trail.restore()
    moved = await client.post(f"/api/v1/admin/contests/{uid}/phase", json=phase, headers=admin)
    assert moved.status_code == 200, moved.text
    entries = await trail(client, contest=uid)
    assert [(e["action"], e["status"], e["recorded_by"]) for e in entries] == [
        ("create_contest", 200, "submissions"), ("change_phase", 200, "submissions"),
    ]  # fmt: skip
