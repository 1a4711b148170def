"""The gateway's side of request-reply: one call per route, with a timeout."""

from typing import Any

from fastapi import Request
from pydantic import BaseModel

from veche_gateway.state import gateway
from veche_shared import subjects
from veche_shared.bus import connection
from veche_shared.rpc import ServiceTimeout, ServiceUnavailable, call


async def ask(request: Request, service: str, operation: str, payload: BaseModel, timeout: float | None = None) -> Any:
    """RPC svc.<service>.<operation>; raises RpcError (503 down, 504 timeout, or the service's refusal)."""
    state = gateway(request)
    try:
        return await call(
            connection(state.broker),
            subjects.rpc(service, operation),
            payload,
            timeout=timeout or state.settings.rpc_timeout,
            request_id=request.state.request_id,
        )
    except ServiceTimeout:
        state.metrics.upstream_failures.labels(service, "timeout").inc()
        raise
    except ServiceUnavailable:
        state.metrics.upstream_failures.labels(service, "unavailable").inc()
        raise
