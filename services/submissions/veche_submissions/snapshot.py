"""The catalog snapshot: every entity, a page at a time, plus the CATALOG sequence to resume from."""

import base64
import binascii
import json

from pydantic import BaseModel, ValidationError

from veche_shared.contracts.catalog import Contest, Municipality, Nomination, Practice
from veche_shared.contracts.submissions import CatalogSnapshot, SnapshotQuery
from veche_shared.errors import BadCursor
from veche_submissions.core import Core
from veche_submissions.documents import COLLECTION, load

ORDER: list[type[Contest] | type[Nomination] | type[Municipality] | type[Practice]] = [
    Contest,
    Nomination,
    Municipality,
    Practice,
]


class Position(BaseModel):
    seq: int
    part: int = 0
    after: str | None = None

    def encode(self) -> str:
        return base64.urlsafe_b64encode(self.model_dump_json().encode()).decode()

    @classmethod
    def decode(cls, cursor: str) -> "Position":
        try:
            return cls.model_validate(json.loads(base64.urlsafe_b64decode(cursor.encode())))
        except (binascii.Error, ValueError, ValidationError):
            raise BadCursor() from None


class SnapshotQueries(Core):
    async def catalog_snapshot(self, q: SnapshotQuery) -> CatalogSnapshot:
        """A page of entities; the stream position is taken before the first read, so nothing is missed."""
        at = Position.decode(q.cursor) if q.cursor else Position(seq=await self.events.stream_position())
        if not 0 <= at.part < len(ORDER):
            raise BadCursor()
        model = ORDER[at.part]
        docs = await self.repo.entity_page(model, at.after, q.limit + 1)
        entities = [load(model, d) for d in docs[: q.limit]]  # type: ignore[type-var]  # one of the four
        if len(docs) > q.limit:
            following: Position | None = Position(seq=at.seq, part=at.part, after=docs[q.limit - 1]["_id"])
        elif at.part + 1 < len(ORDER):
            following = Position(seq=at.seq, part=at.part + 1)
        else:
            following = None
        return CatalogSnapshot.model_validate(
            {
                "resume_from": at.seq + 1,
                COLLECTION[model]: entities,
                "next_cursor": following.encode() if following else None,
            }
        )
