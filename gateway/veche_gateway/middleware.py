"""Per-request plumbing: request id and client address (the body size limit is veche_gateway.bodylimit)."""

from fastapi import FastAPI
from starlette.types import ASGIApp, Receive, Scope, Send

from veche_gateway.asgi import header, with_headers
from veche_shared.contracts.common import new_id
from veche_shared.logs import request_id_var

REQUEST_ID = "X-Request-Id"


class Plumbing:
    """Puts request_id and client_ip on request.state (scope["state"]) and the request id into the logs' context."""

    def __init__(self, app: ASGIApp, trust_forwarded_for: bool) -> None:
        self.app = app
        self.trust_forwarded_for = trust_forwarded_for

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = header(scope, b"x-request-id") or ""
        request_id = incoming if 0 < len(incoming) <= 64 and incoming.isascii() else new_id()
        request_id_var.set(request_id)  # plain ASGI: the endpoint runs in this same context and sees it
        forwarded = (header(scope, b"x-forwarded-for") or "") if self.trust_forwarded_for else ""
        client = scope.get("client")
        state = scope.setdefault("state", {})
        state["request_id"] = request_id
        state["client_ip"] = forwarded.split(",")[0].strip() or (client[0] if client else "")
        await self.app(scope, receive, with_headers(send, {REQUEST_ID: request_id}))


def install(app: FastAPI, trust_forwarded_for: bool) -> None:
    app.add_middleware(Plumbing, trust_forwarded_for=trust_forwarded_for)
