"""The transparency log's repeated reads answered from memory as bytes, as the leaderboard's are (ADR 0007).

A log read the route answered with 200 is kept exactly as it was sent, under its path and query: for good when it
is `immutable` (a full tile, a proof or an entry's index against a signed size, a consistency proof), for one
second when it moves (the latest checkpoint, a proof against it, a partial tile: all `max-age=2`). The next same
read is sent from memory, innermost like the fast lane, so every middleware still wraps it and only FastAPI's
routing, parameters, upstream call and JSON rendering are skipped (bench/README.md, `make tlog-reads`).

A kept answer is sent only while the board the gateway holds for its nomination is visible: a log is public exactly
when the results are (docs/verifiability.md); otherwise the route answers, and the results service refuses.
A cosignature passed on through this gateway drops the kept checkpoint of its log, as the route's cache does.
"""

import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from veche_gateway.live.boards import LiveBoards

ENTRIES = 4_096  # a full tile is 8 KiB: 32 MiB at most, like api/log_reads.py
MOVING_SECONDS = 1.0
Key = tuple[str, bytes]


def log_read(path: str) -> tuple[str, str, str] | None:
    """(contest, nomination, what) of /api/v1/contests/{c}/nominations/{n}/log/{what...}."""
    parts = path.split("/", 8)
    if len(parts) != 9 or parts[1:4] != ["api", "v1", "contests"] or parts[5] != "nominations" or parts[7] != "log":
        return None
    return parts[4], parts[6], parts[8]


@dataclass(frozen=True)
class Kept:
    start: Message
    body: bytes
    route: Any  # the declared route, for the HTTP metrics' label
    until: float | None  # None: immutable


def lifetime(start: Message) -> float | None:
    """How long an answer may be kept: forever if immutable, a second if it moves, 0 for anything else."""
    if start["status"] != 200:
        return 0.0
    cache = dict(start.get("headers", [])).get(b"cache-control", b"")
    if b"immutable" in cache:
        return None
    return MOVING_SECONDS if cache == b"public, max-age=2" else 0.0


class LogLane:
    def __init__(self, app: ASGIApp, boards: LiveBoards, clock: Callable[[], float] = time.monotonic) -> None:
        self.app = app
        self.boards = boards
        self.clock = clock
        self.kept: OrderedDict[Key, Kept] = OrderedDict()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        target = log_read(scope["path"]) if scope["type"] == "http" else None
        if target is None:
            await self.app(scope, receive, send)
            return
        contest, nomination, what = target
        if scope["method"] == "POST" and what == "cosignature":
            self.kept.pop((f"/api/v1/contests/{contest}/nominations/{nomination}/log/checkpoint", b""), None)
        if scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        key = (scope["path"], scope["query_string"])
        kept = self.kept.get(key)
        if kept is not None and (kept.until is None or kept.until > self.clock()) and self.public(contest, nomination):
            self.kept.move_to_end(key)
            scope["route"] = kept.route
            await send({**kept.start, "headers": list(kept.start["headers"])})  # the middlewares add their own
            await send({"type": "http.response.body", "body": kept.body})
            return
        await self.app(scope, receive, self.keeping(scope, key, send))

    def public(self, contest: str, nomination: str) -> bool:
        held = self.boards.known(contest, nomination)
        return held is not None and held.snapshot is not None and held.snapshot.board.visible

    def keeping(self, scope: Scope, key: Key, send: Send) -> Send:
        """send, keeping a copy of a 200 the route answers that may be kept."""
        started: list[Message] = []
        chunks: list[bytes] = []

        async def keep(message: Message) -> None:
            if message["type"] == "http.response.start":  # as the route sent it, before a middleware adds to it
                started.append({**message, "headers": list(message.get("headers", []))})
            await send(message)
            if message["type"] == "http.response.start":
                return
            if not started or lifetime(started[0]) == 0.0:
                return
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                seconds = lifetime(started[0])
                until = None if seconds is None else self.clock() + seconds
                self.kept[key] = Kept(started[0], b"".join(chunks), scope.get("route"), until)
                self.kept.move_to_end(key)
                if len(self.kept) > ENTRIES:
                    self.kept.popitem(last=False)

        return keep
