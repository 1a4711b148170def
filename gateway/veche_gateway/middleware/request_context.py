"""Per-request plumbing: request id and client address (the body size limit is veche_gateway.middleware.body_limit)."""

from starlette.types import ASGIApp, Receive, Scope, Send

from veche_gateway.asgi import header, header_values, with_headers
from veche_gateway.middleware.client_address import ClientAddress, key_of
from veche_shared.contracts.common import new_id
from veche_shared.logs import request_id_var

REQUEST_ID = "X-Request-Id"


class Plumbing:
    """Puts request_id, client_ip (the client's address) and client_key (what per-address limits and ip_hash key
    on: the address, an IPv6 client's /64) on request.state (scope["state"]), the request id into the logs' context."""

    def __init__(self, app: ASGIApp, client_address: ClientAddress) -> None:
        self.app = app
        self.client_address = client_address

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = header(scope, b"x-request-id") or ""
        request_id = incoming if 0 < len(incoming) <= 64 and incoming.isascii() else new_id()
        request_id_var.set(request_id)  # plain ASGI: the endpoint runs in this same context and sees it
        client = scope.get("client")
        state = scope.setdefault("state", {})
        state["request_id"] = request_id
        forwarded = header_values(scope, b"x-forwarded-for")
        address = self.client_address.of(client[0] if client else None, forwarded)
        state["client_ip"], state["client_key"] = (str(address) if address else ""), key_of(address)
        await self.app(scope, receive, with_headers(send, {REQUEST_ID: request_id}))
