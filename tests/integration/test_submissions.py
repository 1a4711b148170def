"""Rules of the submissions service through its real RPC, database and stream."""

import asyncio
import json

import pytest

from veche_dev import factories as f
from veche_shared import subjects
from veche_shared.contracts import submissions as s
from veche_shared.contracts.catalog import Phase
from veche_shared.errors import DomainError
from veche_shared.operations import submissions as ops


async def refusal(awaitable: object) -> DomainError:
    with pytest.raises(DomainError) as caught:
        await awaitable  # type: ignore[misc]
    return caught.value


async def test_concurrent_approvals_publish_one_event(service, uid) -> None:
    await service.seed(uid)
    await service.submit(uid, f"p-{uid}", f"{uid}-m0")
    command = s.ModeratePractice(practice=f"p-{uid}")
    answers = await asyncio.gather(*(service.ask(ops.PRACTICE_APPROVE, command) for _ in range(8)))
    assert {a["status"] for a in answers} == {"approved"}
    assert {a["version"] for a in answers} == {2}
    types = [e["type"] for e in await service.catalog_events(subjects.catalog_event("practice", uid))]
    assert types == ["PracticeSubmitted", "PracticeApproved"]


OPEN, VOTE, CLOSE, PUBLISH, DRAFT = (
    Phase.submissions_open,
    Phase.voting_open,
    Phase.voting_closed,
    Phase.results_published,
    Phase.draft,
)


@pytest.mark.parametrize(
    ("approve", "path", "target", "code"),
    [
        (False, [OPEN], VOTE, "nothing_to_vote_for"),
        (True, [], VOTE, "illegal_transition"),
        (True, [OPEN, VOTE], OPEN, "illegal_transition"),
        (True, [OPEN, VOTE, CLOSE, PUBLISH], CLOSE, "illegal_transition"),
        (True, [OPEN], OPEN, "same_phase"),
    ],
)
async def test_phase_rules(service, uid, approve, path, target, code) -> None:
    await service.seed(uid)
    await service.submit(uid, f"p-{uid}", f"{uid}-m0")
    if approve:
        await service.ask(ops.PRACTICE_APPROVE, s.ModeratePractice(practice=f"p-{uid}"))
    for phase in path:
        await service.ask(ops.CONTEST_CHANGE_PHASE, s.ChangePhase(contest=uid, phase=phase))
    error = await refusal(service.ask(ops.CONTEST_CHANGE_PHASE, s.ChangePhase(contest=uid, phase=target)))
    assert (error.status, error.code) == (409, code)
    contest = await service.ask(ops.CONTEST_GET, s.GetContest(contest=uid))
    assert contest["phase"] == (path[-1] if path else DRAFT)


async def test_full_lifecycle_and_reopen(service, uid) -> None:
    await service.seed(uid)
    await service.submit(uid, f"p-{uid}", f"{uid}-m0")
    await service.ask(ops.PRACTICE_APPROVE, s.ModeratePractice(practice=f"p-{uid}"))
    for phase in (OPEN, VOTE, CLOSE, VOTE, CLOSE, PUBLISH):
        contest = await service.ask(ops.CONTEST_CHANGE_PHASE, s.ChangePhase(contest=uid, phase=phase))
    assert (contest["phase"], contest["version"]) == ("results_published", 7)
    types = [e["type"] for e in await service.catalog_events(subjects.catalog_event("contest", uid))]
    assert types == ["ContestCreated"] + ["ContestPhaseChanged"] * 6


async def test_stale_version_on_phase_change(service, uid) -> None:
    await service.seed(uid)
    await service.ask(ops.CONTEST_CHANGE_PHASE, s.ChangePhase(contest=uid, phase=OPEN, expected_version=1))
    error = await refusal(
        service.ask(ops.CONTEST_CHANGE_PHASE, s.ChangePhase(contest=uid, phase=DRAFT, expected_version=1))
    )
    assert (error.status, error.code) == (409, "stale_version")


async def test_one_practice_per_municipality_per_nomination(service, uid) -> None:
    await service.seed(uid)
    await service.submit(uid, f"a-{uid}", f"{uid}-m0")
    error = await refusal(service.submit(uid, f"b-{uid}", f"{uid}-m0"))
    assert (error.status, error.code) == (409, "already_exists")
    assert await service.db.practices.count_documents({"contest": uid}) == 1
    assert await service.catalog_count(subjects.catalog_event("practice", uid)) == 1


async def test_municipality_unique_per_country_and_name(service, uid) -> None:
    await service.ask(ops.MUNICIPALITY_REGISTER, f.municipality(f"a-{uid}", "Perm"))
    await service.ask(ops.MUNICIPALITY_REGISTER, f.municipality(f"b-{uid}", "Perm", country="KZ"))
    error = await refusal(service.ask(ops.MUNICIPALITY_REGISTER, f.municipality(f"c-{uid}", "PERM")))
    assert (error.status, error.code) == (409, "already_exists")
    error = await refusal(service.ask(ops.MUNICIPALITY_REGISTER, f.municipality(f"a-{uid}", "Other")))
    assert (error.status, error.code) == (409, "already_exists")
    assert await service.db.municipalities.count_documents({}) == 2


@pytest.mark.parametrize(
    ("practice", "status", "code"),
    [
        ({"nomination": "nope"}, 404, "unknown_nomination"),
        ({"municipality": "nope"}, 404, "unknown_municipality"),
        ({"contest": "nope"}, 404, "unknown_contest"),
    ],
)
async def test_submit_refusals(service, uid, practice, status, code) -> None:
    await service.seed(uid)
    command = {"contest": uid, "nomination": "n1", "municipality": f"{uid}-m0", "title": "T"} | practice
    error = await refusal(service.ask(ops.PRACTICE_SUBMIT, s.SubmitPractice.model_validate(command)))
    assert (error.status, error.code) == (status, code)
    assert await service.db.practices.count_documents({}) == 0


@pytest.mark.parametrize(
    "payload",
    [
        b'{"id": "x", "title": {"en": "t"}, "surprise": 1}',
        b'{"id": "bad id!", "title": {"en": "t"}}',
        b'{"id": "x", "title": {"en": "' + b"t" * 2001 + b'"}}',
        b"not json",
    ],
)
async def test_invalid_requests_get_422(service, payload) -> None:
    reply = await service.nc.request(ops.CONTEST_CREATE.subject, payload, timeout=10)
    body = json.loads(reply.data)
    assert (body["ok"], body["error"]["kind"], body["error"]["code"]) == (False, "invalid", "invalid_request")
    assert await service.db.contests.count_documents({}) == 0


async def test_submissions_closed_after_voting_opens(service, uid) -> None:
    await service.seed(uid, municipalities=2)
    await service.submit(uid, f"p-{uid}", f"{uid}-m0")
    await service.ask(ops.PRACTICE_APPROVE, s.ModeratePractice(practice=f"p-{uid}"))
    for phase in (OPEN, VOTE):
        await service.ask(ops.CONTEST_CHANGE_PHASE, s.ChangePhase(contest=uid, phase=phase))
    error = await refusal(service.submit(uid, f"q-{uid}", f"{uid}-m1"))
    assert (error.status, error.code) == (409, "submissions_closed")
