"""An in-memory copy of the catalog, rebuilt from stream CATALOG and kept current."""

import asyncio
import contextlib
import logging
from collections.abc import Callable
from typing import TypeVar

from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.aio.subscription import Subscription
from nats.js import JetStreamContext
from pydantic import TypeAdapter, ValidationError

from veche_shared import stream_read, subjects
from veche_shared.contracts.catalog import (
    CatalogEvent,
    Contest,
    ContestEvent,
    Municipality,
    MunicipalityEvent,
    Nomination,
    NominationEvent,
    Practice,
    PracticeEvent,
)
from veche_shared.stream_read import Stored

log = logging.getLogger("veche.catalog")
POLL = 1.0  # seconds between reads of CATALOG when no wake-up came
SETTLE = (0.0, 0.005, 0.02, 0.1)  # seconds before each read after a wake-up
K = TypeVar("K")
V = TypeVar("V", Contest, Nomination, Municipality, Practice)
_events: TypeAdapter[CatalogEvent] = TypeAdapter(CatalogEvent)


class CatalogView:
    """Latest version of every contest, nomination, municipality and practice."""

    def __init__(self) -> None:
        self.contests: dict[str, Contest] = {}
        self.nominations: dict[tuple[str, str], Nomination] = {}
        self.municipalities: dict[str, Municipality] = {}
        self.practices: dict[str, Practice] = {}

    def apply(self, event: CatalogEvent) -> None:
        """Keep the newer version; older or repeated events change nothing."""
        match event:
            case ContestEvent(contest=entity) | NominationEvent(nomination=entity):
                self.keep(entity)
            case MunicipalityEvent(municipality=entity) | PracticeEvent(practice=entity):
                self.keep(entity)

    def keep(self, entity: Contest | Nomination | Municipality | Practice) -> None:
        """Store an entity unless a newer version of it is already here."""
        match entity:
            case Contest():
                _keep_newer(self.contests, entity.id, entity)
            case Nomination():
                _keep_newer(self.nominations, (entity.contest, entity.id), entity)
            case Municipality():
                _keep_newer(self.municipalities, entity.id, entity)
            case Practice():
                _keep_newer(self.practices, entity.id, entity)

    def approved_practices(self, contest: str, nomination: str) -> list[Practice]:
        return [
            p
            for p in self.practices.values()
            if p.contest == contest and p.nomination == nomination and p.status == "approved"
        ]


def _keep_newer(store: dict[K, V], key: K, value: V) -> None:
    current = store.get(key)
    if current is None or current.version < value.version:
        store[key] = value


class CatalogFollower:
    """Brings a view up to date from CATALOG (from the start, or from after a snapshot), then follows it live.

    It reads by direct get, not with a consumer (a runtime identity may create none: docs/adr/0014-provisioned-bus.md):
    each catalog event also reaches a plain subscription on catalog.> (only submissions may publish there), which
    applies it to the view at once and wakes the reader; the reader applies the stream in sequence order and calls
    on_event, so a lost core message costs at most one POLL."""

    def __init__(
        self, js: JetStreamContext, view: CatalogView, on_event: Callable[[CatalogEvent], None] | None = None
    ) -> None:
        self._js = js
        self.view = view
        self._on_event = on_event
        self.applied_seq = 0
        self._target_seq = 0
        self._caught_up = asyncio.Event()
        self._wake = asyncio.Event()
        self._sub: Subscription | None = None
        self._task: asyncio.Task[None] | None = None

    @property
    def caught_up(self) -> bool:
        return self._caught_up.is_set()

    async def start(self, resume_from: int = 1) -> None:
        """Follow CATALOG from sequence resume_from (1: the whole stream; else right after a snapshot)."""
        info = await self._js.stream_info(subjects.CATALOG_STREAM)
        self._target_seq = info.state.last_seq
        self.applied_seq = resume_from - 1
        # a purged stream keeps its last sequence but has nothing left to deliver: caught up already
        if self._target_seq <= self.applied_seq or info.state.messages == 0:
            self._caught_up.set()
        nc = stream_read.connection_of(self._js)
        self._sub = await nc.subscribe(subjects.CATALOG_ALL, cb=self._on_signal)
        self._task = asyncio.create_task(self._follow(nc), name="catalog-follower")

    async def wait_caught_up(self, timeout: float) -> None:
        await asyncio.wait_for(self._caught_up.wait(), timeout)

    async def stop(self) -> None:
        if self._sub is not None:
            await self._sub.unsubscribe()
            self._sub = None
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _on_signal(self, msg: Msg) -> None:
        """Apply the event at once (the view keeps the newer version of each entity, so applying it again from the
        stream changes nothing) and wake the reader, which applies it in order and calls on_event."""
        with contextlib.suppress(ValidationError):
            self.view.apply(_events.validate_json(msg.data))
        self._wake.set()

    async def _follow(self, nc: Client) -> None:
        tries: tuple[float, ...] = (0.0,)
        while True:
            self._wake.clear()
            for delay in tries:  # after a wake-up: the event may reach us just before the stream has stored it
                await asyncio.sleep(delay)
                if await self._read(nc):
                    break
            try:
                await asyncio.wait_for(self._wake.wait(), POLL)
                tries = SETTLE
            except TimeoutError:
                tries = (0.0,)

    async def _read(self, nc: Client) -> int:
        """Apply what CATALOG holds after applied_seq; how many events that was."""
        found = 0
        try:
            async for batch in stream_read.batches(
                nc, subjects.CATALOG_STREAM, subjects.CATALOG_ALL, after=self.applied_seq
            ):
                for msg in batch:
                    self._apply(msg)
                found += len(batch)
        except Exception as exc:  # a node failing over, a timeout: read again at the next wake-up or POLL
            log.warning("reading CATALOG failed (%s); retrying", type(exc).__name__)
        return found

    def _apply(self, msg: Stored) -> None:
        try:
            event = _events.validate_json(msg.data)
        except ValidationError as exc:
            log.error("skipping an invalid catalog event on %s: %s", msg.subject, exc.error_count())
        else:
            self.view.apply(event)
            if self._on_event is not None:
                self._on_event(event)
        self.applied_seq = msg.seq
        if self.applied_seq >= self._target_seq:
            self._caught_up.set()
