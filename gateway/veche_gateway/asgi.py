"""Helpers of the gateway's plain ASGI middlewares: no Request or Response object, no task per request."""

from collections.abc import Iterable

from starlette.types import Message, Scope, Send


def header(scope: Scope, name: bytes) -> str | None:
    """The first value of the request header `name` (lower case), as Starlette's `request.headers.get` reads it."""
    for key, value in scope["headers"]:
        if key == name:
            return str(value.decode("latin-1"))
    return None


def header_values(scope: Scope, name: bytes) -> list[str]:
    """Every value of the request header `name` (lower case), in the order received."""
    return [value.decode("latin-1") for key, value in scope["headers"] if key == name]


def set_headers(message: Message, headers: dict[str, str]) -> None:
    """Set headers on an http.response.start message, replacing those of the same name (as MutableHeaders does);
    Vary is the exception: its names join those already there (Accept-Encoding and Origin both matter to a cache)."""
    names = {name.lower().encode("latin-1") for name in headers}
    kept = message.get("headers", ())
    raw = [(k, v) for k, v in kept if k.lower() not in names]
    for name, value in headers.items():
        if name.lower() == "vary":
            value = ", ".join(dict.fromkeys([*vary_names(kept), *(v.strip() for v in value.split(","))]))
        raw.append((name.lower().encode("latin-1"), value.encode("latin-1")))
    message["headers"] = raw


def vary_names(headers: Iterable[tuple[bytes, bytes]]) -> list[str]:
    return [v.strip() for k, value in headers if k.lower() == b"vary" for v in value.decode("latin-1").split(",")]


def with_headers(send: Send, headers: dict[str, str]) -> Send:
    """send, adding headers to the response's start."""

    async def send_with_headers(message: Message) -> None:
        if message["type"] == "http.response.start":
            set_headers(message, headers)
        await send(message)

    return send_with_headers
