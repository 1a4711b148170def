"""Use cases: municipality invitations. Only a key's SHA-256 is stored (ports.Invitations); an invitation is private
to the operators and its municipality, so it is no catalog entity and has no event
(docs/adr/0006-municipality-invitations.md)."""

from veche_shared.contracts.catalog import Municipality
from veche_shared.contracts.common import new_id
from veche_shared.contracts.representatives import (
    Invitation,
    IssueInvitation,
    ListInvitations,
    ResolveInvitation,
    RevokeInvitation,
)
from veche_shared.errors import Invalid, NotFound, Unauthenticated
from veche_submissions.core import Core


class InvitationHandlers(Core):
    async def issue_invitation(self, cmd: IssueInvitation) -> Invitation:
        """Keep a new invitation of an existing municipality, valid until expires_at."""
        await self.get(Municipality, cmd.municipality, "unknown_municipality")
        now = self.clock()
        if cmd.expires_at <= now:
            raise Invalid("bad_expiry", "expires_at must be in the future")
        invitation = Invitation(
            id=new_id(),
            municipality=cmd.municipality,
            issued_by=cmd.issued_by,
            issued_at=now,
            expires_at=cmd.expires_at,
        )
        target, after = (
            {"municipality": cmd.municipality, "invitation": invitation.id},
            invitation.model_dump(mode="json"),
        )
        async with self.trail.change("InvitationIssued", contest=None, target=target, after=after):
            await self.repo.add_invitation(invitation, cmd.key_sha256)
        return invitation

    async def revoke_invitation(self, cmd: RevokeInvitation) -> Invitation:
        """Revoke at once; revoking a revoked invitation changes nothing (the first revocation is kept)."""
        target, change = {"invitation": cmd.invitation}, {"revoked_by": cmd.revoked_by}
        async with self.trail.change("InvitationRevoked", contest=None, target=target, change=change):
            invitation = await self.repo.revoke_invitation(cmd.invitation, self.clock(), cmd.revoked_by)
            if invitation is None:
                raise NotFound("unknown_invitation", f"no invitation {cmd.invitation}")
        return invitation

    async def list_invitations(self, q: ListInvitations) -> list[Invitation]:
        """Every invitation of a municipality, oldest first, revoked and expired ones included."""
        return await self.repo.invitations_of(q.municipality)

    async def resolve_invitation(self, q: ResolveInvitation) -> Invitation:
        """The invitation a key admits; Unauthenticated if none does now."""
        invitation = await self.repo.invitation_by_key(q.key_sha256)
        if invitation is None:
            raise Unauthenticated("unknown_key", "unknown API key")
        if invitation.revoked_at is not None:
            raise Unauthenticated("invitation_revoked", "this invitation was revoked; ask the organisers for a new one")
        if not invitation.valid_at(self.clock()):
            raise Unauthenticated("invitation_expired", "this invitation has expired; ask the organisers for a new one")
        return invitation
