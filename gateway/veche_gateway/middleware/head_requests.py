"""HEAD wherever GET works (CDNs and link checkers send it): the GET answer's status and headers, no body."""

import contextlib

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class HeadDone(Exception):
    """Stops a streaming GET (an SSE stream never ends by itself) once its headers went out for a HEAD."""


class HeadAsGet:
    """Routes a HEAD as GET and sends only the start of the response and an empty end."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return
        ended = False
        as_get = {**scope, "method": "GET"}  # a copy: outer middlewares still see (and count) a HEAD

        async def send_head(message: Message) -> None:
            nonlocal ended
            if message["type"] != "http.response.body":
                if "route" in as_get:
                    scope["route"] = as_get["route"]  # the route template, for the HTTP metrics
                await send(message)
                return
            if not ended:  # Content-Length of the start stays the GET body's, as RFC 9110 allows for HEAD
                ended = True
                await send({"type": "http.response.body", "body": b"", "more_body": False})
            if message.get("more_body", False):
                raise HeadDone

        with contextlib.suppress(HeadDone):
            await self.app(as_get, receive, send_head)
