"""The contract of the submissions service's store (veche_submissions.ports.CatalogStore): the same assertions against
the in-memory fake the fast use-case tests run on and against the Mongo repository on the real database, so the
fake cannot drift from what the database does (unique fields, versions, outboxes, filters, paging, times)."""

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pymongo import AsyncMongoClient

from veche_dev import factories as f
from veche_shared.contracts.catalog import CatalogEventType, Contest, Municipality, Nomination, Practice, PracticeStatus
from veche_shared.contracts.representatives import Invitation
from veche_shared.contracts.submissions import ListMunicipalities, ListPractices
from veche_shared.errors import AlreadyExists
from veche_submissions.core import outbox_entry
from veche_submissions.documents import CatalogEntity, Doc, key_of, stored_fields
from veche_submissions.fakes import InMemoryCatalog
from veche_submissions.ports import CatalogStore
from veche_submissions.repository import CatalogRepository


@pytest.fixture(params=["memory", "mongo"])
async def store(request: pytest.FixtureRequest, uid: str) -> AsyncIterator[CatalogStore]:
    if request.param == "memory":
        yield InMemoryCatalog()
        return
    infra: dict[str, str] = request.getfixturevalue("infra")  # started only for the database's half
    mongo: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(infra["mongodb_url"], tz_aware=True)
    repository = CatalogRepository(mongo, f"store_{uid}")
    await repository.ensure_indexes()
    yield repository
    await mongo.drop_database(f"store_{uid}")
    await mongo.close()


def town(mid: str, name: str, country: str = "RU") -> Municipality:
    return Municipality(id=mid, name={"en": name, "ru": f"{name}-ru"}, country=country, lat=58.0, lon=56.2)


CREATED: dict[type[CatalogEntity], CatalogEventType] = {
    Contest: "ContestCreated", Nomination: "NominationCreated", Municipality: "MunicipalityRegistered",
    Practice: "PracticeSubmitted",
}  # fmt: skip


def event(entity: CatalogEntity) -> Doc:
    return outbox_entry(entity, CREATED[type(entity)], at())


def at() -> datetime:
    return datetime.now(UTC)


async def put(store: CatalogStore, *entities: CatalogEntity, **private: Any) -> None:
    for entity in entities:
        await store.insert(entity, event(entity), key_of(entity), private or None)


def stored(entity: CatalogEntity, **private: Any) -> Doc:
    return {"_id": key_of(entity), **stored_fields(entity), **private}


async def test_entities_read_back_as_stored_without_their_outbox(store: CatalogStore) -> None:
    contest, nomination = f.contest("c1"), Nomination(id="n1", contest="c1", title={"en": "Parks"})
    perm, practice = town("perm", "Perm"), f.practice("c1", "p1", "n1", municipality="perm")
    await put(store, contest, nomination, perm)
    submitted = event(practice)
    await store.insert(practice, submitted, "p1", {"contact": "anna@perm.example"})
    assert await store.document(Contest, "c1") == stored(contest)
    assert await store.nomination("c1", "n1") == await store.document(Nomination, "c1:n1") == stored(nomination)
    assert await store.municipality("perm") == stored(perm)
    assert await store.practice("p1") == stored(practice, contact="anna@perm.example")
    assert await store.document(Practice, "nope") is None
    assert await store.outbox(Practice, "p1") == [submitted]
    assert len(await store.outbox(Contest, "c1")) == 1


async def test_a_taken_key_or_taken_unique_fields_are_refused(store: CatalogStore) -> None:
    await put(store, f.contest("c1"), town("perm", "Perm"), f.practice("c1", "p1", municipality="perm"))
    with pytest.raises(AlreadyExists, match="contest c1 already exists"):
        await store.insert(f.contest("c1", jwt_audience="other"), {"event_id": "x"}, "contest c1")
    with pytest.raises(AlreadyExists):  # the same name in the same country, whatever the case
        await store.insert(town("perm2", "PERM"), {"event_id": "x"}, "municipality perm2")
    with pytest.raises(AlreadyExists):  # one practice per municipality per nomination
        await store.insert(f.practice("c1", "p2", municipality="perm"), {"event_id": "x"}, "p2")
    assert (await store.municipality("perm2"), await store.practice("p2")) == (None, None)
    await put(store, town("perm-kz", "Perm", country="KZ"), f.practice("c1", "p3", "other", municipality="perm"))
    assert [d["_id"] for d in await store.every_municipality()] == ["perm", "perm-kz"]


