"""The gateway's HTTP contract: problem+json refusals, HEAD, 405 Allow, the operator key before the body, body limits,
null in partial updates and an OpenAPI document that says all of it. Gateway and submissions in-process, real NATS."""

import logging
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from prometheus_client import CollectorRegistry

from tests.gateway_helpers import in_process_gateway
from tests.submissions_helpers import Service
from veche_dev.factories import operator_key
from veche_gateway.settings import Bucket, GatewaySettings

ADMIN = "contract-admin-key-for-tests"
OBSERVER = "contract-observer-key-for-tests"
PROBLEM_MEMBERS = {"type", "title", "status", "detail", "instance", "code", "errors", "request_id"}


@pytest.fixture
async def gateway(
    infra: dict[str, str], service: Service
) -> AsyncIterator[tuple[httpx.AsyncClient, CollectorRegistry]]:
    settings = GatewaySettings(
        nats_url=infra["nats_url"],
        operator_keys=[operator_key("a", "admin", ADMIN), operator_key("o", "observer", OBSERVER)],
        max_body_bytes=2048,
        rate_operator_key_failures=Bucket(burst=3, per_second=0.001),
    )
    async with in_process_gateway(settings) as gw:
        yield gw.client, gw.registry


def problem(answer: httpx.Response, status: int, code: str) -> dict[str, Any]:
    """The refusal as RFC 9457 problem details, checked member by member."""
    assert (answer.status_code, answer.headers["content-type"]) == (status, "application/problem+json"), answer.text
    body: dict[str, Any] = answer.json()
    assert set(body) == PROBLEM_MEMBERS, body
    assert (body["status"], body["code"], body["type"]) == (status, code, f"urn:veche:problem:{code}")
    assert body["instance"] == answer.request.url.path
    assert body["request_id"] == answer.headers["x-request-id"]
    return body


async def test_every_refusal_is_a_problem(gateway: tuple[httpx.AsyncClient, CollectorRegistry], uid: str) -> None:
    client, _ = gateway
    assert problem(await client.get("/no/such/page"), 404, "not_found")["title"] == "Not Found"
    problem(await client.get("/static/no-such.js"), 404, "not_found")
    preflight = {"Origin": "https://elsewhere.example", "Access-Control-Request-Method": "POST"}
    problem(await client.options("/api/v1/admin/contests", headers=preflight), 403, "origin_not_allowed")
    problem(await client.get(f"/api/v1/contests/{uid}"), 404, "unknown_contest")
    invalid = problem(await client.get("/api/v1/contests/bad%20id"), 422, "invalid_request")
    assert invalid["errors"][0]["loc"] == ["path", "contest"]
    observer = {"X-API-Key": OBSERVER}
    problem(await client.post("/api/v1/admin/contests", json={}, headers=observer), 403, "forbidden")
    garbled = {"X-API-Key": ADMIN, "Content-Type": "application/json"}
    problem(await client.post("/api/v1/admin/contests", content=b"\x80{}", headers=garbled), 400, "bad_request")


async def test_head_answers_wherever_get_does_and_405_says_what_is_allowed(
    gateway: tuple[httpx.AsyncClient, CollectorRegistry],
) -> None:
    client, _ = gateway
    for path in ("/api/v1/contests", "/api/v1/municipalities", "/en/contests/x", "/en/", "/embed.js", "/openapi.json"):
        get, head = await client.get(path), await client.head(path)
        assert (head.status_code, head.content) == (get.status_code, b""), path
        assert head.headers["content-type"] == get.headers["content-type"]
    assert (await client.head("/api/v1/contests/nope")).status_code == 404
    refused = await client.delete("/api/v1/contests")
    problem(refused, 405, "method_not_allowed")
    assert refused.headers["allow"] == "GET, HEAD"
    both = await client.put("/api/v1/admin/contests/c1", headers={"X-API-Key": ADMIN})
    assert both.headers["allow"] == "GET, HEAD, PATCH"  # two routes share the path


async def test_operator_key_is_checked_before_the_body_and_failures_are_limited(
    gateway: tuple[httpx.AsyncClient, CollectorRegistry], caplog: pytest.LogCaptureFixture
) -> None:
    client, registry = gateway
    caplog.set_level(logging.WARNING, logger="veche.gateway.operators")
    broken, json_type = b"{not json", {"Content-Type": "application/json"}
    problem(await client.post("/api/v1/admin/contests", content=broken, headers=json_type), 401, "unauthenticated")
    wrong = {"X-API-Key": "guessed-key-1"}
    problem(await client.post("/api/v1/admin/contests", content=broken, headers=wrong), 401, "unauthenticated")
    guessed = await client.get("/api/v1/admin/contests/c1", headers={"X-API-Key": "guessed-key-2"})
    problem(guessed, 401, "unauthenticated")
    limited = await client.get("/api/v1/admin/contests/c1", headers={"X-API-Key": ADMIN})  # even the right key now
    problem(limited, 429, "rate_limited")
    assert int(limited.headers["retry-after"]) >= 1
    failures = {r: registry.get_sample_value("veche_gateway_operator_auth_failures_total", {"reason": r}) for r in
                ("missing", "unknown")}  # fmt: skip
    assert failures == {"missing": 1, "unknown": 2}
    assert registry.get_sample_value("veche_gateway_rate_limited_total", {"limit": "operator_key"}) == 1
    logged = [r.getMessage() for r in caplog.records]
    assert len(logged) == 3
    assert all("refused" in line for line in logged)
    assert not any("guessed-key" in line for line in logged)


