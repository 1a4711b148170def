"""The outbox: an event written with its document reaches stream CATALOG exactly once, whatever crashes."""

import json
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.submissions_helpers import Service
from veche_dev import devstack
from veche_shared import subjects
from veche_shared.contracts import submissions as s
from veche_shared.contracts.catalog import Contest, ContestEvent, Municipality
from veche_shared.operations import submissions as ops
from veche_submissions.batches import JOURNAL, STALE, journal
from veche_submissions.core import outbox_entry
from veche_submissions.documents import OUTBOX, stored_fields
from veche_submissions.settings import SubmissionsSettings


def crashed_write(contest_id: str) -> tuple[dict[str, object], ContestEvent]:
    """The document a service leaves behind when it dies after the MongoDB write, before the publish."""
    contest = Contest(id=contest_id, title={"en": "Written, never published"})
    event = ContestEvent(type="ContestCreated", contest=contest)
    entry = {"event_id": event.event_id, "subject": subjects.catalog_event("contest", contest_id)}
    document = {"_id": contest_id, **contest.model_dump(mode="json", exclude={"id"})}
    return document | {OUTBOX: [entry | {"body": event.model_dump(mode="json")}]}, event


async def test_restart_publishes_a_pending_event_once(
    client: Service, start: Callable[[SubmissionsSettings], AbstractAsyncContextManager[None]], uid: str
) -> None:
    document, event = crashed_write(uid)
    await client.db.contests.insert_one(document)
    subject = subjects.catalog_event("contest", uid)
    assert await client.catalog_count(subject) == 0
    for _ in range(2):
        async with start(client.settings):
            assert [e["event_id"] for e in await client.catalog_events(subject)] == [event.event_id]
    assert (await client.db.contests.find_one({"_id": uid}) or {}).get(OUTBOX) == []


async def test_crash_after_publish_before_cleanup_is_deduplicated(
    client: Service, start: Callable[[SubmissionsSettings], AbstractAsyncContextManager[None]], uid: str
) -> None:
    document, event = crashed_write(uid)
    await client.db.contests.insert_one(document)
    subject = subjects.catalog_event("contest", uid)
    body = json.dumps(event.model_dump(mode="json")).encode()
    await client.nc.jetstream().publish(subject, body, headers={"Nats-Msg-Id": event.event_id})
    async with start(client.settings):
        assert await client.catalog_count(subject) == 1
    assert (await client.db.contests.find_one({"_id": uid}) or {}).get(OUTBOX) == []


async def test_kill_9_then_restart_delivers_exactly_once(infra: dict[str, str], client: Service, uid: str) -> None:
    """A real process is killed with SIGKILL while a write of its is still in the outbox; the next one drains it."""
    platform = devstack.Platform(infra["nats_url"], infra["mongodb_url"], Path(infra["logs"]))
    platform.extra_env = {
        "VECHE_SUBMISSIONS_DATABASE": client.settings.database,
        "VECHE_SUBMISSIONS_OUTBOX_SCAN_INTERVAL": "60",
    }
    first = platform.start("veche_submissions")
    await client.seed(uid)
    document, event = crashed_write(f"{uid}-crashed")
    await client.db.contests.insert_one(document)
    first.kill()
    platform.start("veche_submissions")
    try:
        await client.ask(ops.CONTEST_GET, s.GetContest(contest=uid))
        crashed = await client.catalog_events(subjects.catalog_event("contest", f"{uid}-crashed"))
        assert [e["event_id"] for e in crashed] == [event.event_id]
        assert [e["type"] for e in await client.catalog_events(subjects.catalog_event("contest", uid))] == [
            "ContestCreated"
        ]
    finally:
        platform.stop_all()


@pytest.mark.parametrize("state", ["written", "writing"])
async def test_restart_drains_a_crashed_import_batch(
    client: Service, start: Callable[[SubmissionsSettings], AbstractAsyncContextManager[None]], uid: str, state: str
) -> None:
    """A batch journal left by a crash: its events go out once, and only for documents the batch wrote."""
    towns = [Municipality(id=f"{uid}-{i}", name={"en": f"T{uid}{i}"}, country="RU", lat=1, lon=1) for i in range(2)]
    events = [outbox_entry(m, "MunicipalityRegistered", datetime.now(UTC)) | {"key": m.id} for m in towns]
    await client.db.municipalities.insert_one(
        {"_id": towns[0].id, **stored_fields(towns[0]), OUTBOX: [], "_batch": uid}
    )
    crashed = journal(uid, "municipalities", events, datetime.now(UTC) - STALE * 1.1, state)
    await client.db[JOURNAL].insert_one(crashed)
    async with start(client.settings):
        assert await client.db[JOURNAL].count_documents({"_id": uid}) == 0
        first = await client.catalog_events(subjects.catalog_event("municipality", towns[0].id))
        second = await client.catalog_events(subjects.catalog_event("municipality", towns[1].id))
    assert [e["event_id"] for e in first] == [events[0]["event_id"]]
    # "written" means every document of the batch is in the database; "writing" publishes only those found
    assert len(second) == (1 if state == "written" else 0)
