"""Lean paths for the hottest routes: a vote, a cached leaderboard read and a leaderboard's event stream.

Installed innermost, so every middleware (metrics, request id and client address, browser policy, body limit,
rate limits, HEAD, problem+json for faults) still wraps them. Only FastAPI's per-request work is skipped:
routing, dependency resolution, response-model validation and rendering. Each lane takes only the request it
can answer exactly as the declared route would (a well-formed vote, a board already in memory); everything
else goes on to that route unchanged (with the body already read handed on), so refusals such as 401 and 422
keep their one implementation. The routes stay declared in api/routes/public.py / live.py for OpenAPI and as that
fallback; the lane sets scope["route"] to them, so the HTTP metrics label both alike.
"""

import gzip
import re

from fastapi.routing import APIRoute, APIRouter
from pydantic import ValidationError
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from veche_gateway import errors
from veche_gateway.api.routes import live as live_routes
from veche_gateway.api.routes import public as public_routes
from veche_gateway.api.routes.live import matches
from veche_gateway.api.upstream import call_op
from veche_gateway.asgi import header
from veche_gateway.context import request_context
from veche_gateway.live import sse
from veche_gateway.live.boards import Board, LiveBoards, Snapshot
from veche_gateway.state import Gateway
from veche_shared.contracts import votes
from veche_shared.contracts.votes import ClientKind, VoteRequest
from veche_shared.errors import DomainError
from veche_shared.operations import voting as voting_ops
from veche_shared.subjects import TOKEN_PATTERN

PREFIX = "/api/v1/contests/{contest}/nominations/{nomination}"
LEADERBOARD, VOTES = PREFIX + "/leaderboard", PREFIX + "/votes"
READS = frozenset({"leaderboard", "leaderboard/stream"})
TOKEN = re.compile(TOKEN_PATTERN)
IDEMPOTENCY_KEY = re.compile(r"^[A-Za-z0-9_-]{8,128}$")
Headers = list[tuple[bytes, bytes]]
GZIP_FROM = 500  # bytes of JSON: below it gzip gains too little for its header and CPU


def board_path(path: str) -> tuple[str, str, str] | None:
    """(contest, nomination, rest) of /api/v1/contests/{c}/nominations/{n}/{rest} (one or two segments)."""
    parts = path.split("/", 9)
    if not 8 <= len(parts) <= 9 or parts[1:4] != ["api", "v1", "contests"] or parts[5] != "nominations":
        return None
    return parts[4], parts[6], "/".join(parts[7:])


def route(router: APIRouter, path: str, method: str) -> APIRoute:
    """The declared route (what FastAPI's router puts in scope["route"]; its path is the template)."""
    return next(r for r in router.routes if isinstance(r, APIRoute) and r.path == path and method in (r.methods or ()))


async def read_body(receive: Receive) -> bytes:
    """The whole request body (through the middlewares' receive, so the body limit still counts it)."""
    chunks = []
    while True:
        message = await receive()
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(chunks)


def replay(body: bytes, receive: Receive) -> Receive:
    """receive for the fallback route: the body already read, then whatever comes next (a disconnect)."""
    pending = [{"type": "http.request", "body": body, "more_body": False}]

    async def replayed() -> Message:
        return pending.pop() if pending else await receive()

    return replayed


def bearer(scope: Scope) -> str | None:
    """The token of `Authorization: Bearer <token>`, as FastAPI's HTTPBearer reads it."""
    scheme, _, token = (header(scope, b"authorization") or "").partition(" ")
    return token if scheme.lower() == "bearer" and token else None


def json_body(content_type: str | None) -> bool:
    """Whether FastAPI would parse the body as JSON (no Content-Type, or application/json or */*+json)."""
    if content_type is None:
        return True
    kind = content_type.split(";", 1)[0].strip().lower()
    return kind == "application/json" or (kind.startswith("application/") and kind.endswith("+json"))


class CachedBoard:
    """The start messages of one snapshot's 200 and 304, and its gzip body, built once per snapshot (a big board's
    JSON shrinks about 5x; a small one is sent as it is)."""

    def __init__(self, snapshot: Snapshot, cache_control: bytes) -> None:
        self.snapshot = snapshot
        common = [(b"etag", snapshot.etag.encode()), (b"cache-control", cache_control), (b"vary", b"Accept-Encoding")]
        self.ok = self.start(common, snapshot.body)
        self.gzipped = gzip.compress(snapshot.body, 6, mtime=0) if len(snapshot.body) >= GZIP_FROM else None
        self.ok_gzipped = self.start([*common, (b"content-encoding", b"gzip")], self.gzipped or b"")
        self.not_modified: Headers = common

    @staticmethod
    def start(common: Headers, body: bytes) -> Headers:
        return [*common, (b"content-length", str(len(body)).encode()), (b"content-type", b"application/json")]


