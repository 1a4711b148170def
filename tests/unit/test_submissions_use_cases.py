"""The submissions service's rules through its use cases on the in-memory store and publisher, each request answered
as the bus would (tests/submissions_helpers.py): phases, versions, uniqueness, moderation moves, refusals, pages.
What needs the real database, stream and concurrency stays in tests/integration/test_submissions.py; that the
in-memory store behaves as the database does is tests/integration/test_catalog_store.py."""

from datetime import datetime, timedelta

import pytest

from tests.submissions_helpers import InMemorySubmissions
from veche_dev import factories as f
from veche_shared import subjects
from veche_shared.contracts import submissions as s
from veche_shared.contracts.catalog import Phase
from veche_shared.contracts.common import utcnow
from veche_shared.errors import DomainError
from veche_shared.operations import submissions as ops


@pytest.fixture
def service() -> InMemorySubmissions:
    return InMemorySubmissions()


async def refusal(awaitable: object) -> DomainError:
    with pytest.raises(DomainError) as caught:
        await awaitable  # type: ignore[misc]
    return caught.value


async def refused(awaitable: object, status: int, code: str) -> None:
    error = await refusal(awaitable)
    assert (error.status, error.code) == (status, code), error


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
async def test_phase_rules(
    service: InMemorySubmissions, uid: str, approve: bool, path: list[Phase], target: Phase, code: str
) -> None:
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


async def test_full_lifecycle_and_reopen(service: InMemorySubmissions, uid: str) -> None:
    await service.seed(uid)
    await service.submit(uid, f"p-{uid}", f"{uid}-m0")
    await service.ask(ops.PRACTICE_APPROVE, s.ModeratePractice(practice=f"p-{uid}"))
    for phase in (OPEN, VOTE, CLOSE, VOTE, CLOSE, PUBLISH):
        contest = await service.ask(ops.CONTEST_CHANGE_PHASE, s.ChangePhase(contest=uid, phase=phase))
    assert (contest["phase"], contest["version"]) == ("results_published", 7)
    types = [e["type"] for e in service.catalog_events(subjects.catalog_event("contest", uid))]
    assert types == ["ContestCreated"] + ["ContestPhaseChanged"] * 6


async def test_stale_version_on_phase_change(service: InMemorySubmissions, uid: str) -> None:
    await service.seed(uid)
    await service.ask(ops.CONTEST_CHANGE_PHASE, s.ChangePhase(contest=uid, phase=OPEN, expected_version=1))
    error = await refusal(
        service.ask(ops.CONTEST_CHANGE_PHASE, s.ChangePhase(contest=uid, phase=DRAFT, expected_version=1))
    )
    assert (error.status, error.code) == (409, "stale_version")


async def test_one_practice_per_municipality_per_nomination(service: InMemorySubmissions, uid: str) -> None:
    await service.seed(uid)
    await service.submit(uid, f"a-{uid}", f"{uid}-m0")
    error = await refusal(service.submit(uid, f"b-{uid}", f"{uid}-m0"))
    assert (error.status, error.code) == (409, "already_exists")
    assert [p["_id"] for p in await service.store.practices_of_municipality(f"{uid}-m0", None, 10)] == [f"a-{uid}"]
    assert len(service.catalog_events(subjects.catalog_event("practice", uid))) == 1


async def test_municipality_unique_per_country_and_name(service: InMemorySubmissions, uid: str) -> None:
    await service.ask(ops.MUNICIPALITY_REGISTER, f.municipality(f"a-{uid}", "Perm"))
    await service.ask(ops.MUNICIPALITY_REGISTER, f.municipality(f"b-{uid}", "Perm", country="KZ"))
    error = await refusal(service.ask(ops.MUNICIPALITY_REGISTER, f.municipality(f"c-{uid}", "PERM")))
    assert (error.status, error.code) == (409, "already_exists")
    error = await refusal(service.ask(ops.MUNICIPALITY_REGISTER, f.municipality(f"a-{uid}", "Other")))
    assert (error.status, error.code) == (409, "already_exists")
    assert len(await service.store.every_municipality()) == 2


