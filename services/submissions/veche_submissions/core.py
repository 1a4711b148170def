"""What every use case shares: loading entities, and writing a change together with its event."""

from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from veche_shared import subjects
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
from veche_shared.contracts.texts import pick
from veche_shared.errors import ErrorCode, Invalid, NotFound, VersionConflict
from veche_shared.logs import request_id_var
from veche_submissions.outbox import OutboxRelay
from veche_submissions.repository import CatalogRepository, Doc

Entity = TypeVar("Entity", Contest, Nomination, Municipality, Practice)
COLLECTION = {Contest: "contests", Nomination: "nominations", Municipality: "municipalities", Practice: "practices"}


def load(model: type[Entity], doc: Doc) -> Entity:
    """An entity from its document (the key may be scoped: `<contest>:<nomination>`)."""
    fields = {k: v for k, v in doc.items() if k in model.model_fields and k != "id"}
    return model.model_validate({"id": doc["_id"].split(":")[-1], **fields})


def key_of(entity: BaseModel) -> str:
    if isinstance(entity, Nomination):
        return f"{entity.contest}:{entity.id}"
    return str(getattr(entity, "id"))  # noqa: B009 - every entity has an id


def stored_fields(entity: BaseModel) -> Doc:
    """The document fields: the entity plus the lower-cased keys that uniqueness and search use."""
    fields = entity.model_dump(mode="json", exclude={"id"})
    if isinstance(entity, Municipality):
        # English first, as before names were maps: the keys of municipalities registered then stay the same
        fields["name_key"] = pick(entity.name, "en").casefold()
        fields["names_key"] = "\n".join(entity.name.values()).casefold()  # what a search by name looks in
    if isinstance(entity, Practice):
        # every language's title, one per line: a title search matches the title in any language
        fields["title_key"] = "\n".join(entity.title.values()).casefold()
    return fields


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


def check_version(entity: Contest | Nomination | Municipality | Practice, expected: int | None) -> None:
    if expected is not None and expected != entity.version:
        raise VersionConflict(f"{key_of(entity)} is at version {entity.version}, not {expected}")


class Core:
    def __init__(self, repo: CatalogRepository, relay: OutboxRelay, clock: Callable[[], datetime]) -> None:
        self.repo = repo
        self.relay = relay
        self.clock = clock

    async def get(self, model: type[Entity], key: str, code: ErrorCode) -> Entity:
        doc = await self.repo.get(COLLECTION[model], key)
        if doc is None:
            raise NotFound(code, f"no {model.__name__.lower()} {key}")
        return load(model, doc)

    async def contest(self, contest_id: str) -> Contest:
        return await self.get(Contest, contest_id, "unknown_contest")

    async def create(
        self, entity: Entity, event_type: CatalogEventType, what: str, private: Doc | None = None
    ) -> Entity:
        """Insert a new entity with its first event, then publish it; 409 already_exists."""
        collection, key = COLLECTION[type(entity)], key_of(entity)
        fields = stored_fields(entity) | (private or {})
        await self.repo.insert(collection, key, fields, outbox_entry(entity, event_type, self.clock()), what)
        await self.relay.flush(collection, key)
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
        collection, key = COLLECTION[type(current)], key_of(current)
        fields = stored_fields(revised) | (private or {})
        if not await self.repo.update(
            collection, key, current.version, fields, outbox_entry(revised, event_type, self.clock())
        ):
            raise VersionConflict(f"{key} was changed by someone else; reload and retry")
        await self.relay.flush(collection, key)
        return revised
