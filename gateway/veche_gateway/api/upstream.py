"""The gateway's side of request-reply: one typed call per route, with a timeout."""

from collections.abc import Callable

from fastapi import Request

from veche_gateway.context import RequestContext, request_context
from veche_gateway.state import Gateway, gateway
from veche_shared.bus import connection
from veche_shared.contracts.audit import Actor
from veche_shared.errors import ServiceTimeout, ServiceUnavailable
from veche_shared.rpc import Operation, Rep, Req, call


async def ask(request: Request, op: Operation[Req, Rep], payload: Req, timeout: float | None = None) -> Rep:
    """The operation's validated reply; raises its DomainError (ServiceUnavailable, ServiceTimeout, or the
    service's refusal), which errors.py turns into an HTTP answer. The request's operator or representative goes
    along as its actor, and a change the service recorded in the audit trail is not recorded again here."""
    context = request_context(request)

    def recorded(entry: str) -> None:
        context.recorded = entry

    return await call_op(
        gateway(request), op, payload, context.request_id, timeout, actor_of(request, context), recorded
    )


def actor_of(request: Request, context: RequestContext) -> Actor | None:
    """Who asks: the operator of the request, or the representative by their invitation's id; None for the public."""
    route = request.scope.get("route")
    action = getattr(getattr(route, "endpoint", None), "__name__", None)
    path = f"{request.method} {getattr(route, 'path', request.url.path)}"
    if context.operator is not None:
        operator = context.operator
        return Actor(kind="operator", name=operator.name, role=operator.role, action=action, route=path)
    if context.invitation is not None:
        invitation = context.invitation.id
        return Actor(kind="representative", name=invitation, role="representative", action=action, route=path)
    return None


async def call_op(
    state: Gateway,
    op: Operation[Req, Rep],
    payload: Req,
    request_id: str,
    timeout: float | None = None,
    actor: Actor | None = None,
    on_recorded: Callable[[str], None] | None = None,
) -> Rep:
    """ask without a Request (for the plain ASGI lanes of veche_gateway.middleware.fastlane)."""
    try:
        wait = timeout or state.settings.rpc_timeout
        return await call(
            connection(state.broker), op, payload, timeout=wait, request_id=request_id, actor=actor,
            on_recorded=on_recorded,
        )  # fmt: skip
    except ServiceTimeout:
        state.metrics.upstream_failures.labels(op.service, "timeout").inc()
        raise
    except ServiceUnavailable:
        state.metrics.upstream_failures.labels(op.service, "unavailable").inc()
        raise
