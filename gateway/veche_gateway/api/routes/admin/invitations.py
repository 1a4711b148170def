"""Operator routes for municipality invitations (admin): issue (the key is shown in that answer only), list, revoke.
Both writes are audited like every operator write; the trail keeps the invitation, never its key."""

import secrets
from datetime import timedelta

from fastapi import APIRouter, Request, Response

from veche_gateway.api.deps import Admin, Refusals
from veche_gateway.api.upstream import ask
from veche_gateway.context import request_context
from veche_gateway.middleware.representative_gate import key_digest
from veche_gateway.state import gateway
from veche_shared.contracts import representatives as r
from veche_shared.contracts.common import Id
from veche_shared.operations import representatives as ops

router = APIRouter(prefix="/api/v1/admin", tags=["operators"], responses=Refusals)
KEY_PREFIX = "vmk_"  # a Veche municipality key: recognisable by people and by secret scanners


@router.post("/municipalities/{municipality}/invitations", status_code=201)
async def issue_invitation(
    request: Request, response: Response, municipality: Id, body: r.NewInvitation, operator: Admin
) -> r.IssuedInvitation:
    """Issue an invitation for a municipality's representative; its key is in this answer and nowhere else."""
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    expires_at = gateway(request).clock() + timedelta(days=body.valid_days)
    issue = r.IssueInvitation(
        municipality=municipality, key_sha256=key_digest(key), expires_at=expires_at, issued_by=operator.name
    )
    invitation = await ask(request, ops.INVITATION_ISSUE, issue)
    request_context(request).audit_after = invitation.model_dump(mode="json")  # the audit entry without the key
    response.headers["Cache-Control"] = "no-store"
    return r.IssuedInvitation(invitation=invitation, key=key)


@router.get("/municipalities/{municipality}/invitations")
async def list_invitations(request: Request, municipality: Id, _: Admin) -> list[r.Invitation]:
    """Every invitation of a municipality, revoked and expired ones included (never a key)."""
    return await ask(request, ops.INVITATION_LIST, r.ListInvitations(municipality=municipality))


@router.post("/invitations/{invitation}/revoke")
async def revoke_invitation(request: Request, invitation: Id, operator: Admin) -> r.Invitation:
    """Revoke an invitation: its key admits nobody from now on (revoking again changes nothing)."""
    return await ask(
        request, ops.INVITATION_REVOKE, r.RevokeInvitation(invitation=invitation, revoked_by=operator.name)
    )
