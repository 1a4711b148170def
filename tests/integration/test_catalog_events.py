"""The contract of the submissions service's publisher (veche_submissions.ports.CatalogEvents): the same assertions
against the in-memory publisher the fast use-case tests run on and against the outbox relay on the real nats-server
and database, so the fake cannot drift from what stream CATALOG receives (order, once, all-or-nothing batches)."""

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import nats
import pytest
from pymongo import AsyncMongoClient

from tests.submissions_helpers import Service
from veche_shared import subjects
from veche_shared.contracts.catalog import Contest, Municipality
from veche_shared.contracts.common import utcnow
from veche_submissions.core import outbox_entry
from veche_submissions.documents import Doc
from veche_submissions.fakes import InMemoryCatalog, InMemoryEvents
from veche_submissions.outbox import OutboxRelay
from veche_submissions.ports import CatalogEvents, CatalogStore
from veche_submissions.repository import CatalogRepository
from veche_submissions.settings import SubmissionsSettings


@dataclass
class Publisher:
    store: CatalogStore
    events: CatalogEvents
    published: Callable[[str], Awaitable[list[dict[str, Any]]]]  # the event bodies on one subject, in order


@pytest.fixture(params=["memory", "bus"])
async def publisher(request: pytest.FixtureRequest, uid: str) -> AsyncIterator[Publisher]:
    if request.param == "memory":
        store = InMemoryCatalog()
        events = InMemoryEvents(store)

        async def kept(subject: str) -> list[dict[str, Any]]:
            return [e["body"] for e in events.published if e["subject"] == subject]

        yield Publisher(store, events, kept)
        return
    infra: dict[str, str] = request.getfixturevalue("infra")  # started only for the bus's half
    nc = await nats.connect(infra["harness_url"])
    mongo: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(infra["mongodb_url"], tz_aware=True)
    repository = CatalogRepository(mongo, f"events_{uid}")
    await repository.ensure_indexes()
    reader = Service(SubmissionsSettings(database=f"events_{uid}"), nc, mongo[f"events_{uid}"])  # reads CATALOG
    yield Publisher(repository, OutboxRelay(repository, nc.jetstream(), 60, utcnow), reader.catalog_events)
    await mongo.drop_database(f"events_{uid}")
    await mongo.close()
    await nc.close()


def town(mid: str, name: str) -> Municipality:
    return Municipality(id=mid, name={"en": name}, country="RU", lat=58.0, lon=56.2)


def registered(municipality: Municipality) -> tuple[Municipality, Doc]:
    return municipality, outbox_entry(municipality, "MunicipalityRegistered", utcnow())


async def test_a_documents_events_go_out_once_in_order(publisher: Publisher, uid: str) -> None:
    contest = Contest(id=f"c-{uid}", title={"en": "C"})
    created = outbox_entry(contest, "ContestCreated", utcnow())
    updated = outbox_entry(contest.model_copy(update={"version": 2}), "ContestUpdated", utcnow())
    await publisher.store.insert(contest, created, "contest")
    assert await publisher.store.update(contest.model_copy(update={"version": 2}), 1, updated)
    await publisher.events.flush(Contest, contest.id)
    await publisher.events.flush(Contest, contest.id)  # nothing is waiting any more: nothing goes out again
    subject = subjects.catalog_event("contest", contest.id)
    assert await publisher.published(subject) == [created["body"], updated["body"]]
    assert await publisher.store.outbox(Contest, contest.id) == []


async def test_a_batch_is_registered_and_published_whole_or_not_at_all(publisher: Publisher, uid: str) -> None:
    perm, kazan, clash, tver = (town(f"{n}-{uid}", f"{n.title()} {uid}") for n in ("perm", "kazan", "clash", "tver"))
    clash = clash.model_copy(update={"name": {"en": f"PERM {uid}"}})  # Perm's name in another case
    await publisher.store.insert(perm, outbox_entry(perm, "MunicipalityRegistered", utcnow()), "perm")
    before = await publisher.events.stream_position()
    assert await publisher.events.insert_batch([registered(kazan), registered(clash)]) is False
    assert (await publisher.store.municipality(kazan.id), await publisher.store.municipality(clash.id)) == (None, None)
    assert await publisher.events.stream_position() == before
    batch = [registered(kazan), registered(tver)]
    assert await publisher.events.insert_batch(batch) is True
    for municipality, event in batch:
        assert await publisher.store.municipality(municipality.id) is not None
        assert await publisher.published(subjects.catalog_event("municipality", municipality.id)) == [event["body"]]
    assert await publisher.events.stream_position() == before + 2
