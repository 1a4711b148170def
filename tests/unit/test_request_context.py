"""One typed context per request: made once by the outermost of the gateway's middlewares, read by everything
after it through request_context(), and shared by the copies of the scope a middleware may make (HEAD)."""

from typing import Any

from starlette.types import Message, Receive, Scope, Send

from veche_gateway.context import RequestContext, request_context
from veche_gateway.middleware.client_address import ClientAddress
from veche_gateway.middleware.head_requests import HeadAsGet
from veche_gateway.middleware.request_context import RequestContextMiddleware


def http_scope(method: str = "GET", headers: list[tuple[bytes, bytes]] | None = None) -> dict[str, Any]:
    return {"type": "http", "method": method, "path": "/x", "headers": headers or [], "client": ("2001:db8::7", 5)}


async def run(app: Any, scope: Scope) -> list[Message]:
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b""}

    async def send(message: Message) -> None:
        sent.append(message)

    await app(scope, receive, send)
    return sent


class Seen:
    """An endpoint that keeps the context it was handed and answers 204."""

    def __init__(self) -> None:
        self.contexts: list[RequestContext] = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.contexts.append(request_context(scope))
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})


async def test_the_context_is_made_once_with_the_request_id_and_the_client() -> None:
    endpoint = Seen()
    app = RequestContextMiddleware(endpoint, client_address=ClientAddress([]))
    scope = http_scope(headers=[(b"x-request-id", b"req-1")])
    sent = await run(app, scope)
    (context,) = endpoint.contexts
    assert (context.request_id, context.client_ip, context.client_key) == ("req-1", "2001:db8::7", "2001:db8::/64")
    assert context is request_context(scope)  # the same object for every reader of this request
    assert (b"x-request-id", b"req-1") in sent[0]["headers"]


async def test_a_malformed_request_id_is_replaced() -> None:
    endpoint = Seen()
    app = RequestContextMiddleware(endpoint, client_address=ClientAddress([]))
    await run(app, http_scope(headers=[(b"x-request-id", b"x" * 65)]))
    assert endpoint.contexts[0].request_id not in ("", "x" * 65)


async def test_a_copied_scope_shares_the_context() -> None:
    """HeadAsGet hands a copy of the scope inward: what a gate writes there, the outer audit trail reads."""
    endpoint = Seen()
    app = RequestContextMiddleware(HeadAsGet(endpoint), client_address=ClientAddress([]))
    scope = http_scope(method="HEAD")
    await run(app, scope)
    assert endpoint.contexts[0] is request_context(scope)


def test_a_request_that_met_no_middleware_gets_an_empty_context() -> None:
    scope: dict[str, Any] = {"type": "http"}
    context = request_context(scope)
    assert (context.request_id, context.client_key, context.operator) == ("", "", None)
    assert request_context(scope) is context
