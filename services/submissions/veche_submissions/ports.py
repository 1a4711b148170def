"""What the use cases need from outside, as ports: the catalog's store and the publishing of its events. Each has a
real adapter (repository.CatalogRepository on MongoDB, outbox.OutboxRelay on JetStream) and an in-memory one
(fakes.InMemoryCatalog, fakes.InMemoryEvents) for fast use-case tests; tests/integration/test_catalog_store.py runs
the same assertions against both stores, so the fake cannot drift from the database.

The use cases name the aggregate they read or write; collections, keys and Mongo filters stay in the adapters."""

from collections.abc import AsyncIterator
from datetime import datetime
from typing import Protocol

from veche_shared.contracts.catalog import Municipality, PracticeStatus
from veche_shared.contracts.representatives import Invitation
from veche_shared.contracts.submissions import ListMunicipalities, ListPractices
from veche_submissions.documents import CatalogEntity, Doc


class CatalogReads(Protocol):
    """Documents as stored (entity fields, search keys, private fields such as a practice's contact), no outbox."""

    async def document(self, model: type[CatalogEntity], key: str) -> Doc | None: ...
    async def entity_page(self, model: type[CatalogEntity], after: str | None, limit: int) -> list[Doc]: ...
    async def contests(self) -> list[Doc]: ...
    async def nominations_of(self, contest: str) -> list[Doc]: ...
    async def nomination(self, contest: str, nomination: str) -> Doc | None: ...
    async def municipality(self, municipality: str) -> Doc | None: ...
    async def municipalities_with_ids(self, ids: list[str]) -> list[Doc]: ...
    async def every_municipality(self) -> list[Doc]: ...
    async def municipality_page(self, q: ListMunicipalities, after: str | None, limit: int) -> list[Doc]: ...
    async def practice(self, practice: str) -> Doc | None: ...
    async def practice_page(self, q: ListPractices, after: str | None, limit: int) -> list[Doc]: ...
    async def practices_of_municipality(self, municipality: str, after: str | None, limit: int) -> list[Doc]: ...
    async def practice_count(self, contest: str, status: PracticeStatus) -> int: ...


class CatalogWrites(Protocol):
    """A change and its event in one write: the event waits in the document's own outbox until published."""

    async def insert(self, entity: CatalogEntity, event: Doc, what: str, private: Doc | None = None) -> None:
        """A new document; AlreadyExists if its key or its unique fields (a municipality's name in its country, a
        municipality's practice in a nomination) are taken."""

    async def update(
        self, entity: CatalogEntity, expected_version: int, event: Doc, private: Doc | None = None
    ) -> bool:
        """Store entity (its next version) if the stored one is still at expected_version; False if it moved on,
        AlreadyExists if the change takes unique fields another document holds."""


class Outboxes(Protocol):
    """The events waiting in document outboxes, oldest first (what the relay publishes)."""

    def pending_outboxes(self) -> AsyncIterator[tuple[type[CatalogEntity], str]]: ...
    async def outbox(self, model: type[CatalogEntity], key: str) -> list[Doc]: ...
    async def drop_published(self, model: type[CatalogEntity], key: str, event_id: str) -> None:
        """Remove the first waiting event if it is event_id (the one just published)."""


class Invitations(Protocol):
    """Municipality invitations: private, no catalog entity, no events; only the key's SHA-256 is kept."""

    async def add_invitation(self, invitation: Invitation, key_sha256: str) -> None:
        """AlreadyExists if an invitation holds this key already."""

    async def revoke_invitation(self, invitation: str, at: datetime, by: str) -> Invitation | None:
        """Revoke once (a second revocation keeps the first); None if there is no such invitation."""

    async def invitations_of(self, municipality: str) -> list[Invitation]: ...
    async def invitation_by_key(self, key_sha256: str) -> Invitation | None: ...


class Photos(Protocol):
    async def put_photo(self, key: str, data: bytes) -> None:
        """Keep one image under key; a key kept already stays as it is."""

    async def photo(self, key: str) -> bytes | None: ...
    async def delete_photo(self, key: str) -> None: ...


class CatalogStore(CatalogReads, CatalogWrites, Outboxes, Invitations, Photos, Protocol):
    """Everything the use cases keep."""


class CatalogEvents(Protocol):
    """Publishing to stream CATALOG."""

    async def flush(self, model: type[CatalogEntity], key: str) -> None:
        """Publish the events waiting in one document's outbox, oldest first."""

    async def insert_batch(self, registered: list[tuple[Municipality, Doc]]) -> bool:
        """Insert new municipalities with their events and publish them: all or nothing (False, nothing written, if
        any key or name is taken)."""

    async def stream_position(self) -> int:
        """The last sequence in stream CATALOG."""
