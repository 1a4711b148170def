"""The public page asks only for the municipalities of the cards it shows (`ids`), not for every one of the
platform. Gateway in-process, the submissions service, real NATS and database."""

from collections.abc import AsyncIterator

import httpx
import pytest

from tests.gateway_helpers import in_process_gateway
from tests.submissions_helpers import Service
from veche_gateway.settings import GatewaySettings


@pytest.fixture
async def gateway(infra: dict[str, str], service: Service) -> AsyncIterator[httpx.AsyncClient]:
    async with in_process_gateway(GatewaySettings(nats_url=infra["nats_url"])) as gw:
        yield gw.client


async def test_municipalities_by_id(gateway: httpx.AsyncClient, service: Service, uid: str) -> None:
    await service.seed(uid, municipalities=4)
    wanted = [f"{uid}-m1", f"{uid}-m3", f"{uid}-nowhere"]
    answer = await gateway.get("/api/v1/municipalities", params={"ids": wanted})
    assert answer.status_code == 200, answer.text
    assert [m["id"] for m in answer.json()["items"]] == [f"{uid}-m1", f"{uid}-m3"]
    too_many = await gateway.get("/api/v1/municipalities", params={"ids": [f"m{i}" for i in range(101)]})
    assert too_many.status_code == 422
