"""The latest public snapshot of every leaderboard, in memory: fed by live.leaderboard.>, warmed by RPC.

Readers never get a task or a timer of their own: each board keeps the futures its waiting followers await and
resolves them on every change and on every heartbeat tick, so a waiting SSE
client wakes up, reads the current snapshot and goes back to waiting. One ticker per process wakes the boards
that have followers every heartbeat interval (bench/README.md, scenario 5: 20,000 streams on one process).
"""

import asyncio
import hashlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from faststream.nats import NatsBroker
from faststream.nats.annotations import NatsMessage
from pydantic import ValidationError

from veche_shared import subjects
from veche_shared.bus import connection
from veche_shared.contracts.results import Leaderboard, LeaderboardChanged, LeaderboardQuery
from veche_shared.errors import ServiceUnavailable, Unavailable
from veche_shared.operations import results as ops
from veche_shared.rpc import call
from veche_shared.tlog.note import Verifier
from veche_shared.tlog.seal import holds

log = logging.getLogger("veche.gateway.live")
Key = tuple[str, str]
Fetch = Callable[[str, str], Awaitable[Leaderboard]]


# A board's version is the last ledger sequence applied to it: never past what a browser's number holds exactly,
# never below the number of ballots it counts (each ballot has a sequence of its own), and each ballot approves at
# most max_choices practices.
MAX_VERSION = 2**53 - 1


def plausible(board: Leaderboard) -> bool:
    """Whether board could have come from the results service (a forged 2^62 version would outrank every
    genuine snapshot and re-sync; docs/security.md)."""
    if board.version > MAX_VERSION or board.total_ballots > board.version:
        return False
    return board.total_votes <= board.version * board.max_choices


# What a board says beyond its standings: when it was computed, and its seal (the log head and signature).
NOT_STANDINGS = {"updated_at", "log_size", "log_root", "signature"}


def same_standings(a: Leaderboard, b: Leaderboard) -> bool:
    return a.public().model_dump(exclude=NOT_STANDINGS) == b.public().model_dump(exclude=NOT_STANDINGS)


def seals(new: Leaderboard, held: Leaderboard) -> bool:
    """Whether new brings a seal to the standings held without one."""
    return new.signature is not None and held.signature is None


@dataclass(frozen=True)
class Snapshot:
    """board as received (its version orders snapshots); body, ETag and version as the public sees them."""

    board: Leaderboard
    body: bytes
    etag: str
    version: int
    frame: bytes  # the SSE event, encoded once for every stream

    @classmethod
    def of(cls, board: Leaderboard) -> "Snapshot":
        shown = board.public()  # hidden: the same bytes and ETag however many ballots arrive
        body = shown.model_dump_json().encode()
        etag = f'"{shown.version}-{hashlib.sha256(body).hexdigest()[:16]}"'
        # id = the public version, so that a reconnect resumes from it
        frame = b"id: %d\nevent: leaderboard\ndata: %s\n\n" % (shown.version, body)
        return cls(board, body, etag, shown.version, frame)


class Board:
    """One leaderboard's current snapshot and the event its followers wait on."""

    def __init__(self) -> None:
        self.snapshot: Snapshot | None = None
        self.followers = 0
        self._waiting: list[asyncio.Future[None]] = []

    def offer(self, board: Leaderboard, *, authoritative: bool = False) -> bool:
        """Keep board unless an equal-or-newer snapshot is already here; wake the followers. An authoritative
        board (the results service's answer to a fetch) replaces any other, so nothing stays pinned by its version."""
        current = self.snapshot
        if not plausible(board):
            log.warning("refused an implausible leaderboard (version %d, %d votes)", board.version, board.total_votes)
            return False
        if current is not None and board.version < current.board.version and not authoritative:
            return False
        if current is not None and same_standings(board, current.board) and not seals(board, current.board):
            return False  # a repeat, or the unsealed answer to a fetch of a sealed board, keeps its ETag
        self.snapshot = Snapshot.of(board)
        self.wake()
        return True

    def wake(self) -> None:
        """Resolve the futures the followers wait on (a change, or a heartbeat tick)."""
        waiting, self._waiting = self._waiting, []
        for future in waiting:
            if not future.done():  # a follower cancelled while waiting has left its future cancelled
                future.set_result(None)

    def woken(self) -> "asyncio.Future[None]":
        """A future done at the next change or tick: one per waiting follower, so that a follower that is
        cancelled cancels only its own (cheaper than shielding one shared future: no second future, no callback)."""
        future = asyncio.get_running_loop().create_future()
        self._waiting.append(future)
        return future

    async def next_change(self, timeout: float) -> Snapshot | None:
        """The snapshot after the next change, or None when timeout passes first (one-off waits; streams use woken)."""
        before = self.snapshot
        try:
            async with asyncio.timeout(timeout):
                while self.snapshot is before:
                    await self.woken()
        except TimeoutError:
            return None
        return self.snapshot


