"""Request bodies up to max_body_bytes (a few upload routes allow more): counted as they arrive (chunked ones
too), 413 beyond."""

import re
from collections.abc import Mapping

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from veche_gateway.asgi import header
from veche_gateway.errors import refusal


class BodyTooLarge(HTTPException):
    """Raised from receive: FastAPI passes HTTPExceptions of body reading on, and errors.py renders them."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"the body exceeds {limit} bytes")


class BodyLimit:
    """Refuses a declared Content-Length over the limit at once, and any body once its bytes pass the limit."""

    def __init__(
        self, app: ASGIApp, max_body_bytes: int, uploads: Mapping[str, int], patterns: Mapping[str, int] | None = None
    ) -> None:
        self.app = app
        self.default = max_body_bytes
        self.uploads = uploads  # path -> its own limit (e.g. the municipality CSV)
        self.patterns = [(re.compile(p), limit) for p, limit in (patterns or {}).items()]  # paths with ids (photos)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit(scope["path"])
        length = header(scope, b"content-length")
        if length is not None and (not length.isdigit() or int(length) > limit):
            await refusal(scope, 413, "body_too_large", f"the body exceeds {limit} bytes")(scope, receive, send)
            return
        started = False

        async def watched_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, self.counted(receive, limit), watched_send)
        except BodyTooLarge as exc:  # read outside FastAPI's body parsing: answer here if nothing was sent yet
            if started:
                raise
            await refusal(scope, 413, "body_too_large", exc.detail)(scope, receive, send)

    def limit(self, path: str) -> int:
        if path in self.uploads:
            return self.uploads[path]
        return next((limit for pattern, limit in self.patterns if pattern.match(path)), self.default)

    def counted(self, receive: Receive, limit: int) -> Receive:
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        return counting_receive
