"""An in-memory catalog with the reads of veche_submissions.ports.CatalogReads, for fast use-case tests.

It keeps documents as CatalogRepository stores them (core.stored_fields plus `_id`) and answers each read with the
same rule as the Mongo filters in repository.py (practice_filter, municipality_filter)."""

from collections.abc import Callable

from pydantic import BaseModel

from veche_shared.contracts.catalog import PracticeStatus
from veche_shared.contracts.submissions import ListMunicipalities, ListPractices
from veche_submissions.core import COLLECTION, key_of, stored_fields
from veche_submissions.ports import CatalogReads
from veche_submissions.repository import CatalogRepository, Doc


class InMemoryCatalog:
    def __init__(self) -> None:
        self.collections: dict[str, dict[str, Doc]] = {name: {} for name in COLLECTION.values()}

    def add(self, entity: BaseModel, **private: object) -> None:
        """Store an entity as the repository would (private fields such as a practice's contact beside it)."""
        key = key_of(entity)
        self.collections[COLLECTION[type(entity)]][key] = {"_id": key, **stored_fields(entity), **private}

    def _select(self, collection: str, keep: Callable[[Doc], bool]) -> list[Doc]:
        return [dict(doc) for _, doc in sorted(self.collections[collection].items()) if keep(doc)]

    def _page(self, collection: str, keep: Callable[[Doc], bool], after: str | None, limit: int) -> list[Doc]:
        return self._select(collection, lambda d: keep(d) and (after is None or d["_id"] > after))[:limit]

    async def get(self, collection: str, key: str) -> Doc | None:
        found = self.collections[collection].get(key)
        return dict(found) if found is not None else None

    async def contests(self) -> list[Doc]:
        return self._select("contests", lambda _: True)

    async def nominations_of(self, contest: str) -> list[Doc]:
        return self._select("nominations", lambda d: d["contest"] == contest)

    async def nomination(self, contest: str, nomination: str) -> Doc | None:
        return await self.get("nominations", f"{contest}:{nomination}")

    async def municipality(self, municipality: str) -> Doc | None:
        return await self.get("municipalities", municipality)

    async def municipalities_with_ids(self, ids: list[str]) -> list[Doc]:
        return self._select("municipalities", lambda d: d["_id"] in ids)

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
        return await self.get("practices", practice)

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


def stores(fake: InMemoryCatalog, mongo: CatalogRepository) -> tuple[CatalogReads, CatalogReads]:
    """Both adapters of the port: mypy checks here that each has every read, with the same types."""
    return fake, mongo
