"""What only the real service shows: concurrent writes through its RPC, database, writer discipline and stream
(the rules themselves are fast tests on the in-memory adapters: tests/unit/test_submissions_use_cases.py)."""

import asyncio

from tests.submissions_helpers import Service
from veche_shared import subjects
from veche_shared.contracts import submissions as s
from veche_shared.errors import DomainError
from veche_shared.operations import submissions as ops


async def test_concurrent_approvals_publish_one_event(service: Service, uid: str) -> None:
    await service.seed(uid)
    await service.submit(uid, f"p-{uid}", f"{uid}-m0")
    command = s.ModeratePractice(practice=f"p-{uid}")
    answers = await asyncio.gather(*(service.ask(ops.PRACTICE_APPROVE, command) for _ in range(8)))
    assert {a["status"] for a in answers} == {"approved"}
    assert {a["version"] for a in answers} == {2}
    types = [e["type"] for e in await service.catalog_events(subjects.catalog_event("practice", uid))]
    assert types == ["PracticeSubmitted", "PracticeApproved"]


async def test_approve_and_reject_race_one_wins(service: Service, uid: str) -> None:
    await service.seed(uid)
    await service.submit(uid, f"p-{uid}", f"{uid}-m0")
    approve = service.ask(ops.PRACTICE_APPROVE, s.ModeratePractice(practice=f"p-{uid}"))
    reject = service.ask(ops.PRACTICE_REJECT, s.RejectPractice(practice=f"p-{uid}", reason="no"))
    answers = await asyncio.gather(approve, reject, return_exceptions=True)
    assert sum(isinstance(a, DomainError) and a.code == "illegal_status_change" for a in answers) == 1, [
        a if isinstance(a, BaseException) else (a["status"], a["version"]) for a in answers
    ]
    events = await service.catalog_events(f"catalog.practice.{uid}")
    assert len(events) == 2
