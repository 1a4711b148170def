"""svc.submissions.catalog.snapshot: pages plus the stream position, converging with the stream afterwards."""

import json
import time
from typing import Any

import pytest

from tests.submissions_helpers import Service
from veche_shared import subjects
from veche_shared.catalog_view import CatalogView, _events
from veche_shared.contracts import submissions as s
from veche_shared.contracts.catalog import Contest, Municipality, Nomination, Practice
from veche_shared.operations import submissions as ops

MODELS = {"contests": Contest, "nominations": Nomination, "municipalities": Municipality, "practices": Practice}


def apply_page(view: CatalogView, page: dict[str, Any]) -> None:
    for contest in [Contest.model_validate(c) for c in page["contests"]]:
        view.contests[contest.id] = contest
    for nomination in [Nomination.model_validate(n) for n in page["nominations"]]:
        view.nominations[(nomination.contest, nomination.id)] = nomination
    for municipality in [Municipality.model_validate(m) for m in page["municipalities"]]:
        view.municipalities[municipality.id] = municipality
    for practice in [Practice.model_validate(p) for p in page["practices"]]:
        view.practices[practice.id] = practice


async def test_snapshot_then_stream_equals_the_truth(service: Service, uid: str) -> None:
    await service.seed(uid, municipalities=5)
    for i in range(5):
        await service.submit(uid, f"{uid}-p{i}", f"{uid}-m{i}")
    view, pages = CatalogView(), []
    page = await service.ask(ops.CATALOG_SNAPSHOT, s.SnapshotQuery(limit=2))
    while True:
        apply_page(view, page)
        pages.append(page)
        if page["practices"] and page["practices"][0]["id"] == f"{uid}-p0":
            # a change to an entity already read: only the stream after resume_from can bring it
            await service.ask(ops.PRACTICE_APPROVE, s.ModeratePractice(practice=f"{uid}-p0"))
        if page["next_cursor"] is None:
            break
        page = await service.ask(ops.CATALOG_SNAPSHOT, s.SnapshotQuery(limit=2, cursor=page["next_cursor"]))
    assert {p["resume_from"] for p in pages} == {pages[0]["resume_from"]}
    assert view.practices[f"{uid}-p0"].status == "pending"
    subject, seq = f"catalog.*.{uid}", pages[0]["resume_from"]
    js = service.nc.jetstream()
    last = (await js.stream_info(subjects.CATALOG_STREAM)).state.last_seq
    while seq <= last:
        try:
            msg = await js.get_msg(subjects.CATALOG_STREAM, seq=seq, subject=subject, next=True)
        except Exception:  # no further message on the subject
            break
        view.apply(_events.validate_json(msg.data or b""))
        seq = (msg.seq or 0) + 1
    assert view.practices[f"{uid}-p0"].status == "approved"
    assert sorted(p for p in view.practices if p.startswith(uid)) == [f"{uid}-p{i}" for i in range(5)]
    assert view.contests[uid].version == 1
    assert (uid, "n1") in view.nominations


@pytest.mark.timeout(600)
@pytest.mark.heavy
async def test_measure_snapshot_of_ten_thousand_practices(service: Service, uid: str) -> None:
    await service.seed(uid, municipalities=1)
    practices = [
        Practice(id=f"{uid}-{i}", contest=uid, nomination="n1", municipality=f"m{i}", title=f"Practice {i}")
        for i in range(10_000)
    ]
    docs = [{"_id": p.id, **p.model_dump(mode="json", exclude={"id"}), "_outbox": []} for p in practices]
    await service.db.practices.insert_many(docs)
    started, count, pages, cursor = time.perf_counter(), 0, 0, None
    while True:
        page = await service.ask(ops.CATALOG_SNAPSHOT, s.SnapshotQuery(limit=2_000, cursor=cursor))
        count, pages = count + len(page["practices"]), pages + 1
        assert len(json.dumps(page)) < 1_000_000
        if (cursor := page["next_cursor"]) is None:
            break
    elapsed = time.perf_counter() - started
    assert count == 10_000
    print(f"snapshot of 10,000 practices: {elapsed:.2f} s in {pages} pages")  # for bench/README.md
