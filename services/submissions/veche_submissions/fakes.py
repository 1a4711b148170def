"""The in-memory adapters of the ports (veche_submissions.ports), for fast use-case tests: a catalog store that keeps
documents as CatalogRepository stores them and answers each read with the same rule as its Mongo filters, and an
event publisher that keeps what it published in a list. tests/integration/test_catalog_store.py holds the store to
the same assertions as the database."""

import copy
from collections.abc import AsyncIterator, Callable
from datetime import datetime

from veche_shared.contracts.audit import AuditEntry
from veche_shared.contracts.catalog import Municipality, PracticeStatus
from veche_shared.contracts.representatives import Invitation
from veche_shared.contracts.submissions import ListMunicipalities, ListPractices
from veche_shared.errors import AlreadyExists
from veche_submissions.documents import COLLECTION, OUTBOX, UNIQUE, CatalogEntity, Doc, key_of, stored_fields
from veche_submissions.outbox import OutboxRelay
from veche_submissions.ports import CatalogEvents, CatalogStore
from veche_submissions.repository import CatalogRepository


def as_bson(at: datetime) -> datetime:
    """A time as the database gives it back: BSON keeps milliseconds."""
    return at.replace(microsecond=at.microsecond // 1000 * 1000)


class InMemoryCatalog:
    def __init__(self) -> None:
        self.collections: dict[str, dict[str, Doc]] = {name: {} for name in COLLECTION.values()}
        self.invitations: dict[str, tuple[Invitation, str]] = {}
        self.photos: dict[str, bytes] = {}

    def add(self, entity: CatalogEntity, **private: object) -> None:
        """Store an entity as the repository would (private fields such as a practice's contact beside it)."""
        key = key_of(entity)
        self.collections[COLLECTION[type(entity)]][key] = {"_id": key, **stored_fields(entity), **private, OUTBOX: []}

    def _select(self, collection: str, keep: Callable[[Doc], bool]) -> list[Doc]:
        docs = sorted(self.collections[collection].items())
        return [{k: copy.deepcopy(v) for k, v in doc.items() if k != OUTBOX} for _, doc in docs if keep(doc)]

    def _page(self, collection: str, keep: Callable[[Doc], bool], after: str | None, limit: int) -> list[Doc]:
        return self._select(collection, lambda d: keep(d) and (after is None or d["_id"] > after))[:limit]

    def _get(self, collection: str, key: str) -> Doc | None:
        found = self._select(collection, lambda d: d["_id"] == key)
        return found[0] if found else None

    def _taken(self, collection: str, key: str, fields: Doc) -> bool:
        """Whether another document holds the unique fields of this one (the unique indexes of the database)."""
        unique = UNIQUE.get(collection, ())
        others = (d for k, d in self.collections[collection].items() if k != key)
        return bool(unique) and any(all(d.get(f) == fields.get(f) for f in unique) for d in others)

    # CatalogReads

    async def document(self, model: type[CatalogEntity], key: str) -> Doc | None:
        return self._get(COLLECTION[model], key)

    async def entity_page(self, model: type[CatalogEntity], after: str | None, limit: int) -> list[Doc]:
        return self._page(COLLECTION[model], lambda _: True, after, limit)

    async def contests(self) -> list[Doc]:
        return self._select("contests", lambda _: True)

    async def nominations_of(self, contest: str) -> list[Doc]:
        return self._select("nominations", lambda d: d["contest"] == contest)

    async def nomination(self, contest: str, nomination: str) -> Doc | None:
        return self._get("nominations", f"{contest}:{nomination}")

    async def municipality(self, municipality: str) -> Doc | None:
        return self._get("municipalities", municipality)

    async def municipalities_with_ids(self, ids: list[str]) -> list[Doc]:
        return self._select("municipalities", lambda d: d["_id"] in ids)

    async def every_municipality(self) -> list[Doc]:
        return self._select("municipalities", lambda _: True)

    async def municipality_page(self, q: ListMunicipalities, after: str | None, limit: int) -> list[Doc]:
        def keep(d: Doc) -> bool:
            if q.ids is not None and d["_id"] not in q.ids:
                return False
            if q.country is not None and d["country"] != q.country:
                return False
            if q.q:
                needle = q.q.casefold()
                return q.q in d["_id"] or needle in d.get("names_key", "") or needle in d.get("name_key", "")
            return True

        return self._page("municipalities", keep, after, limit)

    async def practice(self, practice: str) -> Doc | None:
        return self._get("practices", practice)

    async def practice_page(self, q: ListPractices, after: str | None, limit: int) -> list[Doc]:
        def keep(d: Doc) -> bool:
            wanted = {"contest": q.contest, "nomination": q.nomination, "municipality": q.municipality}
            wanted["status"] = q.status if q.include_unpublished else PracticeStatus.approved
            if any(value is not None and d[field] != value for field, value in wanted.items()):
                return False
            return not q.title_contains or q.title_contains.casefold() in d["title_key"]

        return self._page("practices", keep, after, limit)

    async def practices_of_municipality(self, municipality: str, after: str | None, limit: int) -> list[Doc]:
        return self._page("practices", lambda d: d["municipality"] == municipality, after, limit)

    async def practice_count(self, contest: str, status: PracticeStatus) -> int:
        return len(self._select("practices", lambda d: d["contest"] == contest and d["status"] == status))

    # CatalogWrites

    async def insert(self, entity: CatalogEntity, event: Doc, what: str, private: Doc | None = None) -> None:
        collection, key = COLLECTION[type(entity)], key_of(entity)
        fields = stored_fields(entity) | (private or {})
        if key in self.collections[collection] or self._taken(collection, key, fields):
            raise AlreadyExists(f"{what} already exists")
        self.collections[collection][key] = {"_id": key, **copy.deepcopy(fields), OUTBOX: [copy.deepcopy(event)]}

    async def update(
        self, entity: CatalogEntity, expected_version: int, event: Doc, private: Doc | None = None
    ) -> bool:
        collection, key = COLLECTION[type(entity)], key_of(entity)
        stored = self.collections[collection].get(key)
        if stored is None or stored.get("version") != expected_version:
            return False
        fields = stored_fields(entity) | (private or {})
        if self._taken(collection, key, stored | fields):
            raise AlreadyExists(f"another {collection[:-1]} already has these unique values")
        stored.update(copy.deepcopy(fields))
        stored[OUTBOX].append(copy.deepcopy(event))
        return True

    def insert_all(self, documents: list[tuple[CatalogEntity, Doc]]) -> bool:
        """Insert every (entity, private fields) with an empty outbox, or none if any key or unique field is taken."""
        before = copy.deepcopy(self.collections)
        for entity, private in documents:
            collection, key = COLLECTION[type(entity)], key_of(entity)
            fields = stored_fields(entity) | private
            if key in self.collections[collection] or self._taken(collection, key, fields):
                self.collections = before
                return False
            self.collections[collection][key] = {"_id": key, **fields, OUTBOX: []}
        return True

    # Outboxes

    async def pending_outboxes(self) -> AsyncIterator[tuple[type[CatalogEntity], str]]:
        for model, collection in COLLECTION.items():
            for key, doc in sorted(self.collections[collection].items()):
                if doc[OUTBOX]:
                    yield model, key

    async def outbox(self, model: type[CatalogEntity], key: str) -> list[Doc]:
        doc = self.collections[COLLECTION[model]].get(key)
        return copy.deepcopy(doc[OUTBOX]) if doc else []

    async def drop_published(self, model: type[CatalogEntity], key: str, event_id: str) -> None:
        doc = self.collections[COLLECTION[model]].get(key)
        if doc and doc[OUTBOX] and doc[OUTBOX][0]["event_id"] == event_id:
            doc[OUTBOX].pop(0)

    # Invitations

    async def add_invitation(self, invitation: Invitation, key_sha256: str) -> None:
        if invitation.id in self.invitations or any(key == key_sha256 for _, key in self.invitations.values()):
            raise AlreadyExists("an invitation with this key already exists")
        kept = invitation.model_copy(update={"issued_at": as_bson(invitation.issued_at)})
        self.invitations[invitation.id] = kept.model_copy(update={"expires_at": as_bson(kept.expires_at)}), key_sha256

    async def revoke_invitation(self, invitation: str, at: datetime, by: str) -> Invitation | None:
        if invitation not in self.invitations:
            return None
        kept, key = self.invitations[invitation]
        if kept.revoked_at is None:
            kept = kept.model_copy(update={"revoked_at": as_bson(at), "revoked_by": by})
            self.invitations[invitation] = kept, key
        return kept

    async def invitations_of(self, municipality: str) -> list[Invitation]:
        return [i for _, (i, _) in sorted(self.invitations.items()) if i.municipality == municipality]

    async def invitation_by_key(self, key_sha256: str) -> Invitation | None:
        return next((i for i, key in self.invitations.values() if key == key_sha256), None)

    # Photos

    async def put_photo(self, key: str, data: bytes) -> None:
        self.photos.setdefault(key, data)

    async def photo(self, key: str) -> bytes | None:
        return self.photos.get(key)

    async def delete_photo(self, key: str) -> None:
        self.photos.pop(key, None)


class InMemoryEvents:
    """Publishes a document's outbox as the relay does, into `published` (stream CATALOG in order)."""

    def __init__(self, store: InMemoryCatalog) -> None:
        self.store = store
        self.published: list[Doc] = []

    async def flush(self, model: type[CatalogEntity], key: str) -> None:
        for event in await self.store.outbox(model, key):
            self.published.append(event)
            await self.store.drop_published(model, key, event["event_id"])

    async def insert_batch(self, registered: list[tuple[Municipality, Doc]]) -> bool:
        if not self.store.insert_all([(municipality, {}) for municipality, _ in registered]):
            return False
        self.published.extend(copy.deepcopy(event) for _, event in registered)
        return True

    async def stream_position(self) -> int:
        return len(self.published)

    def types(self, subject: str) -> list[str]:
        """The types of the events published on one subject, in order."""
        return [event["body"]["type"] for event in self.published if event["subject"] == subject]


def adapters(
    store: InMemoryCatalog, repository: CatalogRepository, events: InMemoryEvents, relay: OutboxRelay
) -> tuple[CatalogStore, CatalogStore, CatalogEvents, CatalogEvents]:
    """Both adapters of each port: mypy checks here that each has every method, with the same types."""
    return store, repository, events, relay


class InMemoryAudit:
    """The audit trail's entries in a list; `refusing` makes every append fail as a full stream AUDIT would."""

    def __init__(self) -> None:
        self.entries: list[AuditEntry] = []
        self.refusing = False

    async def append(self, entry: AuditEntry) -> None:
        if self.refusing:
            raise TimeoutError("stream AUDIT takes no entry")
        self.entries.append(entry)
