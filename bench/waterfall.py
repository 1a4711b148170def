"""A page load's waterfall from DevTools: for each request, when it was asked for, when its first byte came and
when it ended (ms since the first request of the load), its bytes on the wire and what asked for it. What holds
up a page's first cards is read off this: a request that starts late waits on another one (an import, a fetch
after a fetch), one that ends late is slow to come down."""

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import CDPSession


@dataclass
class Row:
    path: str
    kind: str
    priority: str
    start: float
    first_byte: float | None = None
    end: float | None = None
    bytes: int = 0

    def as_dict(self, origin: float) -> dict[str, Any]:
        def ms(at: float | None) -> int | None:
            return None if at is None else round((at - origin) * 1000)

        return {"path": self.path, "kind": self.kind, "priority": self.priority, "start_ms": ms(self.start),
                "first_byte_ms": ms(self.first_byte), "end_ms": ms(self.end), "bytes": self.bytes}  # fmt: skip


@dataclass
class Waterfall:
    """Listens on a page's DevTools session (Network enabled) from creation; rows() after the load."""

    session: CDPSession
    requests: dict[str, Row] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.session.on("Network.requestWillBeSent", self.sent)
        self.session.on("Network.responseReceived", self.answered)
        self.session.on("Network.loadingFinished", self.finished)

    def sent(self, event: dict[str, Any]) -> None:
        parts = urlsplit(event["request"]["url"])
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        kind, priority = event.get("type", "?"), event["request"].get("initialPriority", "?")
        self.requests[event["requestId"]] = Row(path, kind, priority, event["timestamp"])

    def answered(self, event: dict[str, Any]) -> None:
        if (row := self.requests.get(event["requestId"])) is not None:
            row.first_byte = event["timestamp"]

    def finished(self, event: dict[str, Any]) -> None:
        if (row := self.requests.get(event["requestId"])) is not None:
            row.end, row.bytes = event["timestamp"], int(event.get("encodedDataLength", 0))

    def rows(self) -> list[dict[str, Any]]:
        if not self.requests:
            return []
        origin = min(row.start for row in self.requests.values())
        return [row.as_dict(origin) for row in sorted(self.requests.values(), key=lambda r: r.start)]


def table(rows: list[dict[str, Any]], ready_ms: float) -> str:
    """The waterfall as text, with the moment the page was ready marked."""
    lines = [f"{'start':>6} {'1st byte':>8} {'end':>6} {'KB':>6}  {'kind':10} path"]
    marked = False
    for row in rows:
        if not marked and row["start_ms"] > ready_ms:
            lines.append(f"{ready_ms:6.0f}  --- ready ---")
            marked = True
        first, end = ("-" if row[key] is None else row[key] for key in ("first_byte_ms", "end_ms"))
        lines.append(f"{row['start_ms']:6} {first:>8} {end:>6} {row['bytes'] / 1000:6.1f}  {row['kind']:10} "
                     f"{row['path'][:90]}")  # fmt: skip
    if not marked:
        lines.append(f"{ready_ms:6.0f}  --- ready ---")
    return "\n".join(lines)