@pytest.mark.parametrize(
    ("practice", "status", "code"),
    [
        ({"nomination": "nope"}, 404, "unknown_nomination"),
        ({"municipality": "nope"}, 404, "unknown_municipality"),
        ({"contest": "nope"}, 404, "unknown_contest"),
    ],
)
async def test_submit_refusals(
    service: InMemorySubmissions, uid: str, practice: dict[str, str], status: int, code: str
) -> None:
    await service.seed(uid)
    command = {"contest": uid, "nomination": "n1", "municipality": f"{uid}-m0", "title": "T"} | practice
    error = await refusal(service.ask(ops.PRACTICE_SUBMIT, s.SubmitPractice.model_validate(command)))
    assert (error.status, error.code) == (status, code)
    assert service.store.collections["practices"] == {}


@pytest.mark.parametrize(
    "payload",
    [
        b'{"id": "x", "title": {"en": "t"}, "surprise": 1}',
        b'{"id": "bad id!", "title": {"en": "t"}}',
        b'{"id": "x", "title": {"en": "' + b"t" * 2001 + b'"}}',
        b"not json",
    ],
)
async def test_invalid_requests_get_422(service: InMemorySubmissions, payload: bytes) -> None:
    body = await service.raw(ops.CONTEST_CREATE, payload)
    assert (body["ok"], body["error"]["kind"], body["error"]["code"]) == (False, "invalid", "invalid_request")
    assert service.store.collections["contests"] == {}


async def test_submissions_closed_after_voting_opens(service: InMemorySubmissions, uid: str) -> None:
    await service.seed(uid, municipalities=2)
    await service.submit(uid, f"p-{uid}", f"{uid}-m0")
    await service.ask(ops.PRACTICE_APPROVE, s.ModeratePractice(practice=f"p-{uid}"))
    for phase in (OPEN, VOTE):
        await service.ask(ops.CONTEST_CHANGE_PHASE, s.ChangePhase(contest=uid, phase=phase))
    error = await refusal(service.submit(uid, f"q-{uid}", f"{uid}-m1"))
    assert (error.status, error.code) == (409, "submissions_closed")


async def test_contest_update_is_versioned(service: InMemorySubmissions, uid: str) -> None:
    await service.seed(uid)
    update = s.UpdateContest(contest=uid, expected_version=1, visibility="hidden", jwt_audience="city-portal")
    contest = await service.ask(ops.CONTEST_UPDATE, update)
    assert (contest["visibility"], contest["jwt_audience"], contest["version"]) == ("hidden", "city-portal", 2)
    assert contest["identity_mode"] == "jwt"
    await refused(service.ask(ops.CONTEST_UPDATE, update), 409, "stale_version")
    events = service.catalog_events(subjects.catalog_event("contest", uid))
    assert [e["type"] for e in events] == ["ContestCreated", "ContestUpdated"]
    assert events[-1]["contest"]["visibility"] == "hidden"


