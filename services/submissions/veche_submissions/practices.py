"""Use cases: practices and their moderation."""

from typing import Any

from veche_shared.contracts.catalog import Practice, PracticeEventType, PracticeStatus
from veche_shared.contracts.common import new_id
from veche_shared.contracts.submissions import (
    EditPractice,
    ModeratePractice,
    PracticeChanges,
    RejectPractice,
    SubmitPractice,
)
from veche_shared.contracts.texts import in_language
from veche_shared.errors import Conflict, NotFound, VersionConflict
from veche_submissions import rules
from veche_submissions.core import Core, check_version

MOVES: dict[PracticeStatus, tuple[PracticeEventType, set[PracticeStatus]]] = {  # target status -> event, sources
    PracticeStatus.approved: ("PracticeApproved", {PracticeStatus.pending}),
    PracticeStatus.rejected: ("PracticeRejected", {PracticeStatus.pending}),
    PracticeStatus.withdrawn: ("PracticeWithdrawn", {PracticeStatus.pending, PracticeStatus.approved}),
}


def content_changes(cmd: PracticeChanges, language: str) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """The public fields a change sets (plain-string texts in `language`, the contest's default), and the private
    contact if it sets one (kept out of the events)."""
    addressing = set(type(cmd).model_fields) - set(PracticeChanges.model_fields)  # practice, municipality
    changes = cmd.model_dump(exclude_unset=True, exclude=addressing | {"expected_version"})
    private = {"contact": changes.pop("contact")} if "contact" in changes else None
    return in_language(changes, language), private


class PracticeHandlers(Core):
    async def practice(self, practice_id: str) -> Practice:
        return await self.get(Practice, practice_id, "unknown_practice")

    async def submit_practice(self, cmd: SubmitPractice) -> Practice:
        """Submit a practice on behalf of a municipality; one per municipality per nomination."""
        contest = await self.contest(cmd.contest)
        rules.check_accepts_submissions(contest.phase)
        nomination = await self.repo.nomination(contest.id, cmd.nomination)
        if nomination is None or nomination.get("archived"):
            raise NotFound("unknown_nomination", f"no open nomination {cmd.nomination} in {contest.id}")
        if await self.repo.municipality(cmd.municipality) is None:
            raise NotFound("unknown_municipality", f"no municipality {cmd.municipality}")
        fields = in_language(cmd.model_dump(exclude={"id", "contact"}), contest.default_language)
        practice = Practice(id=cmd.id or new_id(), **fields)
        what = "a practice of this municipality in this nomination"
        return await self.create(practice, "PracticeSubmitted", what, {"contact": cmd.contact})

    async def edit_practice(self, cmd: EditPractice) -> Practice:
        """Change a practice while it is pending and the contest accepts submissions."""
        practice = await self.practice(cmd.practice)
        check_version(practice, cmd.expected_version)
        if practice.status != PracticeStatus.pending:
            raise Conflict("not_pending", f"practice is {practice.status}; only pending practices can be edited")
        contest = await self.contest(practice.contest)
        rules.check_accepts_submissions(contest.phase)
        changes, private = content_changes(cmd, contest.default_language)
        return await self.revise(practice, changes, "PracticeUpdated", cmd.expected_version, private)

    async def approve_practice(self, cmd: ModeratePractice) -> Practice:
        """Approve a pending practice; approving an approved one changes nothing."""
        return await self._move(cmd.practice, PracticeStatus.approved, cmd.expected_version)

    async def reject_practice(self, cmd: RejectPractice) -> Practice:
        """Reject a pending practice with a reason shown to its municipality."""
        return await self._move(cmd.practice, PracticeStatus.rejected, cmd.expected_version, cmd.reason)

    async def withdraw_practice(self, cmd: ModeratePractice) -> Practice:
        """Withdraw a pending or approved practice while the contest accepts submissions."""
        practice = await self.practice(cmd.practice)
        if practice.status != PracticeStatus.withdrawn:
            rules.check_accepts_submissions((await self.contest(practice.contest)).phase)
        return await self._move(cmd.practice, PracticeStatus.withdrawn, cmd.expected_version)

    async def _move(
        self, practice_id: str, target: PracticeStatus, expected: int | None, reason: str | None = None
    ) -> Practice:
        """Change status; repeating the same move is harmless, and of concurrent moves exactly one wins."""
        practice = await self.practice(practice_id)
        if practice.status == target:
            return practice
        event_type, sources = MOVES[target]
        if practice.status not in sources:
            raise Conflict("illegal_status_change", f"practice is {practice.status}; cannot become {target}")
        try:
            return await self.revise(practice, {"status": target, "reject_reason": reason}, event_type, expected)
        except VersionConflict:
            if expected is not None:
                raise
            return await self._move(practice_id, target, None, reason)