class FastLane:
    def __init__(self, app: ASGIApp, state: Gateway) -> None:
        self.app = app
        self.state = state
        self.boards: LiveBoards = state.boards
        self.leaderboard_route = route(live_routes.router, LEADERBOARD, "GET")
        self.vote_route = route(public_routes.router, VOTES, "POST")
        self.stream_route = route(live_routes.router, LEADERBOARD + "/stream", "GET")
        stale = state.settings.leaderboard_stale_while_revalidate
        self.cache_control = f"public, max-age=1, stale-while-revalidate={stale}".encode()
        self.hits = {o: state.metrics.cache_hits.labels(o) for o in ("hit", "not_modified")}
        self.cached: dict[tuple[str, str], CachedBoard] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        target = board_path(scope["path"]) if scope["type"] == "http" else None
        if target is not None:
            contest, nomination, last = target
            board = self.boards.known(contest, nomination) if last in READS and scope["method"] == "GET" else None
            if board is not None and board.snapshot is not None and last == "leaderboard":
                await self.leaderboard(scope, send, (contest, nomination), board.snapshot)
                return
            if board is not None:
                await self.stream(scope, receive, send, board)
                return
            if last == "votes" and scope["method"] == "POST":
                await self.vote(scope, receive, send, contest, nomination)
                return
        await self.app(scope, receive, send)

    async def leaderboard(self, scope: Scope, send: Send, key: tuple[str, str], snapshot: Snapshot) -> None:
        """GET .../leaderboard of a board in memory (the route's cache hit): bytes, ETag, 304."""
        scope["route"] = self.leaderboard_route
        cached = self.cached.get(key)
        if cached is None or cached.snapshot is not snapshot:
            cached = self.cached[key] = CachedBoard(snapshot, self.cache_control)
        if matches(header(scope, b"if-none-match"), cached.snapshot.etag):
            self.hits["not_modified"].inc()
            await send({"type": "http.response.start", "status": 304, "headers": cached.not_modified})
            await send({"type": "http.response.body", "body": b""})
            return
        self.hits["hit"].inc()
        if cached.gzipped is not None and "gzip" in (header(scope, b"accept-encoding") or ""):
            await send({"type": "http.response.start", "status": 200, "headers": cached.ok_gzipped})
            await send({"type": "http.response.body", "body": cached.gzipped})
            return
        await send({"type": "http.response.start", "status": 200, "headers": cached.ok})
        await send({"type": "http.response.body", "body": cached.snapshot.body})

    async def stream(self, scope: Scope, receive: Receive, send: Send, board: Board) -> None:
        """GET .../leaderboard/stream of a board in memory: the route's event stream, without the route's per-request
        objects held for the stream's whole life (a gateway process holds many thousands of streams)."""
        scope["route"] = self.stream_route
        try:
            release = self.state.streams.acquire(request_context(scope).client_key)
        except DomainError as exc:
            await errors.domain_problem(scope, exc)(scope, receive, send)
            return
        unfollow = self.boards.follow(board)

        def done() -> None:
            release()
            unfollow()

        resume = sse.last_event_id(header(scope, b"last-event-id"))
        await sse.EventStream(board, resume, self.state.settings.sse_retry_ms, done)(scope, receive, send)

    async def vote(self, scope: Scope, receive: Receive, send: Send, contest: str, nomination: str) -> None:
        """POST .../votes: a well-formed ballot goes straight to the voting service; anything else to the route."""
        body = await read_body(receive)
        command = self.cast_command(scope, contest, nomination, body)
        if command is None:
            await self.app(scope, replay(body, receive), send)
            return
        scope["route"] = self.vote_route
        request_id = request_context(scope).request_id
        try:
            accepted = await call_op(self.state, voting_ops.BALLOT_CAST, command, request_id)
        except DomainError as exc:
            await errors.domain_problem(scope, exc)(scope, receive, send)
            return
        status = 200 if accepted.status == "retry" else 202
        answer = accepted.model_dump_json().encode()
        length = str(len(answer)).encode()
        headers = [(b"content-length", length), (b"content-type", b"application/json")]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": answer})

    def cast_command(self, scope: Scope, contest: str, nomination: str, body: bytes) -> votes.CastVote | None:
        """The command the route would send, or None where the route would refuse (it answers those)."""
        token, key = bearer(scope), header(scope, b"idempotency-key")
        if not json_body(header(scope, b"content-type")):
            return None
        if token is None or not (TOKEN.fullmatch(contest) and TOKEN.fullmatch(nomination)):
            return None
        if key is not None and not IDEMPOTENCY_KEY.fullmatch(key):
            return None
        try:
            practices = VoteRequest.model_validate_json(body).practices
            return votes.CastVote(
                contest=contest,
                nomination=nomination,
                practices=practices,
                token=token,
                idempotency_key=key,
                client_ip=request_context(scope).client_key,
                client_kind=ClientKind.api,
            )
        except ValidationError:
            return None
