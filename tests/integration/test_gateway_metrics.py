"""The gateway counts calls that got no answer, by service and kind, against the real nats-server."""

from nats.aio.client import Client
from prometheus_client import CollectorRegistry

from tests.gateway_helpers import in_process_gateway
from veche_gateway.settings import GatewaySettings
from veche_shared.operations import submissions as ops


async def test_upstream_unavailable_and_timeout_are_counted(infra: dict[str, str], nc: Client) -> None:
    registry = CollectorRegistry()
    settings = GatewaySettings(nats_url=infra["nats_url"], rpc_timeout=0.2)
    async with in_process_gateway(settings, registry=registry) as gw:
        web = gw.client
        assert (await web.get("/api/v1/contests")).status_code == 503  # nobody serves submissions here
        silent = await nc.subscribe(ops.CONTEST_LIST.subject, queue=ops.CONTEST_LIST.service)
        await nc.flush()
        assert (await web.get("/api/v1/contests")).status_code == 504
        await silent.unsubscribe()

    def failures(kind: str) -> float | None:
        return registry.get_sample_value(
            "veche_gateway_upstream_failures_total", {"service": "submissions", "kind": kind}
        )

    assert (failures("unavailable"), failures("timeout")) == (1, 1)
    labels = {"method": "GET", "route": "/api/v1/contests", "status": "5xx"}
    assert registry.get_sample_value("veche_http_requests_total", labels) == 2