async def test_bodies_over_the_limit_are_refused_however_they_arrive(
    gateway: tuple[httpx.AsyncClient, CollectorRegistry], uid: str
) -> None:
    client, _ = gateway
    votes = f"/api/v1/contests/{uid}/nominations/n1/votes"
    declared = await client.post(votes, content=b"x" * 4096, headers={"Content-Type": "application/json"})
    assert problem(declared, 413, "body_too_large")["detail"] == "the body exceeds 2048 bytes"
    assert declared.headers["x-content-type-options"] == "nosniff"

    async def chunks() -> AsyncIterator[bytes]:  # no Content-Length: only counting the bytes can stop it
        yield b'{"practice": "'
        for _ in range(10):
            yield b"x" * 512

    streamed = await client.post(votes, content=chunks(), headers={"Content-Type": "application/json"})
    assert "content-length" not in streamed.request.headers
    problem(streamed, 413, "body_too_large")
    assert streamed.headers["x-content-type-options"] == "nosniff"


async def test_null_clears_what_can_be_cleared_and_is_refused_elsewhere(
    gateway: tuple[httpx.AsyncClient, CollectorRegistry], uid: str
) -> None:
    client, _ = gateway
    admin = {"X-API-Key": ADMIN}
    city = {"id": uid, "name": {"en": f"City {uid}"}, "country": "RU", "lat": 1, "lon": 2, "region": "Perm krai"}
    assert (await client.post("/api/v1/admin/municipalities", json=city, headers=admin)).status_code == 201
    path = f"/api/v1/admin/municipalities/{uid}"
    refused = problem(await client.patch(path, json={"expected_version": 1, "lat": None}, headers=admin), 422,
                      "invalid_request")  # fmt: skip
    assert refused["errors"][0]["loc"] == ["body", "lat"]
    for wrong in ({"population": False}, {"lat": True}, {"expected_version": "1"}):  # JSON types, not coerced
        problem(await client.patch(path, json={"expected_version": 1} | wrong, headers=admin), 422, "invalid_request")
    cleared = await client.patch(path, json={"expected_version": 1, "region": None}, headers=admin)
    assert (cleared.status_code, cleared.json()["region"], cleared.json()["lat"]) == (200, None, 1)


async def test_the_openapi_document_describes_every_refusal_as_a_problem(
    gateway: tuple[httpx.AsyncClient, CollectorRegistry],
) -> None:
    client, _ = gateway
    document = (await client.get("/openapi.json")).json()
    schemas = document["components"]["schemas"]
    assert set(schemas["Problem"]["properties"]) == PROBLEM_MEMBERS
    assert "HTTPValidationError" not in schemas
    for path, item in document["paths"].items():
        for method, operation in item.items():
            refusals = {s: r for s, r in operation["responses"].items() if s >= "400"}
            assert {"429", "500", "503", "504"} <= set(refusals), (method, path)
            if "requestBody" in operation:
                assert {"400", "413", "422"} <= set(refusals), (method, path)
            if path.startswith("/api/v1/admin"):
                assert {"401", "403"} <= set(refusals), (method, path)
            for status, response in refusals.items():
                assert list(response["content"]) == ["application/problem+json"], (method, path, status)
            for parameter in operation.get("parameters", []):  # HTTP sends a parameter or leaves it out
                assert not nullable(parameter["schema"]), (method, path, parameter["name"])


async def test_partial_updates_call_nullable_only_what_null_clears(
    gateway: tuple[httpx.AsyncClient, CollectorRegistry],
) -> None:
    """A PATCH body field the document calls nullable is nullable in the entity the route answers with (null
    clears it) or kept apart from it (a practice's private contact)."""
    client, _ = gateway
    document = (await client.get("/openapi.json")).json()
    schemas = document["components"]["schemas"]
    checked = 0
    for item in document["paths"].values():
        if "patch" not in item:
            continue
        body = schemas[ref(item["patch"]["requestBody"]["content"]["application/json"]["schema"])]
        entity = schemas[ref(item["patch"]["responses"]["200"]["content"]["application/json"]["schema"])]
        for name, field in body["properties"].items():
            if nullable(field):
                checked += 1
                assert name not in entity["properties"] or nullable(entity["properties"][name]), name
    assert checked >= 6


def ref(schema: dict[str, Any]) -> str:
    return str(schema["$ref"]).split("/")[-1]


def nullable(field: dict[str, Any]) -> bool:
    return {"type": "null"} in field.get("anyOf", [])


async def test_a_fault_of_a_route_is_a_problem_with_the_usual_headers(
    infra: dict[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    async def broken() -> None:
        raise RuntimeError("a bug")

    async with in_process_gateway(GatewaySettings(nats_url=infra["nats_url"]), started=False) as gw:
        gw.app.add_api_route("/api/v1/broken", broken)
        answer = await gw.client.get("/api/v1/broken")
    assert problem(answer, 500, "internal_error")["detail"] == "internal error"  # nothing of the bug leaks
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert "RuntimeError: a bug" in caplog.text
