"""Use cases of the submissions service."""

from typing import Any, TypeVar

from pydantic import BaseModel

from veche_shared import subjects
from veche_shared.contracts.catalog import (
    Contest,
    ContestEvent,
    Municipality,
    MunicipalityEvent,
    Nomination,
    NominationEvent,
    Practice,
    PracticeEvent,
    PracticeStatus,
)
from veche_shared.contracts.common import new_id
from veche_shared.contracts.submissions import (
    ChangePhase,
    CreateContest,
    CreateNomination,
    GetContest,
    ListMunicipalities,
    ListNominations,
    ListPractices,
    ModeratePractice,
    RegisterMunicipality,
    SubmitPractice,
)
from veche_shared.rpc import RpcError, conflict, not_found
from veche_submissions import rules
from veche_submissions.outbox import OutboxRelay
from veche_submissions.repository import CatalogRepository, Doc

E = TypeVar("E", bound=BaseModel)


def _outbox_entry(subject: str, event: ContestEvent | NominationEvent | MunicipalityEvent | PracticeEvent) -> Doc:
    return {"event_id": event.event_id, "subject": subject, "body": event.model_dump(mode="json")}


def _fields(entity: BaseModel) -> Doc:
    return entity.model_dump(mode="json", exclude={"id"})


def _load(model: type[E], doc: Doc) -> E:
    return model.model_validate(
        {"id": doc["_id"].split(":")[-1], **{k: v for k, v in doc.items() if k in model.model_fields and k != "id"}}
    )


