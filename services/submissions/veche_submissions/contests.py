"""Use cases: contests and their nominations."""

from veche_shared.contracts.catalog import Contest, Nomination, PracticeStatus
from veche_shared.contracts.submissions import (
    ChangePhase,
    CreateContest,
    CreateNomination,
    UpdateContest,
    UpdateNomination,
)
from veche_shared.contracts.texts import in_language
from veche_submissions import rules
from veche_submissions.core import Core, check_version


class ContestHandlers(Core):
    async def create_contest(self, cmd: CreateContest) -> Contest:
        """Create a contest in phase draft."""
        rules.check_window(cmd.opens_at, cmd.closes_at)
        rules.check_roll(cmd.identity_mode, cmd.roll_claim)
        contest = Contest(**in_language(cmd.model_dump(), cmd.default_language))
        return await self.create(contest, "ContestCreated", f"contest {cmd.id}")

    async def update_contest(self, cmd: UpdateContest) -> Contest:
        """Change a contest's title or settings (optimistic: expected_version)."""
        contest = await self.contest(cmd.contest)
        changes = cmd.model_dump(exclude_unset=True, exclude={"contest", "expected_version"})
        changes = in_language(changes, changes.get("default_language", contest.default_language))
        rules.check_contest_change(contest.phase, set(changes))
        after = contest.model_dump(include={"opens_at", "closes_at", "identity_mode", "roll_claim"}) | changes
        rules.check_window(after.get("opens_at"), after.get("closes_at"))
        if "closes_at" in changes:
            rules.check_closing_time(contest.phase, cmd.closes_at, self.clock())
        rules.check_roll(after["identity_mode"], after.get("roll_claim"))
        return await self.revise(contest, changes, "ContestUpdated", cmd.expected_version)

    async def change_phase(self, cmd: ChangePhase) -> Contest:
        """Move a contest to another phase, if the rules allow it."""
        contest = await self.contest(cmd.contest)
        approved = await self.repo.practice_count(contest.id, PracticeStatus.approved)
        check_version(contest, cmd.expected_version)
        rules.check_transition(contest.phase, cmd.phase, approved)
        return await self.revise(contest, {"phase": cmd.phase}, "ContestPhaseChanged", cmd.expected_version)

    async def create_nomination(self, cmd: CreateNomination) -> Nomination:
        """Add a nomination to a contest."""
        contest = await self.contest(cmd.contest)
        rules.check_contest_change(contest.phase, set())
        rules.check_choices(cmd.max_choices, cmd.min_choices)
        nomination = Nomination(**in_language(cmd.model_dump(), contest.default_language))
        return await self.create(nomination, "NominationCreated", f"nomination {cmd.id}")

    async def update_nomination(self, cmd: UpdateNomination) -> Nomination:
        """Retitle, reorder, archive a nomination or change its choices before voting (optimistic: expected_version)."""
        contest = await self.contest(cmd.contest)
        nomination = await self.get(Nomination, f"{contest.id}:{cmd.nomination}", "unknown_nomination")
        changes = cmd.model_dump(exclude_unset=True, exclude={"contest", "nomination", "expected_version"})
        rules.check_nomination_change(contest.phase, changes)
        choices = nomination.model_dump(include=rules.CHOICES) | changes
        rules.check_choices(choices["max_choices"], choices["min_choices"])
        changes = in_language(changes, contest.default_language)
        return await self.revise(nomination, changes, "NominationUpdated", cmd.expected_version)
