"""The log lane (gateway middleware/log_lane.py) on a stand-in route: what it keeps, for how long, and only while
the nomination's board is public."""

from datetime import UTC, datetime

from starlette.types import Message, Receive, Scope, Send

from veche_gateway.live.boards import LiveBoards
from veche_gateway.middleware.log_lane import LogLane
from veche_shared.contracts.results import Leaderboard, LeaderboardChanged

LOG = "/api/v1/contests/c/nominations/n/log"


class Route:
    """Answers every request with the next status and Cache-Control it is given, and counts what reached it."""

    def __init__(self) -> None:
        self.reached = 0
        self.status = 200
        self.cache = b"public, max-age=31536000, immutable"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.reached += 1
        body = b"answer %d" % self.reached
        headers = [(b"content-length", str(len(body)).encode()), (b"cache-control", self.cache)]
        scope["route"] = "the declared route"
        await send({"type": "http.response.start", "status": self.status, "headers": headers})
        await send({"type": "http.response.body", "body": body})


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


async def unfetched(contest: str, nomination: str) -> Leaderboard:
    raise AssertionError("the lane never fetches a board")


def boards(visible: bool | None) -> LiveBoards:
    """The gateway's boards holding the nomination's board, visible or hidden, or none (None)."""
    held = LiveBoards(unfetched)
    if visible is not None:
        board = LeaderboardChanged(
            contest="c",
            nomination="n",
            visible=visible,
            total_votes=0,
            entries=[],
            version=1,
            updated_at=datetime.now(UTC),
        )
        assert held.receive(board)
    return held


async def get(lane: LogLane, path: str, query: bytes = b"", method: str = "GET") -> tuple[list[Message], Scope]:
    sent: list[Message] = []
    scope: Scope = {"type": "http", "method": method, "path": path, "query_string": query}

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        if message["type"] == "http.response.start":
            message["headers"].append((b"x-request-id", b"added by a middleware"))  # in place, as some do
        sent.append(message)

    await lane(scope, receive, send)
    return sent, scope


async def test_an_immutable_answer_is_sent_from_memory_as_the_route_sent_it() -> None:
    route = Route()
    lane = LogLane(route, boards(visible=True))
    first, _ = await get(lane, f"{LOG}/tile/0/000")
    await get(lane, f"{LOG}/tile/0/000")
    again, scope = await get(lane, f"{LOG}/tile/0/000")
    assert route.reached == 1
    assert again == first
    assert again[0]["headers"].count((b"x-request-id", b"added by a middleware")) == 1  # not once per read
    assert scope["route"] == "the declared route"  # the HTTP metrics label it as the route's
    await get(lane, f"{LOG}/tile/0/001")
    await get(lane, f"{LOG}/inclusion", b"index=1&size=2")
    await get(lane, f"{LOG}/inclusion", b"index=1&size=3")
    assert route.reached == 4  # each path and query is an answer of its own


async def test_nothing_is_sent_from_memory_while_the_board_is_hidden_or_unknown() -> None:
    for held in (boards(visible=False), boards(visible=None)):
        route = Route()
        lane = LogLane(route, held)
        for _ in range(3):
            await get(lane, f"{LOG}/tile/0/000")
        assert route.reached == 3


async def test_a_moving_answer_is_kept_a_second_and_a_refusal_not_at_all() -> None:
    route, clock = Route(), Clock()
    lane = LogLane(route, boards(visible=True), clock)
    route.cache = b"public, max-age=2"
    await get(lane, f"{LOG}/checkpoint")
    clock.now += 0.9
    assert (await get(lane, f"{LOG}/checkpoint"))[0][1]["body"] == b"answer 1"
    clock.now += 0.2
    assert (await get(lane, f"{LOG}/checkpoint"))[0][1]["body"] == b"answer 2"
    route.status, route.cache = 404, b"public, max-age=31536000, immutable"
    await get(lane, f"{LOG}/tile/1/000")
    await get(lane, f"{LOG}/tile/1/000")
    assert route.reached == 4


async def test_a_cosignature_passed_on_drops_the_kept_checkpoint() -> None:
    route = Route()
    route.cache = b"public, max-age=2"
    lane = LogLane(route, boards(visible=True))
    await get(lane, f"{LOG}/checkpoint")
    await get(lane, f"{LOG}/cosignature", method="POST")
    assert (await get(lane, f"{LOG}/checkpoint"))[0][1]["body"] == b"answer 3"
