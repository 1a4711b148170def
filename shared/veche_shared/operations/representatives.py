"""svc.submissions.invitation.* and .own_practice.*: municipality invitations, and what a representative does with
one. Every own_practice operation names the invitation's municipality and touches only that municipality's
practices (another's answers as a missing one does), only while the contest is in submissions_open."""

from typing import Any

from veche_shared.contracts import representatives as c
from veche_shared.contracts.catalog import Practice
from veche_shared.contracts.submissions import SERVICE, PracticePage, SubmitPractice
from veche_shared.rpc import Operation

S = SERVICE

INVITATION_ISSUE = Operation(S, "invitation.issue", c.IssueInvitation, c.Invitation, "Store a new invitation's key.")
INVITATION_REVOKE = Operation(S, "invitation.revoke", c.RevokeInvitation, c.Invitation, "Revoke an invitation.")
INVITATION_LIST = Operation(
    S, "invitation.list", c.ListInvitations, list[c.Invitation], "Invitations of a municipality."
)
INVITATION_RESOLVE = Operation(
    S, "invitation.resolve", c.ResolveInvitation, c.Invitation, "The valid invitation of a key's SHA-256."
)
OWN_PRACTICE_PAGE = Operation(S, "own_practice.page", c.OwnPractices, PracticePage, "A municipality's practices.")
OWN_PRACTICE_GET = Operation(S, "own_practice.get", c.OwnPractice, Practice, "One of a municipality's practices.")
OWN_PRACTICE_SUBMIT = Operation(
    S, "own_practice.submit", SubmitPractice, Practice, "Submit a practice of the representative's municipality."
)
OWN_PRACTICE_EDIT = Operation(S, "own_practice.edit", c.EditOwnPractice, Practice, "Edit a pending own practice.")
OWN_PRACTICE_WITHDRAW = Operation(
    S, "own_practice.withdraw", c.WithdrawOwnPractice, Practice, "Withdraw an own practice."
)
OWN_PRACTICE_RESUBMIT = Operation(
    S, "own_practice.resubmit", c.ResubmitOwnPractice, Practice, "Resubmit a rejected or withdrawn own practice."
)
OWN_PHOTO_ADD = Operation(
    S, "own_practice.photo_add", c.AddOwnPhoto, Practice, "Add a photo to a pending own practice (at most 4)."
)
OWN_PHOTO_REMOVE = Operation(
    S, "own_practice.photo_remove", c.RemoveOwnPhoto, Practice, "Remove a photo from a pending own practice."
)

OPERATIONS: tuple[Operation[Any, Any], ...] = (
    INVITATION_ISSUE,
    INVITATION_REVOKE,
    INVITATION_LIST,
    INVITATION_RESOLVE,
    OWN_PRACTICE_PAGE,
    OWN_PRACTICE_GET,
    OWN_PRACTICE_SUBMIT,
    OWN_PRACTICE_EDIT,
    OWN_PRACTICE_WITHDRAW,
    OWN_PRACTICE_RESUBMIT,
    OWN_PHOTO_ADD,
    OWN_PHOTO_REMOVE,
)
