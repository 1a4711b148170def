"""What every use case shares: loading entities, and writing a change together with its event."""

from collections.abc import Callable
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import to_jsonable_python

from veche_shared import subjects
from veche_shared.audit import ServiceTrail
from veche_shared.contracts.catalog import (
    CatalogEventType,
    Contest,
    ContestEvent,
    Municipality,
    MunicipalityEvent,
    Nomination,
    NominationEvent,
    Practice,
    PracticeEvent,
)
from veche_shared.errors import AlreadyExists, ErrorCode, Invalid, NotFound, VersionConflict
from veche_shared.logs import request_id_var
from veche_submissions.documents import Doc, Entity, key_of, load
from veche_submissions.ports import CatalogEvents, CatalogStore


def outbox_entry(entity: BaseModel, event_type: CatalogEventType, at: datetime) -> Doc:
    """The event announcing entity's new state at `at`, as an outbox entry (subject, id, body)."""
    event: BaseModel
    match entity:
        case Contest():
            subject, event = (
                subjects.catalog_event("contest", entity.id),
                ContestEvent(type=event_type, contest=entity, occurred_at=at),
            )
        case Nomination():
            subject = subjects.catalog_event("nomination", entity.contest)
            event = NominationEvent(type=event_type, nomination=entity, occurred_at=at)
        case Municipality():
            subject = subjects.catalog_event("municipality", entity.id)
            event = MunicipalityEvent(type=event_type, municipality=entity, occurred_at=at)
        case Practice():
            subject = subjects.catalog_event("practice", entity.contest)
            event = PracticeEvent(type=event_type, practice=entity, occurred_at=at)
    body = event.model_dump(mode="json")
    return {"event_id": body["event_id"], "subject": subject, "body": body, "request_id": request_id_var.get()}


def audit_scope(entity: Contest | Nomination | Municipality | Practice) -> dict[str, Any]:
    """The contest and target of an audit entry about entity."""
    match entity:
        case Contest():
            return {"contest": entity.id, "target": {"contest": entity.id}}
        case Nomination():
            return {"contest": entity.contest, "target": {"contest": entity.contest, "nomination": entity.id}}
        case Municipality():
            return {"contest": None, "target": {"municipality": entity.id}}
        case Practice():
            target = {"contest": entity.contest, "practice": entity.id, "municipality": entity.municipality}
            return {"contest": entity.contest, "target": target}


def check_version(entity: Contest | Nomination | Municipality | Practice, expected: int | None) -> None:
    if expected is not None and expected != entity.version:
        raise VersionConflict(f"{key_of(entity)} is at version {entity.version}, not {expected}")


class Core:
    """What every use case holds: the catalog's store, the publishing of its events, the clock (ports.py), and the
    audit trail, which records every change before it is written and refuses it if it cannot
    (docs/adr/0017-the-writing-service-records-the-change.md)."""

    def __init__(
        self, repo: CatalogStore, events: CatalogEvents, clock: Callable[[], datetime], trail: ServiceTrail
    ) -> None:
        self.repo = repo
        self.events = events
        self.clock = clock
        self.trail = trail

    async def get(self, model: type[Entity], key: str, code: ErrorCode) -> Entity:
        doc = await self.repo.document(model, key)
        if doc is None:
            raise NotFound(code, f"no {model.__name__.lower()} {key}")
        return load(model, doc)

    async def contest(self, contest_id: str) -> Contest:
        return await self.get(Contest, contest_id, "unknown_contest")

    async def create(
        self, entity: Entity, event_type: CatalogEventType, what: str, private: Doc | None = None
    ) -> Entity:
        """Insert a new entity with its first event, then publish it; 409 already_exists."""
        if await self.repo.document(type(entity), key_of(entity)) is not None:
            raise AlreadyExists(f"{what} already exists")
        async with self.trail.change(event_type, **audit_scope(entity), after=entity.model_dump(mode="json")):
            await self.repo.insert(entity, outbox_entry(entity, event_type, self.clock()), what, private)
        await self.events.flush(type(entity), key_of(entity))
        return entity

    async def revise(
        self,
        current: Entity,
        changes: dict[str, Any],
        event_type: CatalogEventType,
        expected: int | None,
        private: Doc | None = None,
    ) -> Entity:
        """Apply changes as the next version if nobody changed current meanwhile (409 stale_version)."""
        check_version(current, expected)
        try:
            revised = type(current).model_validate(current.model_dump() | changes | {"version": current.version + 1})
        except ValidationError as exc:
            details = exc.errors(include_url=False, include_context=False, include_input=False)
            raise Invalid("invalid_request", "the change is not valid", [dict(d) for d in details]) from None
        event = outbox_entry(revised, event_type, self.clock())
        record = {"change": to_jsonable_python(changes), "before": current.model_dump(mode="json")}
        record["after"] = revised.model_dump(mode="json")
        async with self.trail.change(event_type, **audit_scope(current), **record):
            if not await self.repo.update(revised, current.version, event, private):
                raise VersionConflict(f"{key_of(current)} was changed by someone else; reload and retry")
        await self.events.flush(type(current), key_of(current))
        return revised