async def test_contest_update_refusals_change_nothing(service: InMemorySubmissions, uid: str) -> None:
    await service.seed(uid)
    opens = utcnow() + timedelta(days=2)
    bad_window = s.UpdateContest(contest=uid, expected_version=1, opens_at=opens, closes_at=opens - timedelta(days=1))
    await refused(service.ask(ops.CONTEST_UPDATE, bad_window), 422, "bad_window")
    await service.submit(uid, f"p-{uid}", f"{uid}-m0")
    await service.ask(ops.PRACTICE_APPROVE, s.ModeratePractice(practice=f"p-{uid}"))
    for phase in (Phase.submissions_open, Phase.voting_open):
        contest = await service.ask(ops.CONTEST_CHANGE_PHASE, s.ChangePhase(contest=uid, phase=phase))
    locked = s.UpdateContest(contest=uid, expected_version=contest["version"], identity_mode="device")
    await refused(service.ask(ops.CONTEST_UPDATE, locked), 409, "settings_locked")
    await refused(
        service.ask(ops.CONTEST_UPDATE, locked.model_copy(update={"contest": "nope"})), 404, "unknown_contest"
    )
    archive = s.UpdateNomination(contest=uid, nomination="n1", expected_version=1, archived=True)
    await refused(service.ask(ops.NOMINATION_UPDATE, archive), 409, "ballots_counted")
    renamed = s.UpdateNomination(contest=uid, nomination="n1", expected_version=1, title={"en": "Parks"})
    assert (await service.ask(ops.NOMINATION_UPDATE, renamed))["title"] == {"en": "Parks"}
    assert (await service.ask(ops.CONTEST_GET, s.GetContest(contest=uid)))["identity_mode"] == "jwt"


async def test_the_end_of_an_open_vote_cannot_be_moved_into_the_past(service: InMemorySubmissions, uid: str) -> None:
    await service.seed(uid)
    await service.submit(uid, f"p-{uid}", f"{uid}-m0")
    await service.ask(ops.PRACTICE_APPROVE, s.ModeratePractice(practice=f"p-{uid}"))
    for phase in (Phase.submissions_open, Phase.voting_open):
        contest = await service.ask(ops.CONTEST_CHANGE_PHASE, s.ChangePhase(contest=uid, phase=phase))
    past = s.UpdateContest(contest=uid, expected_version=contest["version"], closes_at=utcnow() - timedelta(minutes=5))
    await refused(service.ask(ops.CONTEST_UPDATE, past), 409, "closing_in_past")
    sooner = past.model_copy(update={"closes_at": utcnow() + timedelta(hours=1)})
    contest = await service.ask(ops.CONTEST_UPDATE, sooner)  # moved, earlier than before or not, but still ahead
    assert datetime.fromisoformat(contest["closes_at"]) == sooner.closes_at
    closed = await service.ask(ops.CONTEST_CHANGE_PHASE, s.ChangePhase(contest=uid, phase=Phase.voting_closed))
    later = sooner.model_copy(update={"expected_version": closed["version"]})
    await refused(service.ask(ops.CONTEST_UPDATE, later), 409, "settings_locked")  # ended: on the record


async def test_archived_nomination_takes_no_practices_and_order_sorts(service: InMemorySubmissions, uid: str) -> None:
    await service.seed(uid)
    await service.ask(ops.NOMINATION_CREATE, s.CreateNomination(contest=uid, id="n2", title={"en": "N2"}, order=5))
    await service.ask(
        ops.NOMINATION_UPDATE, s.UpdateNomination(contest=uid, nomination="n1", expected_version=1, order=9)
    )
    names = [n["id"] for n in await service.ask(ops.NOMINATION_LIST, s.ListNominations(contest=uid))]
    assert names == ["n2", "n1"]
    archive = s.UpdateNomination(contest=uid, nomination="n2", expected_version=1, archived=True)
    assert (await service.ask(ops.NOMINATION_UPDATE, archive))["archived"] is True
    await refused(service.submit(uid, f"p-{uid}", f"{uid}-m0", nomination="n2"), 404, "unknown_nomination")
    types = [e["type"] for e in service.catalog_events(subjects.catalog_event("nomination", uid))]
    assert types == ["NominationCreated", "NominationCreated", "NominationUpdated", "NominationUpdated"]