class LiveBoards:
    """Every leaderboard the gateway has seen, keyed by (contest, nomination)."""

    def __init__(self, fetch: Fetch, heartbeat: float = 15.0, verifier: Verifier | None = None) -> None:
        self._fetch = fetch
        self._verifier = verifier  # the log key: a live board it did not seal is refused
        self._boards: dict[Key, Board] = {}
        self._warming: dict[Key, asyncio.Lock] = {}
        self._heartbeat = heartbeat
        self._ticker: asyncio.Task[None] | None = None

    def follow(self, board: Board) -> Callable[[], None]:
        """Count a follower of board (heartbeat ticks wake it while it has any); returns the idempotent unfollow."""
        board.followers += 1
        if self._ticker is None or self._ticker.done():
            self._ticker = asyncio.create_task(self._tick(), name="sse-heartbeat")
        followed = True

        def unfollow() -> None:
            nonlocal followed
            if followed:
                followed = False
                board.followers -= 1

        return unfollow

    async def _tick(self) -> None:
        """Wake every followed board each heartbeat interval; ends once no board has followers."""
        while any(b.followers for b in self._boards.values()):
            await asyncio.sleep(self._heartbeat)
            for board in self._boards.values():
                if board.followers:
                    board.wake()

    def receive(self, changed: LeaderboardChanged) -> bool:
        key = (changed.contest, changed.nomination)
        received = Leaderboard.model_validate(changed.model_dump(exclude={"type"}))
        if self._verifier is not None and not holds(received, self._verifier):
            log.warning("refused a live board of %s/%s: the log key did not seal it", *key)
            return False
        return self._boards.setdefault(key, Board()).offer(received)

    async def _fetched(self, contest: str, nomination: str) -> Leaderboard:
        """The results service's board; one that carries a seal the log key did not make is refused (an unsealed
        one, the answer while no process writes the nomination's log, is kept and shown as not signed yet)."""
        fetched = await self._fetch(contest, nomination)
        if self._verifier is not None and fetched.signature is not None and not holds(fetched, self._verifier):
            log.warning("refused a fetched board of %s/%s: the log key did not seal it", contest, nomination)
            raise Unavailable("service_unavailable", "the results service answered a board the log key did not seal")
        return fetched

    def known(self, contest: str, nomination: str) -> Board | None:
        board = self._boards.get((contest, nomination))
        return board if board is not None and board.snapshot is not None else None

    async def board(self, contest: str, nomination: str) -> Board:
        """The board, fetched by RPC the first time (an unknown nomination raises the service's 404)."""
        found = self.known(contest, nomination)
        if found is not None:
            return found
        key = (contest, nomination)
        try:
            async with self._warming.setdefault(key, asyncio.Lock()):
                found = self.known(contest, nomination)
                if found is None:
                    fetched = await self._fetched(contest, nomination)  # an unknown board raises: nothing is kept
                    found = self._boards.setdefault(key, Board())
                    found.offer(fetched, authoritative=True)
        finally:
            self._warming.pop(key, None)
        return found

    async def resync(self) -> int:
        """Fetch every known board again and keep what the results service answers; return how many changed.

        Live snapshots are core NATS messages: those published while this gateway was away from the server are
        lost, and a board that gets no new ballot afterwards would keep its old snapshot without this."""
        changed = 0
        for contest, nomination in list(self._boards):
            try:
                fetched = await self._fetched(contest, nomination)
            except Exception:
                log.warning("re-sync of a leaderboard failed; the next one retries", exc_info=True)
                continue
            changed += self._boards[(contest, nomination)].offer(fetched, authoritative=True)
        return changed

    def __len__(self) -> int:
        return len(self._boards)

    def warming(self) -> int:
        """How many boards are being fetched for the first time right now."""
        return len(self._warming)


def subscribe(broker: NatsBroker, boards: LiveBoards) -> None:
    """Feed boards from live.leaderboard.> (every gateway replica gets every snapshot: no queue group)."""

    @broker.subscriber(subjects.LIVE_LEADERBOARD_ALL)
    async def on_leaderboard(msg: NatsMessage) -> None:
        try:
            changed = LeaderboardChanged.model_validate_json(msg.body)
        except ValidationError:
            log.warning("ignored a malformed live leaderboard snapshot")
            return
        boards.receive(changed)


def from_results(broker: NatsBroker, rpc_timeout: float, heartbeat_seconds: float, verifier: Verifier) -> LiveBoards:
    """The leaderboards in memory, each fetched from the results service the first time it is asked for: from the
    process that writes the nomination's log, which seals it (docs/verifiability.md, "Sealed live boards")."""

    async def fetch(contest: str, nomination: str) -> Leaderboard:
        query = LeaderboardQuery(contest=contest, nomination=nomination)
        writer = ops.LEADERBOARD_SEALED.at(partition=str(subjects.ledger_partition(contest)))
        try:
            return await call(connection(broker), writer, query, timeout=rpc_timeout)
        except ServiceUnavailable:  # the log's writer is down: its board unsealed, which the pages say
            log.warning("no process seals the boards of %s: fetched unsealed", contest)
            return await call(connection(broker), ops.LEADERBOARD_GET, query, timeout=rpc_timeout)

    return LiveBoards(fetch, heartbeat_seconds, verifier)
