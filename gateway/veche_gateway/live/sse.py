"""Server-Sent Events of one leaderboard: the current snapshot, every change after it, and heartbeats."""

import asyncio
from collections import Counter
from collections.abc import Callable

from starlette.responses import Response
from starlette.types import Message, Receive, Scope, Send

from veche_gateway.live.boards import Board, Snapshot
from veche_shared.errors import TooMany, Unavailable

HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
HEARTBEAT: Message = {"type": "http.response.body", "body": b": heartbeat\n\n", "more_body": True}


def frame(snapshot: Snapshot) -> bytes:
    """One `leaderboard` event whose id is the snapshot's public version, so a reconnect resumes from it."""
    return snapshot.frame


def last_event_id(header: str | None) -> int | None:
    return int(header) if header is not None and header.isdigit() and len(header) <= 18 else None


class EventStream(Response):
    """The snapshot unless the client resumes from its version, then each change; comments when nothing happens.

    Lean on purpose, since one gateway process holds many thousands of these: written straight to ASGI send, no
    task group, generator or timer per stream; the board's shared future wakes it (on a change or a heartbeat
    tick) and one small task reading receive ends it when the client goes. A board that becomes hidden falls back
    to version 0, so a resumed client is sent any version but its own.
    """

    media_type = "text/event-stream"

    def __init__(self, board: Board, resume_from: int | None, retry_ms: int, done: Callable[[], None]) -> None:
        self.status_code, self.background = 200, None
        self.init_headers(HEADERS)  # no body: no Content-Length
        self.board, self.resume_from, self.retry_ms, self.done = board, resume_from, retry_ms, done

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        task = asyncio.current_task()
        assert task is not None
        watcher = asyncio.ensure_future(_disconnected(receive, task))
        try:
            await send({"type": "http.response.start", "status": 200, "headers": self.raw_headers})
            await send({"type": "http.response.body", "body": b"retry: %d\n\n" % self.retry_ms, "more_body": True})
            await self._follow(send)
        except asyncio.CancelledError:
            if not watcher.done() or watcher.cancelled():  # not cancelled by the watcher: a shutdown
                raise
            task.uncancel()  # the client left: a normal end of the response
        finally:
            watcher.cancel()
            self.done()

    async def _follow(self, send: Send) -> None:
        board, sent = self.board, None
        while True:
            current = board.snapshot
            if (
                current is not None
                and current is not sent
                and (sent is not None or current.version != self.resume_from)
            ):
                await send({"type": "http.response.body", "body": current.frame, "more_body": True})
                sent = current
                continue
            await board.woken()
            if board.snapshot is current:  # a heartbeat tick, not a change
                await send(HEARTBEAT)


async def _disconnected(receive: Receive, stream: "asyncio.Task[object]") -> None:
    """Cancel the stream once the client has gone (and then end, so that the stream can tell who cancelled it)."""
    while (await receive())["type"] != "http.disconnect":
        pass
    stream.cancel()


class Connections:
    """Open streams per client IP and on the whole process, refused beyond either limit."""

    def __init__(self, per_ip: int, most: int = 25_000) -> None:
        self._per_ip = per_ip
        self._most = most
        self._open: Counter[str] = Counter()

    def acquire(self, ip: str) -> Callable[[], None]:
        """Take a slot for ip (429 when its own are spent, 503 when the process is full); the returned release may
        be called any number of times."""
        if self._open[ip] >= self._per_ip:
            raise TooMany("too_many_streams", f"at most {self._per_ip} open streams per address")
        if self._open.total() >= self._most:  # many addresses together (issue 26): memory stays bounded
            raise Unavailable("streams_full", "this server carries as many live streams as it can; try again")
        self._open[ip] += 1
        released = False

        def release() -> None:
            nonlocal released
            if not released:
                released = True
                self._open[ip] -= 1
                if not self._open[ip]:
                    del self._open[ip]

        return release

    def total(self) -> int:
        return self._open.total()
