"""A bus that does not answer is never a 500: the gateway answers 503 with Retry-After, an RPC refuses `unavailable`
(issue 26: `POST .../device-token` answered 500 924 times while NATS nodes were killed)."""

import json

import httpx
import nats.errors
import nats.js.errors
import pytest
from starlette.types import Receive, Scope, Send

from veche_gateway.errors import LastResort
from veche_shared.contracts.common import Contract
from veche_shared.rpc.operation import Operation
from veche_shared.rpc.server import answer

FAULTS = [
    nats.errors.TimeoutError(),
    nats.errors.NoRespondersError(),
    nats.errors.ConnectionClosedError(),
    nats.js.errors.NoStreamResponseError(),
    nats.js.errors.ServiceUnavailableError(code=503, description="JetStream system temporarily unavailable"),
]


def failing(fault: Exception):  # type: ignore[no-untyped-def]
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        raise fault

    return app


@pytest.mark.parametrize("fault", FAULTS, ids=lambda f: type(f).__name__)
async def test_a_bus_fault_in_a_route_is_a_503_with_retry_after(fault: Exception) -> None:
    transport = httpx.ASGITransport(app=LastResort(failing(fault)))
    async with httpx.AsyncClient(transport=transport, base_url="http://gw") as client:
        answered = await client.post("/api/v1/contests/c/device-token", json={})
    assert answered.status_code == 503
    assert answered.headers["retry-after"] == "5"
    assert answered.json()["code"] == "bus_unavailable"


async def test_any_other_fault_is_still_a_500() -> None:
    transport = httpx.ASGITransport(app=LastResort(failing(RuntimeError("a bug"))))
    async with httpx.AsyncClient(transport=transport, base_url="http://gw") as client:
        answered = await client.get("/")
    assert (answered.status_code, answered.json()["code"]) == (500, "internal_error")


class Ping(Contract):
    n: int


@pytest.mark.parametrize("fault", FAULTS, ids=lambda f: type(f).__name__)
async def test_a_bus_fault_in_an_rpc_handler_is_a_refusal_unavailable(fault: Exception) -> None:
    op = Operation("voting", "ping.test", Ping, Ping, "a test operation")

    async def handler(request: Ping) -> Ping:
        raise fault

    body, code = await answer(op, handler, b'{"n": 1}')
    refusal = json.loads(body)["error"]
    assert (code, refusal["kind"], refusal["code"]) == ("bus_unavailable", "unavailable", "bus_unavailable")
