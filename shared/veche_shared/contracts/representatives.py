"""Municipality representatives: invitations (keys scoped to one municipality, issued by admins at runtime) and
the commands a representative sends, each naming the municipality of the invitation it came with.

The key itself never crosses the bus: the gateway makes it, shows it once, and sends only its SHA-256
(docs/adr/0006-municipality-invitations.md)."""

from datetime import datetime
from typing import Annotated

from pydantic import Base64Bytes, Field

from veche_shared.contracts.catalog import PHOTO_ID, Contest, Municipality, Nomination, Photo
from veche_shared.contracts.common import Contract, Id, WholeNumber
from veche_shared.contracts.submissions import Moderation, PracticeChanges

KeyDigest = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$", description="SHA-256 of the key, hex")]
OperatorName = Annotated[str, Field(pattern=r"^[A-Za-z0-9_.@-]{1,64}$", examples=["anna"])]


class Invitation(Contract):
    """A municipality's invitation: who issued it, until when it is valid, whether it was revoked (never its key)."""

    id: Id
    municipality: Id = Field(examples=["perm"])
    issued_by: OperatorName
    issued_at: datetime
    expires_at: datetime
    revoked_at: datetime | None = None
    revoked_by: OperatorName | None = None

    def valid_at(self, now: datetime) -> bool:
        return self.revoked_at is None and now < self.expires_at


class NewInvitation(Contract):
    """How long the invitation's key is valid."""

    valid_days: Annotated[int, Field(ge=1, le=366, strict=True), WholeNumber] = Field(90, examples=[30])


class IssuedInvitation(Contract):
    invitation: Invitation
    key: str = Field(
        description="the representative's key (X-API-Key on /api/v1/municipality); shown this once, never stored",
        examples=["vmk_3q2-7wY..."],
    )


class IssueInvitation(Contract):
    municipality: Id
    key_sha256: KeyDigest
    expires_at: datetime
    issued_by: OperatorName


class RevokeInvitation(Contract):
    invitation: Id
    revoked_by: OperatorName


class ListInvitations(Contract):
    municipality: Id


class ResolveInvitation(Contract):
    """The invitation of a key: 401 (unknown_key, invitation_expired, invitation_revoked) if it admits nobody."""

    key_sha256: KeyDigest


class Paging(Contract):
    cursor: str | None = Field(None, max_length=200, description="next_cursor of the previous page")
    limit: int = Field(100, ge=1, le=500)


class OwnPractices(Paging):
    """A page of the practices of the representative's municipality, every contest and status."""

    municipality: Id


class OwnPractice(Contract):
    """One practice of the representative's municipality; another municipality's is as unknown as a missing one."""

    municipality: Id
    practice: Id


class AddOwnPhoto(OwnPractice):
    """A photo for a pending practice, as the gateway prepared it (checked, turned upright, stripped of its
    metadata, resized and encoded as JPEG): the large image and the thumbnail."""

    photo: Photo
    large: Base64Bytes = Field(description="JPEG, at most 1280 px on its longer side")
    thumb: Base64Bytes = Field(description="JPEG, at most 480 px on its longer side")


class RemoveOwnPhoto(OwnPractice):
    photo: str = Field(pattern=PHOTO_ID)


class EditOwnPractice(PracticeChanges):
    municipality: Id
    practice: Id


class WithdrawOwnPractice(Moderation):
    municipality: Id
    practice: Id


class ResubmitOwnPractice(PracticeChanges):
    """Back to pending (version + 1) after a rejection or withdrawal, with the changes given."""

    municipality: Id
    practice: Id


class OpenContest(Contract):
    contest: Contest
    nominations: list[Nomination] = Field(description="those not archived, in their order")


class RepresentativeDesk(Contract):
    """What a representative works with: the municipality, the invitation, the contests accepting submissions."""

    municipality: Municipality
    invitation: Invitation
    open_contests: list[OpenContest]
