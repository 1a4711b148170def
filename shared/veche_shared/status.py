"""svc.<service>.health.status: every service answers with its readiness checks, for the gateway's /ops page."""

import time

from fastapi import FastAPI
from faststream.nats import NatsBroker
from prometheus_client import CollectorRegistry

from veche_shared.contracts.common import Empty
from veche_shared.contracts.ops import ServiceStatus
from veche_shared.operations.health import status_of
from veche_shared.rpc import serve
from veche_shared.web import ReadinessCheck, ops_router


def serve_status(broker: NatsBroker, service: str, readiness: ReadinessCheck) -> None:
    """Answer svc.<service>.health.status with the same checks as /readyz (one instance of the queue group answers)."""
    started = time.monotonic()

    async def status(_: Empty) -> ServiceStatus:
        checks = await readiness()
        return ServiceStatus(
            service=service, ready=all(checks.values()), checks=checks, uptime_seconds=time.monotonic() - started
        )

    serve(broker, status_of(service), status)


def install_health(
    app: FastAPI, broker: NatsBroker, service: str, readiness: ReadinessCheck, registry: CollectorRegistry
) -> None:
    """/healthz, /readyz and /metrics over HTTP, and the same readiness over NATS as svc.<service>.health.status."""
    app.include_router(ops_router(readiness, registry))
    serve_status(broker, service, readiness)
