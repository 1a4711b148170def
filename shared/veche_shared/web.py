"""HTTP endpoints every process has: /healthz, /readyz and (except the gateway: internal listener) /metrics."""

from collections.abc import Awaitable, Callable

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest

ReadinessCheck = Callable[[], Awaitable[dict[str, bool]]]


def ops_router(readiness: ReadinessCheck, registry: CollectorRegistry | None) -> APIRouter:
    """Health and readiness; /metrics too unless registry is None (a process that serves it elsewhere)."""
    router = APIRouter(include_in_schema=False)

    @router.get("/healthz")
    async def healthz() -> dict[str, str]:
        """The process is alive."""
        return {"status": "ok"}

    @router.get("/readyz")
    async def readyz() -> JSONResponse:
        """Dependencies reachable and state caught up: 200, else 503 with what is missing."""
        checks = await readiness()
        ready = all(checks.values())
        return JSONResponse({"ready": ready, "checks": checks}, status_code=200 if ready else 503)

    if registry is not None:
        exposed = registry

        @router.get("/metrics")
        async def metrics() -> Response:
            return Response(generate_latest(exposed), media_type=CONTENT_TYPE_LATEST)

    return router