async def test_a_nominations_choices_are_checked_and_locked_once_voting_begins(
    service: InMemorySubmissions, uid: str
) -> None:
    await service.seed(uid)
    three = s.CreateNomination(contest=uid, id="n2", title={"en": "N2"}, max_choices=3, min_choices=2)
    created = await service.ask(ops.NOMINATION_CREATE, three)
    assert (created["max_choices"], created["min_choices"]) == (3, 2)
    backwards = s.CreateNomination(contest=uid, id="n3", title={"en": "N3"}, max_choices=2, min_choices=3)
    await refused(service.ask(ops.NOMINATION_CREATE, backwards), 422, "bad_choices")
    too_few = s.UpdateNomination(contest=uid, nomination="n2", expected_version=1, max_choices=1)
    await refused(service.ask(ops.NOMINATION_UPDATE, too_few), 422, "bad_choices")
    with pytest.raises(ValueError, match="less than or equal to 10"):
        s.UpdateNomination(contest=uid, nomination="n2", expected_version=1, max_choices=11)
    widened = s.UpdateNomination(contest=uid, nomination="n2", expected_version=1, max_choices=5, min_choices=1)
    assert (await service.ask(ops.NOMINATION_UPDATE, widened))["max_choices"] == 5

    await service.submit(uid, f"p-{uid}", f"{uid}-m0", nomination="n2")
    await service.ask(ops.PRACTICE_APPROVE, s.ModeratePractice(practice=f"p-{uid}"))
    for phase in (Phase.submissions_open, Phase.voting_open):
        await service.ask(ops.CONTEST_CHANGE_PHASE, s.ChangePhase(contest=uid, phase=phase))
    locked = s.UpdateNomination(contest=uid, nomination="n2", expected_version=2, max_choices=2)
    await refused(service.ask(ops.NOMINATION_UPDATE, locked), 409, "settings_locked")
    retitled = s.UpdateNomination(contest=uid, nomination="n2", expected_version=2, title={"en": "Renamed"})
    assert (await service.ask(ops.NOMINATION_UPDATE, retitled))["max_choices"] == 5


async def test_a_voter_roll_needs_identity_mode_jwt_and_its_claim_is_locked_once_voting(
    service: InMemorySubmissions, uid: str
) -> None:
    await service.seed(uid)
    device = s.UpdateContest(contest=uid, expected_version=1, identity_mode="device", roll_claim="resident")
    await refused(service.ask(ops.CONTEST_UPDATE, device), 422, "roll_needs_jwt")
    claim = s.UpdateContest(contest=uid, expected_version=1, roll_claim="resident")
    assert (await service.ask(ops.CONTEST_UPDATE, claim))["roll_claim"] == "resident"
    await refused(
        service.ask(ops.CONTEST_UPDATE, s.UpdateContest(contest=uid, expected_version=2, identity_mode="device")),
        422,
        "roll_needs_jwt",
    )
    await service.submit(uid, f"p-{uid}", f"{uid}-m0")
    await service.ask(ops.PRACTICE_APPROVE, s.ModeratePractice(practice=f"p-{uid}"))
    for phase in (Phase.submissions_open, Phase.voting_open):
        contest = await service.ask(ops.CONTEST_CHANGE_PHASE, s.ChangePhase(contest=uid, phase=phase))
    dropped = s.UpdateContest(contest=uid, expected_version=contest["version"], roll_claim=None)
    await refused(service.ask(ops.CONTEST_UPDATE, dropped), 409, "settings_locked")


async def test_municipality_rename_keeps_names_unique(service: InMemorySubmissions, uid: str) -> None:
    await service.ask(ops.MUNICIPALITY_REGISTER, f.municipality(f"a-{uid}", "Perm"))
    await service.ask(ops.MUNICIPALITY_REGISTER, f.municipality(f"b-{uid}", "Kazan"))
    clash = s.UpdateMunicipality(municipality=f"b-{uid}", expected_version=1, name={"en": "perm"})
    await refused(service.ask(ops.MUNICIPALITY_UPDATE, clash), 409, "already_exists")
    await refused(service.ask(ops.MUNICIPALITY_UPDATE, clash.model_copy(update={"name": None})), 422, "invalid_request")
    rename = s.UpdateMunicipality(municipality=f"a-{uid}", expected_version=1, name={"en": "Molotov"}, lat=1.5)
    assert (await service.ask(ops.MUNICIPALITY_UPDATE, rename))["lat"] == 1.5
    assert (await service.ask(ops.MUNICIPALITY_UPDATE, clash))["name"]["en"] == "perm"
    events = service.catalog_events(subjects.catalog_event("municipality", f"b-{uid}"))
    assert [(e["type"], e["municipality"]["version"]) for e in events] == [
        ("MunicipalityRegistered", 1),
        ("MunicipalityUpdated", 2),
    ]


