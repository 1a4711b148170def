"""A Server-Sent Events client on raw asyncio sockets: thousands of streams in one process, cheaply.

Each stream keeps only (arrival time, event id) pairs; the gateway's event id is the leaderboard version, so
the data lines need not be parsed. Chunked transfer framing is skipped over: an event's `id:` line always starts
right after a newline, and JSON data never holds a raw newline.
"""

import asyncio
import time
from collections.abc import Callable

ID_LINE = b"\nid: "


class EventStream(asyncio.Protocol):
    """One open stream; `opened` resolves with the HTTP status once the first event (or a refusal) arrived."""

    def __init__(self, request: bytes, on_event: Callable[[int], None] | None = None) -> None:
        self.request = request
        self.on_event = on_event
        self.events: list[tuple[float, int]] = []
        self.status: int | None = None
        self.opened: asyncio.Future[int] = asyncio.get_running_loop().create_future()
        self.closed = asyncio.Event()
        self.transport: asyncio.Transport | None = None
        self._buffer = b""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        transport.write(self.request)

    def data_received(self, data: bytes) -> None:
        now = time.monotonic()
        buffer = self._buffer + data
        if self.status is None:
            self.status = int(buffer[9:12])  # "HTTP/1.1 200 OK"
            if self.status != 200:
                self._open()
        while (start := buffer.find(ID_LINE)) >= 0:
            end = buffer.find(b"\n", start + 1)
            if end < 0:  # an id line cut in two by the network: keep it for the next read
                break
            version = int(buffer[start + len(ID_LINE) : end])
            self.events.append((now, version))
            buffer = buffer[end:]
            self._open()
            if self.on_event is not None:
                self.on_event(version)
        self._buffer = buffer[start:] if start >= 0 else buffer[-len(ID_LINE) + 1 :]

    def connection_lost(self, exc: Exception | None) -> None:
        self._open()
        self.closed.set()

    def close(self) -> None:
        if self.transport is not None:
            self.transport.close()

    def _open(self) -> None:
        if not self.opened.done():
            self.opened.set_result(self.status or 0)


def request(host: str, port: int, path: str) -> bytes:
    return f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nAccept: text/event-stream\r\n\r\n".encode()


async def open_stream(
    host: str, port: int, path: str, on_event: Callable[[int], None] | None = None, timeout: float = 10.0
) -> EventStream:
    """Connect and wait for the first event (the current snapshot); raise if the gateway refuses."""
    loop = asyncio.get_running_loop()
    _, stream = await loop.create_connection(lambda: EventStream(request(host, port, path), on_event), host, port)
    status = await asyncio.wait_for(stream.opened, timeout)
    if status != 200 or not stream.events:
        stream.close()
        raise ConnectionError(f"stream {path} answered {status} with no event")
    return stream
