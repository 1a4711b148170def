"""Live leaderboards from the gateway's memory: GET with ETag / 304, and a Server-Sent Events stream."""

import weakref
from typing import Annotated

from fastapi import APIRouter, Header, Request, Response
from fastapi.responses import StreamingResponse

from veche_gateway.api.deps import Refusals
from veche_gateway.context import request_context
from veche_gateway.live import sse
from veche_gateway.state import gateway
from veche_shared.contracts.common import Id
from veche_shared.contracts.results import Leaderboard

router = APIRouter(prefix="/api/v1/contests/{contest}/nominations/{nomination}", tags=["public"])


def matches(if_none_match: str | None, etag: str) -> bool:
    if if_none_match is None:
        return False
    return if_none_match.strip() == "*" or etag in (t.strip().removeprefix("W/") for t in if_none_match.split(","))


@router.get("/leaderboard", response_model=Leaderboard, responses=Refusals | {304: {"description": "not modified"}})
async def leaderboard(
    request: Request, contest: Id, nomination: Id, if_none_match: Annotated[str | None, Header()] = None
) -> Response:
    """Live standings of a nomination from memory (numbers only when the contest's visibility allows)."""
    state = gateway(request)
    cached = state.boards.known(contest, nomination) is not None
    snapshot = (await state.boards.board(contest, nomination)).snapshot
    assert snapshot is not None  # board() hands out only boards that hold a snapshot
    stale = state.settings.leaderboard_stale_while_revalidate
    headers = {"ETag": snapshot.etag, "Cache-Control": f"public, max-age=1, stale-while-revalidate={stale}"}
    if matches(if_none_match, snapshot.etag):
        state.metrics.cache_hits.labels("not_modified" if cached else "miss").inc()
        return Response(status_code=304, headers=headers)
    state.metrics.cache_hits.labels("hit" if cached else "miss").inc()
    return Response(snapshot.body, media_type="application/json", headers=headers)


@router.get(
    "/leaderboard/stream",
    response_class=StreamingResponse,
    responses=Refusals | {200: {"content": {"text/event-stream": {}}, "description": "leaderboard events"}},
)
async def leaderboard_stream(
    request: Request, contest: Id, nomination: Id, last_event_id: Annotated[str | None, Header()] = None
) -> Response:
    """Server-Sent Events: `leaderboard` events (id = version) and heartbeats; resume with Last-Event-ID."""
    state = gateway(request)
    board = await state.boards.board(contest, nomination)
    release = state.streams.acquire(request_context(request).client_key)  # refuse with 429 before the response starts
    unfollow = state.boards.follow(board)

    def done() -> None:
        release()
        unfollow()

    resume = sse.last_event_id(last_event_id)
    stream = sse.EventStream(board, resume, state.settings.sse_retry_ms, done)
    weakref.finalize(stream, done)  # a stream dropped before it started still gives its slot back
    return stream
