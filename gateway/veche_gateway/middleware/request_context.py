"""The request's context, made first: request id and client address (veche_gateway.context holds its type)."""

from starlette.types import ASGIApp, Receive, Scope, Send

from veche_gateway.asgi import header, header_values, with_headers
from veche_gateway.context import begin
from veche_gateway.middleware.client_address import ClientAddress, key_of
from veche_shared.contracts.common import new_id
from veche_shared.logs import request_id_var

REQUEST_ID = "X-Request-Id"


class RequestContextMiddleware:
    """Begins the request's RequestContext (request id, client address and key) and puts the request id into the
    logs' context and the X-Request-Id response header."""

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
        forwarded = header_values(scope, b"x-forwarded-for")
        address = self.client_address.of(client[0] if client else None, forwarded)
        begin(scope, request_id, str(address) if address else "", key_of(address))
        await self.app(scope, receive, with_headers(send, {REQUEST_ID: request_id}))