async def test_an_update_needs_the_expected_version_and_keeps_unique_fields_unique(store: CatalogStore) -> None:
    perm, kazan = town("perm", "Perm"), town("kazan", "Kazan")
    await put(store, perm, kazan)
    renamed = perm.model_copy(update={"name": {"en": "Molotov"}, "version": 2})
    assert await store.update(renamed, 1, {"event_id": "e2"}) is True
    assert await store.municipality("perm") == stored(renamed)
    assert await store.update(renamed.model_copy(update={"lat": 1.0}), 1, {"event_id": "e3"}) is False
    assert [e["event_id"] for e in await store.outbox(Municipality, "perm")][1:] == ["e2"]
    clash = kazan.model_copy(update={"name": {"en": "molotov"}, "version": 2})
    with pytest.raises(AlreadyExists):
        await store.update(clash, 1, {"event_id": "e4"})
    assert await store.municipality("kazan") == stored(kazan)
    assert await store.update(town("nowhere", "Nowhere"), 1, {"event_id": "e5"}) is False
    practice = f.practice("c1", "p1", municipality="perm", status=PracticeStatus.pending)
    await put(store, practice, contact="old@perm.example")
    approved = practice.model_copy(update={"status": PracticeStatus.approved, "version": 2})
    assert await store.update(approved, 1, {"event_id": "e6"}) is True  # private fields not given stay
    assert await store.practice("p1") == stored(approved, contact="old@perm.example")


async def test_outboxes_are_published_in_order(store: CatalogStore) -> None:
    contest = f.contest("c1")
    await put(store, contest, f.contest("c2"))
    assert await store.update(contest.model_copy(update={"version": 2}), 1, {"event_id": "second"})
    first = (await store.outbox(Contest, "c1"))[0]["event_id"]
    await store.drop_published(Contest, "c1", "second")  # not the first waiting: nothing changes
    assert [e["event_id"] for e in await store.outbox(Contest, "c1")] == [first, "second"]
    await store.drop_published(Contest, "c1", first)
    assert [e["event_id"] for e in await store.outbox(Contest, "c1")] == ["second"]
    await store.drop_published(Contest, "c2", (await store.outbox(Contest, "c2"))[0]["event_id"])
    assert [pending async for pending in store.pending_outboxes()] == [(Contest, "c1")]
    assert await store.outbox(Contest, "nope") == []


