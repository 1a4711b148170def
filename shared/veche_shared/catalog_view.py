"""An in-memory copy of the catalog, rebuilt from stream CATALOG and kept current."""

import asyncio
import logging
from collections.abc import Callable
from typing import TypeVar

from nats.aio.msg import Msg
from nats.js import JetStreamContext
from nats.js.api import ConsumerConfig, DeliverPolicy
from pydantic import TypeAdapter, ValidationError

from veche_shared import subjects
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

log = logging.getLogger("veche.catalog")
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
    """Brings a view up to date from CATALOG (from the start, or from after a snapshot), then follows it live."""

    def __init__(
        self, js: JetStreamContext, view: CatalogView, on_event: Callable[[CatalogEvent], None] | None = None
    ) -> None:
        self._js = js
        self.view = view
        self._on_event = on_event
        self.applied_seq = 0
        self._target_seq = 0
        self._caught_up = asyncio.Event()
        self._sub: JetStreamContext.PushSubscription | None = None

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
        self._sub = await self._js.subscribe(
            subjects.CATALOG_ALL,
            stream=subjects.CATALOG_STREAM,
            ordered_consumer=True,
            cb=self._on_message,
            config=ConsumerConfig(deliver_policy=DeliverPolicy.BY_START_SEQUENCE, opt_start_seq=resume_from),
        )

    async def wait_caught_up(self, timeout: float) -> None:
        await asyncio.wait_for(self._caught_up.wait(), timeout)

    async def stop(self) -> None:
        if self._sub is not None:
            await self._sub.unsubscribe()
            self._sub = None

    async def _on_message(self, msg: Msg) -> None:
        try:
            event = _events.validate_json(msg.data)
        except ValidationError as exc:
            log.error("skipping an invalid catalog event on %s: %s", msg.subject, exc.error_count())
        else:
            self.view.apply(event)
            if self._on_event is not None:
                self._on_event(event)
        self.applied_seq = msg.metadata.sequence.stream
        if self.applied_seq >= self._target_seq:
            self._caught_up.set()
