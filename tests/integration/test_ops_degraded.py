"""The operators' overview still answers when the services behind it do not: each part says so."""

from tests.gateway_helpers import in_process_gateway
from veche_dev.factories import operator_key
from veche_gateway.settings import GatewaySettings

KEY = "degraded-observer-key"


async def test_overview_marks_silent_services_and_leaves_their_parts_empty(infra: dict[str, str]) -> None:
    observer = operator_key("watch", "observer", KEY)
    settings = GatewaySettings(nats_url=infra["nats_url"], rpc_timeout=0.5, operator_keys=[observer])
    async with in_process_gateway(settings) as gw:
        answer = await gw.client.get("/api/v1/admin/contests/forum-2018/ops", headers={"X-API-Key": KEY})
    assert answer.status_code == 200, answer.text
    view = answer.json()
    gateway, *others = view["services"]
    assert (gateway["service"], gateway["ready"], gateway["checks"]) == ("gateway", True, {"nats": True})
    assert [s["service"] for s in others if not s["ready"]] == ["submissions", "voting", "results"]
    assert all("no service answers" in s["error"] for s in others)
    assert (view["details"], view["ledger"], view["moderation"], view["leaderboards"]) == (None, None, None, None)
