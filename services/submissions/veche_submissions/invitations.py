"""Use cases: municipality invitations. Only a key's SHA-256 is stored (collection `invitations`); an invitation
is private to the operators and its municipality, so it is no catalog entity and has no event
(docs/adr/0006-municipality-invitations.md)."""

from typing import Any

from pymongo.errors import DuplicateKeyError

from veche_shared.contracts.catalog import Municipality
from veche_shared.contracts.common import new_id
from veche_shared.contracts.representatives import (
    Invitation,
    IssueInvitation,
    ListInvitations,
    ResolveInvitation,
    RevokeInvitation,
)
from veche_shared.errors import AlreadyExists, Invalid, NotFound, Unauthenticated
from veche_submissions.core import Core

COLLECTION = "invitations"


def invitation_of(doc: dict[str, Any]) -> Invitation:
    fields = {k: v for k, v in doc.items() if k in Invitation.model_fields and k != "id"}
    return Invitation.model_validate({"id": doc["_id"], **fields})


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
        document = invitation.model_dump(exclude={"id"}) | {"_id": invitation.id, "key_sha256": cmd.key_sha256}
        try:
            await self.repo.collection(COLLECTION).insert_one(document)
        except DuplicateKeyError:
            raise AlreadyExists("an invitation with this key already exists") from None
        return invitation

    async def revoke_invitation(self, cmd: RevokeInvitation) -> Invitation:
        """Revoke at once; revoking a revoked invitation changes nothing (the first revocation is kept)."""
        invitations = self.repo.collection(COLLECTION)
        change = {"$set": {"revoked_at": self.clock(), "revoked_by": cmd.revoked_by}}
        await invitations.update_one({"_id": cmd.invitation, "revoked_at": None}, change)
        doc = await invitations.find_one({"_id": cmd.invitation}, {"key_sha256": 0})
        if doc is None:
            raise NotFound("unknown_invitation", f"no invitation {cmd.invitation}")
        return invitation_of(doc)

    async def list_invitations(self, q: ListInvitations) -> list[Invitation]:
        """Every invitation of a municipality, oldest first, revoked and expired ones included."""
        cursor = self.repo.collection(COLLECTION).find({"municipality": q.municipality}, {"key_sha256": 0})
        return [invitation_of(doc) async for doc in cursor.sort("_id", 1)]

    async def resolve_invitation(self, q: ResolveInvitation) -> Invitation:
        """The invitation a key admits; Unauthenticated if none does now."""
        doc = await self.repo.collection(COLLECTION).find_one({"key_sha256": q.key_sha256}, {"key_sha256": 0})
        if doc is None:
            raise Unauthenticated("unknown_key", "unknown API key")
        invitation = invitation_of(doc)
        if invitation.revoked_at is not None:
            raise Unauthenticated("invitation_revoked", "this invitation was revoked; ask the organisers for a new one")
        if not invitation.valid_at(self.clock()):
            raise Unauthenticated("invitation_expired", "this invitation has expired; ask the organisers for a new one")
        return invitation
