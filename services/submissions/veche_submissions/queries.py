"""Read use cases: contests, nominations, municipalities and pages of practices."""

import base64
import binascii
import re

from pydantic import BaseModel

from veche_shared.contracts.catalog import Contest, Municipality, Nomination, Practice, PracticeStatus
from veche_shared.contracts.ops import PracticeCounts, PracticeCountsQuery
from veche_shared.contracts.submissions import (
    GetContest,
    ListMunicipalities,
    ListNominations,
    ListPractices,
    PracticePage,
)
from veche_shared.errors import BadCursor
from veche_shared.subjects import TOKEN_PATTERN
from veche_submissions.core import Core, load
from veche_submissions.repository import Doc


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


def practice_filter(q: ListPractices) -> Doc:
    query: Doc = {"contest": q.contest}
    for field in ("nomination", "municipality", "status"):
        if (value := getattr(q, field)) is not None:
            query[field] = value
    if not q.include_unpublished:
        query["status"] = PracticeStatus.approved
    if q.title_contains:
        query["title_key"] = {"$regex": re.escape(q.title_contains.casefold())}
    return query


class Queries(Core):
    async def get_contest(self, q: GetContest) -> Contest:
        return await self.contest(q.contest)

    async def list_contests(self, _: BaseModel) -> list[Contest]:
        return [load(Contest, d) for d in await self.repo.find("contests", {})]

    async def list_nominations(self, q: ListNominations) -> list[Nomination]:
        docs = await self.repo.find("nominations", {"contest": q.contest})
        return sorted((load(Nomination, d) for d in docs), key=lambda n: (n.order, n.id))

    async def list_municipalities(self, q: ListMunicipalities) -> list[Municipality]:
        query: Doc = {"_id": {"$in": q.ids}} if q.ids is not None else {}
        return [load(Municipality, d) for d in await self.repo.find("municipalities", query)]

    async def page_practices(self, q: ListPractices) -> PracticePage:
        """A page of practices in id order; the public sees approved practices of contests past draft."""
        if not q.include_unpublished and not (await self.contest(q.contest)).is_public():
            return PracticePage(items=[])
        after = decode_cursor(q.cursor) if q.cursor else None
        docs = await self.repo.page("practices", practice_filter(q), after, q.limit + 1)
        items = [load(Practice, d) for d in docs[: q.limit]]
        return PracticePage(items=items, next_cursor=encode_cursor(items[-1].id) if len(docs) > q.limit else None)

    async def list_practices(self, q: ListPractices) -> list[Practice]:
        """One page as a plain list (the shape the public gateway reads)."""
        return (await self.page_practices(q)).items

    async def practice_counts(self, q: PracticeCountsQuery) -> PracticeCounts:
        """Practices of a contest by status (operators: pending is the moderation queue)."""
        await self.contest(q.contest)  # 404 for an unknown contest
        counts = {}
        for status in PracticeStatus:
            counts[status.value] = await self.repo.count("practices", {"contest": q.contest, "status": status})
        return PracticeCounts.model_validate(counts)
