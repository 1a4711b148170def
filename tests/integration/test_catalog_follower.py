"""A catalog view started from the snapshot equals one replayed from the whole stream, and stays current."""

from tests.submissions_helpers import Service
from veche_dev.eventually import eventually
from veche_shared import subjects
from veche_shared.catalog_snapshot import load_snapshot
from veche_shared.catalog_view import CatalogFollower, CatalogView
from veche_shared.contracts import submissions as s
from veche_shared.operations import submissions as ops


def mine(view: CatalogView, uid: str) -> dict[str, object]:
    return {
        "contests": {k: v for k, v in view.contests.items() if k == uid},
        "nominations": {k: v for k, v in view.nominations.items() if k[0] == uid},
        "practices": {k: v for k, v in view.practices.items() if v.contest == uid},
    }


async def test_snapshot_start_converges_with_a_full_replay(service: Service, uid: str) -> None:
    await service.seed(uid, municipalities=3)
    for i in range(3):
        await service.submit(uid, f"{uid}-p{i}", f"{uid}-m{i}")
    await service.ask(ops.PRACTICE_APPROVE, s.ModeratePractice(practice=f"{uid}-p0"))
    js = service.nc.jetstream()

    from_snapshot = CatalogView()
    resume_from = await load_snapshot(service.nc, from_snapshot, timeout=10)
    assert resume_from > 1
    assert from_snapshot.practices[f"{uid}-p0"].status == "approved"
    follower = CatalogFollower(js, from_snapshot)
    await follower.start(resume_from)
    await follower.wait_caught_up(10)
    await service.ask(ops.PRACTICE_APPROVE, s.ModeratePractice(practice=f"{uid}-p1"))

    replayed = CatalogView()
    full = CatalogFollower(js, replayed)
    await full.start()
    await full.wait_caught_up(10)
    p1 = f"{uid}-p1"
    await eventually(
        lambda: (from_snapshot.practices[p1].status, replayed.practices[p1].status),
        ("approved", "approved").__eq__,
        what="the approval in both views",
    )
    await follower.stop()
    await full.stop()
    assert mine(from_snapshot, uid) == mine(replayed, uid)
    assert from_snapshot.practices[f"{uid}-p1"].status == "approved"


async def test_a_follower_resuming_after_the_last_event_is_caught_up_at_once(service: Service, uid: str) -> None:
    """(CATALOG denies purges now, so a purged catalog no longer happens: docs/adr/0014-provisioned-bus.md.)"""
    await service.seed(uid)
    js = service.nc.jetstream()
    last = (await js.stream_info(subjects.CATALOG_STREAM)).state.last_seq
    follower = CatalogFollower(js, CatalogView())
    await follower.start(resume_from=last + 1)
    try:
        await follower.wait_caught_up(5)
    finally:
        await follower.stop()
