"""Server-Sent Events of one leaderboard: the current snapshot, every change after it, and heartbeats."""

from collections import Counter
from collections.abc import AsyncIterator, Callable

from veche_gateway.live import Board, Snapshot
from veche_shared.errors import TooMany


def frame(snapshot: Snapshot) -> bytes:
    """One `leaderboard` event whose id is the snapshot's public version, so a reconnect resumes from it."""
    return b"id: %d\nevent: leaderboard\ndata: %s\n\n" % (snapshot.version, snapshot.body)


def last_event_id(header: str | None) -> int | None:
    return int(header) if header is not None and header.isdigit() and len(header) <= 18 else None


async def events(board: Board, resume_from: int | None, heartbeat: float, retry_ms: int) -> AsyncIterator[bytes]:
    """The snapshot unless the client resumes from its version, then each change; comments when nothing happens.

    A board that becomes hidden falls back to version 0, so a resumed client is sent any version but its own.
    """
    yield b"retry: %d\n\n" % retry_ms
    sent: Snapshot | None = None
    while True:
        current = board.snapshot
        if current is not None and current is not sent and (sent is not None or current.version != resume_from):
            yield frame(current)
            sent = current
            continue
        if await board.next_change(heartbeat) is None:
            yield b": heartbeat\n\n"


class Connections:
    """Open streams per client IP, refused beyond the limit."""

    def __init__(self, per_ip: int) -> None:
        self._per_ip = per_ip
        self._open: Counter[str] = Counter()

    def acquire(self, ip: str) -> Callable[[], None]:
        """Take a slot for ip (429 when none is left); the returned release may be called any number of times."""
        if self._open[ip] >= self._per_ip:
            raise TooMany("too_many_streams", f"at most {self._per_ip} open streams per address")
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
