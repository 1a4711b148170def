"""Use cases of a municipality's representative: only that municipality's practices (another's is answered as a
missing one), written only while the contest is in submissions_open."""

from veche_shared.contracts.catalog import Contest, Practice, PracticeStatus
from veche_shared.contracts.representatives import (
    EditOwnPractice,
    OwnPractice,
    OwnPractices,
    ResubmitOwnPractice,
    WithdrawOwnPractice,
)
from veche_shared.contracts.submissions import EditPractice, ModeratePractice, PracticePage, SubmitPractice
from veche_shared.errors import Conflict, NotFound, UnknownContest
from veche_submissions import rules
from veche_submissions.core import check_version
from veche_submissions.documents import load
from veche_submissions.practices import PracticeHandlers, content_changes
from veche_submissions.queries import decode_cursor, encode_cursor

RESUBMITTABLE = {PracticeStatus.rejected, PracticeStatus.withdrawn}


class RepresentativeHandlers(PracticeHandlers):
    async def own(self, municipality: str, practice_id: str) -> Practice:
        doc = await self.repo.practice(practice_id)
        if doc is None or doc.get("municipality") != municipality:
            raise NotFound("unknown_practice", f"no practice {practice_id}")
        return load(Practice, doc)

    async def open_contest(self, contest_id: str) -> Contest:
        """The contest if a representative may write into it; a draft is as unknown as a missing contest."""
        contest = await self.contest(contest_id)
        if not contest.is_public():
            raise UnknownContest(contest_id)
        rules.check_open_to_representatives(contest.phase)
        return contest

    async def own_practice_page(self, q: OwnPractices) -> PracticePage:
        """The municipality's practices in id order, every contest and status."""
        after = decode_cursor(q.cursor) if q.cursor else None
        docs = await self.repo.practices_of_municipality(q.municipality, after, q.limit + 1)
        items = [load(Practice, d) for d in docs[: q.limit]]
        return PracticePage(items=items, next_cursor=encode_cursor(items[-1].id) if len(docs) > q.limit else None)

    async def own_practice(self, q: OwnPractice) -> Practice:
        return await self.own(q.municipality, q.practice)

    async def submit_own_practice(self, cmd: SubmitPractice) -> Practice:
        """Submit into an open nomination of a contest in submissions_open; one per nomination."""
        await self.open_contest(cmd.contest)
        return await self.submit_practice(cmd)

    async def edit_own_practice(self, cmd: EditOwnPractice) -> Practice:
        """Change an own practice while it is pending."""
        await self.open_contest((await self.own(cmd.municipality, cmd.practice)).contest)
        return await self.edit_practice(
            EditPractice.model_validate(cmd.model_dump(exclude_unset=True, exclude={"municipality"}))
        )

    async def withdraw_own_practice(self, cmd: WithdrawOwnPractice) -> Practice:
        """Take an own pending or approved practice out of the contest."""
        await self.open_contest((await self.own(cmd.municipality, cmd.practice)).contest)
        return await self.withdraw_practice(
            ModeratePractice(practice=cmd.practice, expected_version=cmd.expected_version)
        )

    async def resubmit_own_practice(self, cmd: ResubmitOwnPractice) -> Practice:
        """A rejected or withdrawn practice, with the changes given, becomes pending again as its next version;
        the reason of the rejection it answers stays in the events of stream CATALOG."""
        practice = await self.own(cmd.municipality, cmd.practice)
        check_version(practice, cmd.expected_version)
        if practice.status not in RESUBMITTABLE:
            message = f"practice is {practice.status}; only rejected or withdrawn practices can be resubmitted"
            raise Conflict("not_resubmittable", message)
        contest = await self.open_contest(practice.contest)
        nomination = await self.repo.nomination(practice.contest, practice.nomination)
        if nomination is None or nomination.get("archived"):
            raise Conflict("nomination_archived", f"nomination {practice.nomination} takes no practices any more")
        changes, private = content_changes(cmd, contest.default_language)
        changes |= {"status": PracticeStatus.pending, "reject_reason": None}
        return await self.revise(practice, changes, "PracticeResubmitted", cmd.expected_version, private)