async def test_reads_filter_and_page_as_the_use_cases_expect(store: CatalogStore) -> None:
    await put(store, f.contest("c1"), f.contest("c2"), town("perm", "Perm"), town("oxford", "Oxford", "GB"))
    await put(store, town("permskiy", "Permsky district"), Nomination(id="n2", contest="c1", title={"en": "N"}))
    await put(
        store,
        Nomination(id="n1", contest="c1", title={"en": "N"}),
        Nomination(id="n1", contest="c2", title={"en": "N"}),
    )
    practices = [
        f.practice("c1", "p1", "n1", municipality="perm"),
        f.practice("c1", "p2", "n1", municipality="oxford", status=PracticeStatus.pending),
        f.practice("c1", "p3", "n2", municipality="perm").model_copy(update={"title": {"en": "Green Park"}}),
        f.practice("c2", "p4", "n1", municipality="perm"),
    ]
    await put(store, *practices)
    assert [d["_id"] for d in await store.contests()] == ["c1", "c2"]
    assert [d["_id"] for d in await store.nominations_of("c1")] == ["c1:n1", "c1:n2"]

    def page(**q: Any) -> ListPractices:
        return ListPractices.model_validate({"contest": "c1"} | q)

    assert [d["_id"] for d in await store.practice_page(page(), None, 10)] == ["p1", "p3"]
    assert [d["_id"] for d in await store.practice_page(page(include_unpublished=True), "p1", 10)] == ["p2", "p3"]
    assert [d["_id"] for d in await store.practice_page(page(include_unpublished=True), None, 2)] == ["p1", "p2"]
    assert [d["_id"] for d in await store.practice_page(page(title_contains="PARK"), None, 10)] == ["p3"]
    pending = page(include_unpublished=True, status="pending", municipality="oxford", nomination="n1")
    assert [d["_id"] for d in await store.practice_page(pending, None, 10)] == ["p2"]
    assert [d["_id"] for d in await store.practices_of_municipality("perm", "p1", 10)] == ["p3", "p4"]
    assert await store.practice_count("c1", PracticeStatus.approved) == 2
    assert await store.practice_count("c1", PracticeStatus.rejected) == 0

    def towns(**q: Any) -> ListMunicipalities:
        return ListMunicipalities.model_validate(q)

    assert [d["_id"] for d in await store.municipality_page(towns(q="PERM"), None, 10)] == ["perm", "permskiy"]
    assert [d["_id"] for d in await store.municipality_page(towns(q="oxford-ru"), None, 10)] == ["oxford"]
    assert [d["_id"] for d in await store.municipality_page(towns(country="GB"), None, 10)] == ["oxford"]
    assert [d["_id"] for d in await store.municipality_page(towns(ids=["perm", "x"]), None, 10)] == ["perm"]
    assert [d["_id"] for d in await store.municipality_page(towns(), "oxford", 1)] == ["perm"]
    assert [d["_id"] for d in await store.municipalities_with_ids(["permskiy", "oxford"])] == ["oxford", "permskiy"]
    assert [d["_id"] for d in await store.entity_page(Nomination, "c1:n1", 2)] == ["c1:n2", "c2:n1"]


async def test_invitations_keep_one_key_and_the_first_revocation(store: CatalogStore) -> None:
    issued = at().replace(microsecond=123_456)
    as_kept = issued.replace(microsecond=123_000)  # BSON keeps milliseconds: so must the fake
    first = Invitation(
        id="i1", municipality="perm", issued_by="admin", issued_at=issued, expires_at=issued + timedelta(days=3)
    )
    await store.add_invitation(first, "sha-1")
    await store.add_invitation(first.model_copy(update={"id": "i0"}), "sha-0")
    with pytest.raises(AlreadyExists):
        await store.add_invitation(first.model_copy(update={"id": "i2"}), "sha-1")
    found = await store.invitation_by_key("sha-1")
    assert found == first.model_copy(update={"issued_at": as_kept, "expires_at": as_kept + timedelta(days=3)})
    assert await store.invitation_by_key("sha-2") is None
    revoked = await store.revoke_invitation("i1", issued, "moderator")
    again = await store.revoke_invitation("i1", issued + timedelta(days=1), "someone-else")
    assert revoked is not None
    assert (revoked.revoked_at, revoked.revoked_by) == (as_kept, "moderator")
    assert again == revoked
    assert await store.revoke_invitation("nope", issued, "admin") is None
    assert [i.id for i in await store.invitations_of("perm")] == ["i0", "i1"]
    assert await store.invitations_of("oxford") == []


async def test_a_photo_is_kept_once_under_its_key(store: CatalogStore) -> None:
    await store.put_photo("p1/a/large", b"\xff\xd8first")
    await store.put_photo("p1/a/large", b"\xff\xd8second")
    assert await store.photo("p1/a/large") == b"\xff\xd8first"
    await store.delete_photo("p1/a/large")
    await store.delete_photo("p1/a/large")  # deleting what is gone is harmless
    assert await store.photo("p1/a/large") is None
