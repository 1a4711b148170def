"""The gateway's side of request-reply: one typed call per route, with a timeout."""

from fastapi import Request

from veche_gateway.context import request_context
from veche_gateway.state import Gateway, gateway
from veche_shared.bus import connection
from veche_shared.errors import ServiceTimeout, ServiceUnavailable
from veche_shared.rpc import Operation, Rep, Req, call


async def ask(request: Request, op: Operation[Req, Rep], payload: Req, timeout: float | None = None) -> Rep:
    """The operation's validated reply; raises its DomainError (ServiceUnavailable, ServiceTimeout, or the
    service's refusal), which errors.py turns into an HTTP answer."""
    return await call_op(gateway(request), op, payload, request_context(request).request_id, timeout)


async def call_op(
    state: Gateway, op: Operation[Req, Rep], payload: Req, request_id: str, timeout: float | None = None
) -> Rep:
    """ask without a Request (for the plain ASGI lanes of veche_gateway.middleware.fastlane)."""
    try:
        return await call(
            connection(state.broker), op, payload, timeout=timeout or state.settings.rpc_timeout, request_id=request_id
        )
    except ServiceTimeout:
        state.metrics.upstream_failures.labels(op.service, "timeout").inc()
        raise
    except ServiceUnavailable:
        state.metrics.upstream_failures.labels(op.service, "unavailable").inc()
        raise