async def test_practice_edit_reject_withdraw(service: InMemorySubmissions, uid: str) -> None:
    await service.seed(uid, municipalities=3)
    for i in range(3):
        await service.submit(uid, f"p{i}-{uid}", f"{uid}-m{i}")
    edit = s.EditPractice(practice=f"p0-{uid}", expected_version=1, title="Better title", summary="Short")
    assert (await service.ask(ops.PRACTICE_EDIT, edit))["title"] == {"ru": "Better title"}
    await refused(service.ask(ops.PRACTICE_EDIT, edit), 409, "stale_version")
    rejected = await service.ask(ops.PRACTICE_REJECT, s.RejectPractice(practice=f"p0-{uid}", reason="Off topic"))
    assert (rejected["status"], rejected["reject_reason"]) == ("rejected", "Off topic")
    await refused(
        service.ask(ops.PRACTICE_APPROVE, s.ModeratePractice(practice=f"p0-{uid}")), 409, "illegal_status_change"
    )
    await service.ask(ops.PRACTICE_APPROVE, s.ModeratePractice(practice=f"p1-{uid}"))
    again = edit.model_copy(update={"practice": f"p1-{uid}", "expected_version": 2})
    await refused(service.ask(ops.PRACTICE_EDIT, again), 409, "not_pending")
    withdrawn = await service.ask(ops.PRACTICE_WITHDRAW, s.ModeratePractice(practice=f"p1-{uid}"))
    assert withdrawn["status"] == "withdrawn"
    await refused(
        service.ask(ops.PRACTICE_REJECT, s.RejectPractice(practice="nope", reason="x")), 404, "unknown_practice"
    )
    types = [(e["type"], e["practice"]["id"]) for e in service.catalog_events(f"catalog.practice.{uid}")]
    assert [t for t, p in types if p == f"p0-{uid}"] == ["PracticeSubmitted", "PracticeUpdated", "PracticeRejected"]
    assert [t for t, p in types if p == f"p1-{uid}"] == ["PracticeSubmitted", "PracticeApproved", "PracticeWithdrawn"]


async def test_pages_filters_and_search(service: InMemorySubmissions, uid: str) -> None:
    await service.seed(uid, municipalities=7)
    for i in range(7):
        await service.ask(
            ops.PRACTICE_SUBMIT,
            s.SubmitPractice(
                id=f"p{i}",
                contest=uid,
                nomination="n1",
                municipality=f"{uid}-m{i}",
                title=f"Park {i} GREEN" * (i % 2) or f"Water {i}",
            ),
        )
    seen, cursor = [], None
    while True:
        query = s.ListPractices(contest=uid, include_unpublished=True, limit=3, cursor=cursor)
        page = await service.ask(ops.PRACTICE_PAGE, query)
        seen.append([p["id"] for p in page["items"]])
        if (cursor := page["next_cursor"]) is None:
            break
    assert seen == [["p0", "p1", "p2"], ["p3", "p4", "p5"], ["p6"]]
    search = s.ListPractices(contest=uid, include_unpublished=True, title_contains="green")
    assert [p["id"] for p in (await service.ask(ops.PRACTICE_PAGE, search))["items"]] == ["p1", "p3", "p5"]
    one = s.ListPractices(contest=uid, include_unpublished=True, municipality=f"{uid}-m4", status="pending")
    assert [p["id"] for p in (await service.ask(ops.PRACTICE_PAGE, one))["items"]] == ["p4"]
    await refused(service.ask(ops.PRACTICE_PAGE, query.model_copy(update={"cursor": "%%%"})), 422, "bad_cursor")


