"""Read use cases: contests, nominations, municipalities and pages of practices."""

import base64
import binascii
import re
from typing import Any, TypeVar

from pydantic import BaseModel

from veche_shared.contracts.catalog import Contest, Municipality, Nomination, Practice, PracticeStatus
from veche_shared.contracts.ops import PracticeCounts, PracticeCountsQuery
from veche_shared.contracts.submissions import (
    GetContest,
    GetPractice,
    ListMunicipalities,
    ListNominations,
    ListPractices,
    MunicipalityPage,
    PracticePage,
)
from veche_shared.errors import BadCursor, NotFound
from veche_shared.subjects import TOKEN_PATTERN
from veche_submissions.core import Core
from veche_submissions.documents import Doc, load

Item = TypeVar("Item", Municipality, Practice)
# of NATS's largest message (1 MB): a page of long texts in many languages ends early rather than fail to send
PAGE_BYTES = 800_000


def encode_cursor(last_id: str) -> str:
    return base64.urlsafe_b64encode(last_id.encode()).decode()


def decode_cursor(cursor: str) -> str:
    try:
        last_id = base64.urlsafe_b64decode(cursor.encode()).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        last_id = ""
    if not re.match(TOKEN_PATTERN, last_id) or encode_cursor(last_id) != cursor:
        raise BadCursor()
    return last_id


def fill(model: type[Item], docs: list[Doc], limit: int) -> tuple[list[Item], str | None]:
    """Up to limit items of docs (fetched limit + 1) within PAGE_BYTES, and the cursor after the last if more."""
    items: list[Item] = []
    size = 0
    for doc in docs[:limit]:
        item = load(model, doc)
        size += len(item.model_dump_json())
        if items and size > PAGE_BYTES:
            return items, encode_cursor(items[-1].id)
        items.append(item)
    return items, encode_cursor(items[-1].id) if len(docs) > limit else None


class Queries(Core):
    async def get_contest(self, q: GetContest) -> Contest:
        return await self.contest(q.contest)

    async def list_contests(self, _: BaseModel) -> list[Contest]:
        return [load(Contest, d) for d in await self.repo.contests()]

    async def list_nominations(self, q: ListNominations) -> list[Nomination]:
        docs = await self.repo.nominations_of(q.contest)
        return sorted((load(Nomination, d) for d in docs), key=lambda n: (n.order, n.id))

    async def list_municipalities(self, q: ListMunicipalities) -> MunicipalityPage:
        """A page of municipalities in id order: a range on _id after the cursor, never a skip."""
        after = decode_cursor(q.cursor) if q.cursor else None
        docs = await self.repo.municipality_page(q, after, q.limit + 1)
        items, next_cursor = fill(Municipality, docs, q.limit)
        return MunicipalityPage(items=items, next_cursor=next_cursor)

    async def get_practice(self, q: GetPractice) -> Practice:
        """An approved practice of a public contest; any other is as unknown as one that does not exist."""
        doc = await self.repo.practice(q.practice)
        public = doc is not None and doc["contest"] == q.contest and doc["status"] == PracticeStatus.approved
        if doc is None or not public or not (await self.contest(q.contest)).is_public():
            raise NotFound("unknown_practice", f"no practice {q.practice} in contest {q.contest}")
        return load(Practice, doc)

    async def page_practices(self, q: ListPractices) -> PracticePage:
        """A page of practices in id order; the public sees approved practices of contests past draft."""
        if not q.include_unpublished and not (await self.contest(q.contest)).is_public():
            return PracticePage(items=[])
        after = decode_cursor(q.cursor) if q.cursor else None
        docs = await self.repo.practice_page(q, after, q.limit + 1)
        items, next_cursor = fill(Practice, docs, q.limit)
        if not q.include_unpublished:
            return PracticePage(items=items, next_cursor=next_cursor)
        return PracticePage(items=items, next_cursor=next_cursor, **await self.for_moderators(items, docs))

    async def for_moderators(self, items: list[Practice], docs: list[Doc]) -> dict[str, dict[str, Any]]:
        """What operators read beside a page of practices: municipality names, and the private contacts."""
        towns = sorted({p.municipality for p in items})
        found = await self.repo.municipalities_with_ids(towns) if towns else []
        listed = {p.id for p in items}
        contacts = {d["_id"]: d["contact"] for d in docs if d["_id"] in listed and d.get("contact")}
        names = {town.id: town.name for town in (load(Municipality, d) for d in found)}
        return {"municipality_names": names, "contacts": contacts}

    async def practice_counts(self, q: PracticeCountsQuery) -> PracticeCounts:
        """Practices of a contest by status (operators: pending is the moderation queue)."""
        await self.contest(q.contest)  # 404 for an unknown contest
        counts = {}
        for status in PracticeStatus:
            counts[status.value] = await self.repo.practice_count(q.contest, status)
        return PracticeCounts.model_validate(counts)
