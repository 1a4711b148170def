"""The submissions service as tests talk to it: one seeding for the real service over the bus (`Service`, the
integration tests' `service` fixture) and for its use cases in this process on the in-memory adapters
(`InMemorySubmissions`, fast tests)."""

import json
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from nats.aio.client import Client
from pydantic import BaseModel
from pydantic_core import to_jsonable_python
from pymongo.asynchronous.database import AsyncDatabase

from veche_dev import factories as f
from veche_shared import subjects
from veche_shared.audit import ServiceTrail
from veche_shared.contracts import submissions as s
from veche_shared.contracts.common import utcnow
from veche_shared.operations import submissions as ops
from veche_shared.rpc import Operation, answer, call, unwrap
from veche_shared.rpc.client import _wire
from veche_submissions.fakes import InMemoryAudit, InMemoryCatalog, InMemoryEvents
from veche_submissions.handlers import Submissions
from veche_submissions.rpc import routes
from veche_submissions.settings import SubmissionsSettings


class SubmissionsClient(ABC):
    @abstractmethod
    async def ask(self, op: Operation[Any, Any], payload: BaseModel) -> Any:
        """The validated reply, as the JSON it travelled as (tests assert on the wire shape); a refusal raises."""

    async def seed(self, contest: str, municipalities: int = 1) -> None:
        """A draft contest with nomination `n1` and municipalities `<contest>-m<i>`."""
        await self.ask(ops.CONTEST_CREATE, s.CreateContest(id=contest, title={"en": f"Contest {contest}"}))
        await self.ask(ops.NOMINATION_CREATE, s.CreateNomination(contest=contest, id="n1", title={"en": "N1"}))
        for i in range(municipalities):
            await self.ask(ops.MUNICIPALITY_REGISTER, f.municipality(f"{contest}-m{i}"))

    async def submit(self, contest: str, practice: str, municipality_id: str, nomination: str = "n1") -> Any:
        command = s.SubmitPractice(
            id=practice, contest=contest, nomination=nomination, municipality=municipality_id, title=f"Title {practice}"
        )
        return await self.ask(ops.PRACTICE_SUBMIT, command)


class InMemorySubmissions(SubmissionsClient):
    """The service's use cases behind its own table of routes, each request answered by `veche_shared.rpc.answer` as
    the bus would deliver it (the same parsing, envelope and refusals), on the in-memory store and publisher."""

    def __init__(self, clock: Callable[[], datetime] = utcnow) -> None:
        self.store = InMemoryCatalog()
        self.events = InMemoryEvents(self.store)
        self.audit = InMemoryAudit()
        trail = ServiceTrail(self.audit.append, "submissions", clock)
        self.handlers = {r.op.subject: r.handler for r in routes(Submissions(self.store, self.events, clock, trail))}

    async def raw(self, op: Operation[Any, Any], body: bytes) -> Any:
        """The reply envelope to a request of these bytes, decoded."""
        reply, _ = await answer(op, self.handlers[op.subject], body)
        return json.loads(reply)

    async def ask(self, op: Operation[Any, Any], payload: BaseModel) -> Any:
        reply, _ = await answer(op, self.handlers[op.subject], _wire(payload))
        return to_jsonable_python(op.adapter.validate_python(unwrap(reply)))

    def catalog_events(self, subject: str) -> list[dict[str, Any]]:
        """Every event published on one subject, in order, as stream CATALOG would hold it."""
        return [event["body"] for event in self.events.published if event["subject"] == subject]


@dataclass
class Service(SubmissionsClient):
    """A running submissions service, its database and a client for its RPC."""

    settings: SubmissionsSettings
    nc: Client
    db: AsyncDatabase[dict[str, Any]]

    async def ask(self, op: Operation[Any, Any], payload: BaseModel) -> Any:
        """The validated reply, as the JSON it travelled as: tests assert on the wire shape."""
        return to_jsonable_python(await call(self.nc, op, payload, timeout=10))

    async def catalog_count(self, subject: str) -> int:
        """How many messages stream CATALOG holds on one subject."""
        info = await self.nc.jetstream().stream_info(subjects.CATALOG_STREAM, subjects_filter=subject)
        return int((info.state.subjects or {}).get(subject, 0))

    async def catalog_events(self, subject: str) -> list[dict[str, Any]]:
        """Every event stream CATALOG holds on one subject, in order."""
        js = self.nc.jetstream()
        events, seq = [], 1
        for _ in range(await self.catalog_count(subject)):
            msg = await js.get_msg(subjects.CATALOG_STREAM, seq=seq, subject=subject, next=True)
            events.append(json.loads(msg.data or b"{}"))
            seq = (msg.seq or 0) + 1
        return events
