"""Contest phase rules: which transitions are allowed and what each requires."""

from datetime import datetime

from veche_shared.contracts.catalog import IdentityMode, Phase
from veche_shared.errors import Conflict, Invalid

ALLOWED: dict[Phase, set[Phase]] = {
    Phase.draft: {Phase.submissions_open},
    Phase.submissions_open: {Phase.draft, Phase.voting_open},
    Phase.voting_open: {Phase.voting_closed},
    Phase.voting_closed: {Phase.voting_open, Phase.results_published},
    Phase.results_published: set(),
}
ACCEPTS_SUBMISSIONS = {Phase.draft, Phase.submissions_open}


def check_transition(current: Phase, target: Phase, approved_practices: int) -> None:
    """Raise a Conflict with a precise code when current -> target is not allowed."""
    if target == current:
        raise Conflict("same_phase", f"the contest is already in phase {current}")
    if target not in ALLOWED[current]:
        allowed = ", ".join(sorted(ALLOWED[current])) or "none"
        raise Conflict("illegal_transition", f"cannot go from {current} to {target} (allowed: {allowed})")
    if target == Phase.voting_open and approved_practices == 0:
        raise Conflict("nothing_to_vote_for", "voting needs at least one approved practice")


def check_accepts_submissions(phase: Phase) -> None:
    if phase not in ACCEPTS_SUBMISSIONS:
        raise Conflict("submissions_closed", f"the contest does not accept submissions in phase {phase}")


def check_open_to_representatives(phase: Phase) -> None:
    """Representatives write only while submissions are open: a draft is still the organisers' to prepare."""
    if phase != Phase.submissions_open:
        raise Conflict("submissions_closed", f"the contest does not accept submissions in phase {phase}")


LOCKED_ONCE_VOTING = {"identity_mode", "jwt_audience", "jwt_key_ref", "jwt_issuer", "oidc", "opens_at", "roll_claim"}
LOCKED_ONCE_CLOSED = {"closes_at"}  # when voting ended is on the record (the protocol prints it)
VOTING = {Phase.voting_open, Phase.voting_closed}


CHOICES = {"max_choices", "min_choices"}


def check_choices(max_choices: int, min_choices: int) -> None:
    if min_choices > max_choices:
        raise Invalid("bad_choices", f"min_choices ({min_choices}) must not exceed max_choices ({max_choices})")


def check_roll(identity_mode: IdentityMode, roll_claim: str | None) -> None:
    """A voter roll is checked against a claim of the voter's token: an anonymous device has none."""
    if roll_claim is not None and identity_mode != IdentityMode.jwt:
        raise Invalid("roll_needs_jwt", "a voter roll needs identity mode jwt: a device token carries no claim")


def check_window(opens_at: datetime | None, closes_at: datetime | None) -> None:
    if opens_at and closes_at and closes_at <= opens_at:
        raise Invalid("bad_window", "closes_at must be after opens_at")


def check_contest_change(phase: Phase, changed: set[str]) -> None:
    """Results are final; who may vote and when voting opened cannot change once voting has begun, nor when it
    ended once it has."""
    if phase == Phase.results_published:
        raise Conflict("contest_final", "results are published; the contest cannot change")
    if phase in VOTING and (locked := changed & LOCKED_ONCE_VOTING):
        raise Conflict("settings_locked", f"cannot change {', '.join(sorted(locked))} once voting has begun")
    if phase == Phase.voting_closed and (locked := changed & LOCKED_ONCE_CLOSED):
        raise Conflict("settings_locked", f"cannot change {', '.join(sorted(locked))} once voting has ended")


def check_closing_time(phase: Phase, closes_at: datetime | None, now: datetime) -> None:
    """While voting is open its end may move, later or earlier, but not to a moment already past: ballots accepted
    after that moment would be counted although the record would say voting had ended. Voting ends now by its
    phase (voting_closed), which the audit trail records."""
    if phase == Phase.voting_open and closes_at is not None and closes_at <= now:
        raise Conflict(
            "closing_in_past",
            f"voting is open and closes_at {closes_at.isoformat()} has passed: ballots cast since would be counted "
            "after the recorded end; to end voting now, change the phase to voting_closed",
        )


def check_nomination_change(phase: Phase, changes: dict[str, object]) -> None:
    """Once voting has begun a nomination's ballots are counted: archiving it would drop them from the results,
    and how many practices a ballot holds is a rule of the vote."""
    check_contest_change(phase, set())
    if phase in VOTING and (locked := set(changes) & CHOICES):
        raise Conflict("settings_locked", f"cannot change {', '.join(sorted(locked))} once voting has begun")
    if phase in VOTING and changes.get("archived"):
        raise Conflict(
            "ballots_counted",
            "ballots have been cast in this nomination: archiving it now would drop them from the results",
        )