class Submissions:
    def __init__(self, repo: CatalogRepository, relay: OutboxRelay) -> None:
        self.repo = repo
        self.relay = relay

    async def contest(self, contest_id: str) -> Contest:
        doc = await self.repo.get("contests", contest_id)
        if doc is None:
            raise not_found("unknown_contest", f"no contest {contest_id}")
        return _load(Contest, doc)

    async def create_contest(self, cmd: CreateContest) -> Contest:
        """Create a contest in phase draft."""
        if cmd.opens_at and cmd.closes_at and cmd.closes_at <= cmd.opens_at:
            raise RpcError(422, "bad_window", "closes_at must be after opens_at")
        contest = Contest(**cmd.model_dump())
        event = ContestEvent(type="ContestCreated", contest=contest)
        await self.repo.insert(
            "contests",
            contest.id,
            _fields(contest),
            _outbox_entry(subjects.catalog_event("contest", contest.id), event),
            f"contest {contest.id}",
        )
        await self.relay.flush("contests", contest.id)
        return contest

    async def change_phase(self, cmd: ChangePhase) -> Contest:
        """Move a contest to another phase, if the rules allow it."""
        contest = await self.contest(cmd.contest)
        if cmd.expected_version is not None and cmd.expected_version != contest.version:
            raise conflict("stale_version", f"contest is at version {contest.version}")
        approved = await self.repo.count("practices", {"contest": contest.id, "status": PracticeStatus.approved})
        rules.check_transition(contest.phase, cmd.phase, approved)
        changed = contest.model_copy(update={"phase": cmd.phase, "version": contest.version + 1})
        event = ContestEvent(type="ContestPhaseChanged", contest=changed)
        await self._update(
            "contests", contest.id, contest.version, changed, subjects.catalog_event("contest", contest.id), event
        )
        return changed

    async def create_nomination(self, cmd: CreateNomination) -> Nomination:
        """Add a nomination to a contest."""
        contest = await self.contest(cmd.contest)
        if contest.phase == "results_published":
            raise conflict("contest_final", "results are published; the contest cannot change")
        nomination = Nomination(**cmd.model_dump())
        event = NominationEvent(type="NominationCreated", nomination=nomination)
        key = f"{contest.id}:{nomination.id}"
        subject = subjects.catalog_event("nomination", contest.id)
        await self.repo.insert(
            "nominations", key, _fields(nomination), _outbox_entry(subject, event), f"nomination {nomination.id}"
        )
        await self.relay.flush("nominations", key)
        return nomination

    async def register_municipality(self, cmd: RegisterMunicipality) -> Municipality:
        """Register a municipality; unique per country and name."""
        municipality = Municipality(**cmd.model_dump())
        event = MunicipalityEvent(type="MunicipalityRegistered", municipality=municipality)
        fields = _fields(municipality) | {"name_key": (cmd.name.en or cmd.name.ru).casefold()}
        subject = subjects.catalog_event("municipality", municipality.id)
        await self.repo.insert(
            "municipalities",
            municipality.id,
            fields,
            _outbox_entry(subject, event),
            f"municipality {municipality.id} or its name in {cmd.country}",
        )
        await self.relay.flush("municipalities", municipality.id)
        return municipality

    async def submit_practice(self, cmd: SubmitPractice) -> Practice:
        """Submit a practice on behalf of a municipality; one per municipality per nomination."""
        contest = await self.contest(cmd.contest)
        rules.check_accepts_submissions(contest.phase)
        nomination = await self.repo.get("nominations", f"{contest.id}:{cmd.nomination}")
        if nomination is None or nomination.get("archived"):
            raise not_found("unknown_nomination", f"no open nomination {cmd.nomination} in {contest.id}")
        if await self.repo.get("municipalities", cmd.municipality) is None:
            raise not_found("unknown_municipality", f"no municipality {cmd.municipality}")
        practice = Practice(id=cmd.id or new_id(), **cmd.model_dump(exclude={"id", "contact"}))
        event = PracticeEvent(type="PracticeSubmitted", practice=practice)
        fields = _fields(practice) | {"contact": cmd.contact, "title_key": practice.title.casefold()}
        subject = subjects.catalog_event("practice", contest.id)
        await self.repo.insert(
            "practices",
            practice.id,
            fields,
            _outbox_entry(subject, event),
            "a practice of this municipality in this nomination",
        )
        await self.relay.flush("practices", practice.id)
        return practice

    async def approve_practice(self, cmd: ModeratePractice) -> Practice:
        """Approve a pending practice; approving an approved one changes nothing."""
        doc = await self.repo.get("practices", cmd.practice)
        if doc is None:
            raise not_found("unknown_practice", f"no practice {cmd.practice}")
        practice = _load(Practice, doc)
        if practice.status == PracticeStatus.approved:
            return practice
        if practice.status != PracticeStatus.pending:
            raise conflict("not_pending", f"practice is {practice.status}")
        if cmd.expected_version is not None and cmd.expected_version != practice.version:
            raise conflict("stale_version", f"practice is at version {practice.version}")
        approved = practice.model_copy(update={"status": PracticeStatus.approved, "version": practice.version + 1})
        event = PracticeEvent(type="PracticeApproved", practice=approved)
        subject = subjects.catalog_event("practice", practice.contest)
        try:
            await self._update("practices", practice.id, practice.version, approved, subject, event)
        except RpcError as exc:
            if exc.code != "stale_version":
                raise
            return await self.approve_practice(ModeratePractice(practice=cmd.practice))
        return approved

    async def _update(
        self, collection: str, key: str, version: int, entity: BaseModel, subject: str, event: Any
    ) -> None:
        if not await self.repo.update(collection, key, version, _fields(entity), _outbox_entry(subject, event)):
            raise conflict("stale_version", "the document was changed by someone else; reload and retry")
        await self.relay.flush(collection, key)

    # queries

    async def get_contest(self, q: GetContest) -> Contest:
        return await self.contest(q.contest)

    async def list_contests(self, _: BaseModel) -> list[Contest]:
        return [_load(Contest, d) for d in await self.repo.find("contests", {})]

    async def list_nominations(self, q: ListNominations) -> list[Nomination]:
        docs = await self.repo.find("nominations", {"contest": q.contest})
        return sorted((_load(Nomination, d) for d in docs), key=lambda n: (n.order, n.id))

    async def list_practices(self, q: ListPractices) -> list[Practice]:
        query: Doc = {"contest": q.contest}
        if q.nomination:
            query["nomination"] = q.nomination
        if q.status:
            query["status"] = q.status
        return [_load(Practice, d) for d in await self.repo.find("practices", query)]

    async def list_municipalities(self, q: ListMunicipalities) -> list[Municipality]:
        query: Doc = {"_id": {"$in": q.ids}} if q.ids is not None else {}
        return [_load(Municipality, d) for d in await self.repo.find("municipalities", query)]
