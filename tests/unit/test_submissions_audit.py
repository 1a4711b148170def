"""Every change the submissions service makes is recorded before it is made, and refused when the record cannot be
made (docs/adr/0017-the-writing-service-records-the-change.md): the use cases on the in-memory store, publisher and
trail. The same on the real nats-server: tests/integration/test_audit.py."""

from collections.abc import Iterator

import pytest

from tests.submissions_helpers import InMemorySubmissions
from veche_dev import factories as f
from veche_shared.contracts import submissions as s
from veche_shared.contracts.audit import Actor
from veche_shared.contracts.catalog import Phase
from veche_shared.errors import DomainError
from veche_shared.operations import submissions as ops
from veche_shared.rpc.actors import actor_var


@pytest.fixture
def service() -> InMemorySubmissions:
    return InMemorySubmissions()


@pytest.fixture
def anna() -> Iterator[None]:
    """Requests name operator anna as their actor, as the gateway's do."""
    token = actor_var.set(Actor(kind="operator", name="anna", role="admin", action="change_phase", route="POST /x"))
    yield
    actor_var.reset(token)


@pytest.mark.usefixtures("anna")
async def test_each_change_is_recorded_once_with_its_actor_before_and_after(service: InMemorySubmissions) -> None:
    await service.seed("c1")
    await service.ask(ops.CONTEST_CHANGE_PHASE, s.ChangePhase(contest="c1", phase=Phase.submissions_open))
    actions = [(e.action, e.operator, e.recorded_by, e.status) for e in service.audit.entries]
    assert actions == [("change_phase", "anna", "submissions", 200)] * 4  # contest, nomination, municipality, phase
    moved = service.audit.entries[-1]
    assert (moved.contest, moved.target, moved.change) == ("c1", {"contest": "c1"}, {"phase": "submissions_open"})
    assert (moved.before or {})["phase"] == "draft"
    assert (moved.after or {})["phase"] == "submissions_open"


async def test_without_an_actor_the_change_is_recorded_as_unknown(service: InMemorySubmissions) -> None:
    await service.ask(ops.MUNICIPALITY_REGISTER, f.municipality("m1"))
    (entry,) = service.audit.entries
    assert (entry.operator, entry.actor_kind, entry.via, entry.action) == (
        "unknown",
        "unknown",
        "bus",
        "MunicipalityRegistered",
    )


async def test_a_change_the_trail_refuses_is_not_made(service: InMemorySubmissions) -> None:
    await service.seed("c1")
    service.audit.refusing = True
    with pytest.raises(DomainError) as refused:
        await service.ask(ops.CONTEST_CHANGE_PHASE, s.ChangePhase(contest="c1", phase=Phase.submissions_open))
    assert (refused.value.status, refused.value.code) == (503, "audit_unavailable")
    with pytest.raises(DomainError):
        await service.ask(ops.MUNICIPALITY_REGISTER, f.municipality("m2"))
    contest = await service.ask(ops.CONTEST_GET, s.GetContest(contest="c1"))
    assert (contest["phase"], contest["version"]) == ("draft", 1)
    assert service.store.collections["municipalities"].keys() == {"c1-m0"}
    assert len(service.events.published) == 3  # the seed's: contest, nomination, municipality


async def test_a_write_that_fails_after_its_record_is_followed_by_a_refused_entry(service: InMemorySubmissions) -> None:
    await service.seed("c1")
    await service.ask(ops.MUNICIPALITY_REGISTER, f.municipality("m9"))
    clash = f.municipality("m9").model_copy(update={"id": "m10"})  # the same name in the same country
    with pytest.raises(DomainError):
        await service.ask(ops.MUNICIPALITY_REGISTER, clash)
    made, not_made = service.audit.entries[-2:]
    assert (made.target, made.status, not_made.target, not_made.status) == (
        {"municipality": "m10"}, 200, {"municipality": "m10"}, 409,
    )  # fmt: skip
    assert (not_made.request_id, not_made.error_code, not_made.after) == (made.request_id, "already_exists", None)