async def test_public_sees_approved_practices_of_non_draft_contests(service: InMemorySubmissions, uid: str) -> None:
    await service.seed(uid, municipalities=2)
    await service.submit(uid, f"a-{uid}", f"{uid}-m0")
    await service.submit(uid, f"b-{uid}", f"{uid}-m1")
    await service.ask(ops.PRACTICE_APPROVE, s.ModeratePractice(practice=f"a-{uid}"))
    public = s.ListPractices(contest=uid)
    assert (await service.ask(ops.PRACTICE_PAGE, public))["items"] == []
    await service.ask(ops.CONTEST_CHANGE_PHASE, s.ChangePhase(contest=uid, phase=Phase.submissions_open))
    assert [p["id"] for p in (await service.ask(ops.PRACTICE_PAGE, public))["items"]] == [f"a-{uid}"]
    assert "contact" not in (await service.ask(ops.PRACTICE_PAGE, public))["items"][0]
    public_page = await service.ask(ops.PRACTICE_PAGE, public)
    assert (public_page["contacts"], public_page["municipality_names"]) == ({}, {})


async def test_operators_page_names_municipalities_and_gives_contacts(service: InMemorySubmissions, uid: str) -> None:
    await service.seed(uid, municipalities=2)
    first = s.SubmitPractice(id=f"a-{uid}", contest=uid, nomination="n1", municipality=f"{uid}-m0", title="Park",
                             contact="mayor@perm.example")  # fmt: skip
    await service.ask(ops.PRACTICE_SUBMIT, first)
    await service.submit(uid, f"b-{uid}", f"{uid}-m1")  # no contact given
    page = await service.ask(ops.PRACTICE_PAGE, s.ListPractices(contest=uid, include_unpublished=True))
    assert page["contacts"] == {f"a-{uid}": "mayor@perm.example"}
    assert page["municipality_names"] == {f"{uid}-m0": {"en": f"City {uid}-m0"}, f"{uid}-m1": {"en": f"City {uid}-m1"}}


async def test_a_batch_sent_unchecked_skips_known_rows_and_is_refused_whole(
    service: InMemorySubmissions, uid: str
) -> None:
    """The service's own guard: a batch is written at once, and a unique name refusing a row undoes it (that the
    database's batch does the same is tests/integration/test_catalog_events.py)."""
    known, new = f.municipality(f"{uid}-known"), f.municipality(f"{uid}-new")
    await service.ask(ops.MUNICIPALITY_REGISTER, known)
    report = await service.ask(ops.MUNICIPALITY_IMPORT, s.ImportMunicipalities(items=[known, new]))
    assert (report["created"], report["unchanged"]) == (1, 1)

    other = f.municipality(f"{uid}-other")
    clash = f.municipality(f"{uid}-clash", name=f"City {uid}-new")  # the name of a registered one
    error = await refusal(service.ask(ops.MUNICIPALITY_IMPORT, s.ImportMunicipalities(items=[other, clash])))
    assert (error.code, [d["code"] for d in error.details]) == ("import_conflicts", ["name_taken"])
    assert len(await service.store.every_municipality()) == 2
    for mid, events in ((known.id, 1), (new.id, 1), (other.id, 0)):
        assert len(service.catalog_events(subjects.catalog_event("municipality", mid))) == events


async def test_a_forged_snapshot_cursor_is_refused(service: InMemorySubmissions) -> None:
    error = await refusal(service.ask(ops.CATALOG_SNAPSHOT, s.SnapshotQuery(cursor="bm90LWpzb24")))
    assert (error.status, error.code) == (422, "bad_cursor")
