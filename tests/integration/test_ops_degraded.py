"""The operators' overview still answers when the services behind it do not: each part says so."""

import hashlib

import httpx
import pytest

from veche_gateway.app import build_app
from veche_gateway.settings import GatewaySettings, OperatorKey

pytestmark = pytest.mark.integration
KEY = "degraded-observer-key"


async def test_overview_marks_silent_services_and_leaves_their_parts_empty(infra: dict[str, str]) -> None:
    observer = OperatorKey(name="watch", role="observer", key_sha256=hashlib.sha256(KEY.encode()).hexdigest())
    app = build_app(GatewaySettings(nats_url=infra["nats_url"], rpc_timeout=0.5, operator_keys=[observer]))
    transport = httpx.ASGITransport(app=app)
    async with app.router.lifespan_context(app), httpx.AsyncClient(transport=transport, base_url="http://t") as web:
        answer = await web.get("/api/v1/admin/contests/forum-2018/ops", headers={"X-API-Key": KEY})
    assert answer.status_code == 200, answer.text
    view = answer.json()
    gateway, *others = view["services"]
    assert (gateway["service"], gateway["ready"], gateway["checks"]) == ("gateway", True, {"nats": True})
    assert [s["service"] for s in others if not s["ready"]] == ["submissions", "voting", "results"]
    assert all("no service answers" in s["error"] for s in others)
    assert (view["details"], view["ledger"], view["moderation"], view["leaderboards"]) == (None, None, None, None)
