"""HTTP RED metrics are labelled by route template and status class, never by the raw path."""

import httpx
from fastapi import FastAPI, HTTPException
from prometheus_client import CollectorRegistry, generate_latest

from veche_shared.metrics import instrument_http


def make_app(registry: CollectorRegistry) -> FastAPI:
    app = FastAPI()

    @app.get("/practices/{practice_id}")
    async def practice(practice_id: str) -> dict[str, str]:
        if practice_id == "missing":
            raise HTTPException(404)
        return {"id": practice_id}

    instrument_http(app, registry)
    return app


async def test_requests_are_counted_by_route_template_and_status_class() -> None:
    registry = CollectorRegistry()
    transport = httpx.ASGITransport(app=make_app(registry))
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        assert (await client.get("/practices/perm-42")).status_code == 200
        assert (await client.get("/practices/missing")).status_code == 404
        assert (await client.get("/wp-admin/secret-scan-path")).status_code == 404

    def requests(route: str, status: str) -> float | None:
        labels = {"method": "GET", "route": route, "status": status}
        return registry.get_sample_value("veche_http_requests_total", labels)

    assert requests("/practices/{practice_id}", "2xx") == 1
    assert requests("/practices/{practice_id}", "4xx") == 1
    assert requests("unmatched", "4xx") == 1
    labels = {"method": "GET", "route": "/practices/{practice_id}"}
    assert registry.get_sample_value("veche_http_request_seconds_count", labels) == 2
    exposed = generate_latest(registry).decode()
    assert "perm-42" not in exposed
    assert "secret-scan-path" not in exposed
