"""Cursor pages of the public lists, end to end (gateway in-process, submissions service, real NATS and database):
every municipality and practice comes back once, in id order; a bad cursor is a 422. `make paging`
(VECHE_PAGING_FULL=1) runs it with 5,000 municipalities and 10,000 practices; `make test` with a tenth, as on the
development database (FerretDB on SQLite) every page reads the whole collection (minutes for the full size)."""

import math
import os
import time
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest

from tests.gateway_helpers import in_process_gateway, ok, refused
from tests.submissions_helpers import Service
from veche_dev.factories import operator_key
from veche_gateway.settings import GatewaySettings
from veche_shared.contracts import submissions as s
from veche_shared.contracts.catalog import Municipality, Phase, Practice, PracticeStatus
from veche_shared.operations import submissions as ops
from veche_submissions.documents import stored_fields

ADMIN = "paging-admin-key-0123456789abcdef"
FULL = os.environ.get("VECHE_PAGING_FULL") == "1"
MUNICIPALITIES, PRACTICES = (5_000, 10_000) if FULL else (500, 1_000)
LIMIT = 1_000 if FULL else 100  # the same number of pages either way


@pytest.fixture
async def gateway(infra: dict[str, str], service: Service) -> AsyncIterator[httpx.AsyncClient]:
    settings = GatewaySettings(nats_url=infra["nats_url"], operator_keys=[operator_key("anna", "admin", ADMIN)])
    async with in_process_gateway(settings, base_url="http://gw/api/v1") as gw:
        yield gw.client


async def bulk(service: Service, uid: str) -> None:
    """The documents as the service writes them, inserted in bulk (registering 15,000 one by one takes minutes)."""
    cities = [
        Municipality(id=f"{uid}-m{i:05}", name={"ru": f"Город {i}", "en": f"Town {i}"}, country="RU", lat=55, lon=37)
        for i in range(MUNICIPALITIES)
    ]
    practices = [  # one practice per municipality and nomination: two nominations of 5,000
        Practice(id=f"{uid}-p{i:05}", contest=uid, nomination=f"n{1 + i // MUNICIPALITIES}",
                 municipality=f"{uid}-m{i % MUNICIPALITIES:05}", title={"ru": f"Практика {i}"},
                 status=PracticeStatus.approved)
        for i in range(PRACTICES)
    ]  # fmt: skip
    for collection, entities in (("municipalities", cities), ("practices", practices)):
        docs = [{"_id": e.id, **stored_fields(e), "_outbox": []} for e in entities]
        await service.db[collection].insert_many(docs, ordered=False)


async def every_page(client: httpx.AsyncClient, path: str, **query: str) -> tuple[list[str], int]:
    """Ids of every item, following next_cursor (and checking the Link header says the same); and the pages."""
    ids: list[str] = []
    pages, cursor = 0, None
    while True:
        params: dict[str, Any] = query | {"limit": LIMIT} | ({"cursor": cursor} if cursor else {})
        answer = await client.get(path, params=params)
        page = ok(answer)
        ids += [item["id"] for item in page["items"]]
        pages, cursor = pages + 1, page["next_cursor"]
        if cursor is None:
            assert "Link" not in answer.headers
            return ids, pages
        assert urlencode({"cursor": cursor}) in answer.headers["Link"]
        assert answer.headers["Link"].endswith('rel="next"')


@pytest.mark.timeout(1_200 if FULL else 120)
@pytest.mark.heavy
async def test_public_lists_are_complete_without_duplicates(
    service: Service, gateway: httpx.AsyncClient, uid: str
) -> None:
    await service.seed(uid, municipalities=0)
    await service.ask(ops.NOMINATION_CREATE, s.CreateNomination(contest=uid, id="n2", title="N2"))
    await service.ask(ops.CONTEST_CHANGE_PHASE, s.ChangePhase(contest=uid, phase=Phase.submissions_open))
    await bulk(service, uid)
    started = time.perf_counter()
    practices, practice_pages = await every_page(gateway, f"/contests/{uid}/practices")
    took_practices = time.perf_counter() - started
    cities, city_pages = await every_page(gateway, "/municipalities")
    took_cities = time.perf_counter() - started - took_practices
    assert practices == [f"{uid}-p{i:05}" for i in range(PRACTICES)]  # each once, in id order
    assert cities == [f"{uid}-m{i:05}" for i in range(MUNICIPALITIES)]
    assert (practice_pages, city_pages) == (math.ceil(PRACTICES / LIMIT), math.ceil(MUNICIPALITIES / LIMIT))
    second, _ = await every_page(gateway, f"/contests/{uid}/practices", nomination="n2")
    assert second == practices[MUNICIPALITIES:]
    print(
        f"10,000 practices in {practice_pages} pages: {took_practices:.1f} s; 5,000 municipalities: {took_cities:.1f} s"
    )


async def test_a_bad_cursor_or_limit_is_refused(service: Service, gateway: httpx.AsyncClient, uid: str) -> None:
    await service.seed(uid, municipalities=3)
    await service.ask(ops.CONTEST_CHANGE_PHASE, s.ChangePhase(contest=uid, phase=Phase.submissions_open))
    for path in (f"/contests/{uid}/practices", "/municipalities", "/admin/municipalities"):
        headers = {"X-API-Key": ADMIN}
        refused(await gateway.get(path, params={"cursor": "not-a-cursor!"}, headers=headers), 422, "bad_cursor")
        for limit in (0, 100_000):
            assert (await gateway.get(path, params={"limit": limit}, headers=headers)).status_code == 422
    first = ok(await gateway.get("/municipalities", params={"limit": 2}))
    rest = ok(await gateway.get("/municipalities", params={"limit": 2, "cursor": first["next_cursor"]}))
    assert [m["id"] for m in first["items"] + rest["items"]] == [f"{uid}-m{i}" for i in range(3)]
    assert rest["next_cursor"] is None


async def test_operators_search_municipalities_by_any_name(
    service: Service, gateway: httpx.AsyncClient, uid: str
) -> None:
    await service.ask(ops.MUNICIPALITY_REGISTER, s.RegisterMunicipality(
        id=f"{uid}-nis", name={"sr-Latn": "Niš", "ru": "Ниш"}, country="RS", lat=43.3, lon=21.9
    ))  # fmt: skip
    admin = {"X-API-Key": ADMIN}
    for q in ("ниш", "NIŠ", f"{uid}-n"):
        found = ok(await gateway.get("/admin/municipalities", params={"q": q}, headers=admin))["items"]
        assert [m["id"] for m in found] == [f"{uid}-nis"], q
    assert (await gateway.get("/admin/municipalities")).status_code == 401
