"""Photos of practices: a municipality adds them to a pending practice (so a moderator sees them with its text),
and the public sees them once the practice is approved. The images live in GridFS (bucket `photos`), one file per
practice, photo and size, so removing a photo from one practice never touches another's; the practice lists them
(id, size, alt text) and each change is a PracticeUpdated event like any edit."""

import base64

from veche_shared.contracts.catalog import MAX_PHOTOS, Practice, PracticeStatus
from veche_shared.contracts.representatives import AddOwnPhoto, RemoveOwnPhoto
from veche_shared.contracts.submissions import GetPhoto, PhotoFile
from veche_shared.errors import Conflict, Invalid, NotFound
from veche_submissions.documents import load
from veche_submissions.representatives import RepresentativeHandlers

SIZES = ("large", "thumb")
LARGEST = {"large": 700_000, "thumb": 200_000}  # bytes: under NATS's 1 MB message once base64-encoded


def file_key(practice: str, photo: str, size: str) -> str:
    return f"{practice}/{photo}/{size}"


class PhotoHandlers(RepresentativeHandlers):
    async def pending_own(self, municipality: str, practice_id: str) -> Practice:
        practice = await self.own(municipality, practice_id)
        await self.open_contest(practice.contest)
        if practice.status != PracticeStatus.pending:
            raise Conflict("not_pending", f"practice is {practice.status}; photos change only while it is pending")
        return practice

    async def add_own_photo(self, cmd: AddOwnPhoto) -> Practice:
        """Store both sizes, then list the photo on the practice (adding the same photo again changes nothing)."""
        practice = await self.pending_own(cmd.municipality, cmd.practice)
        if any(p.id == cmd.photo.id for p in practice.photos):
            return practice
        if len(practice.photos) >= MAX_PHOTOS:
            raise Conflict("too_many_photos", f"a practice has at most {MAX_PHOTOS} photos")
        for size, data in (("large", cmd.large), ("thumb", cmd.thumb)):
            if not data.startswith(b"\xff\xd8") or len(data) > LARGEST[size]:
                raise Invalid("invalid_photo", f"the {size} image is not a JPEG of at most {LARGEST[size]} bytes")
        for size, data in (("large", cmd.large), ("thumb", cmd.thumb)):
            await self.repo.put_photo(file_key(practice.id, cmd.photo.id, size), data)
        return await self.revise(practice, {"photos": [*practice.photos, cmd.photo]}, "PracticeUpdated", None)

    async def remove_own_photo(self, cmd: RemoveOwnPhoto) -> Practice:
        practice = await self.pending_own(cmd.municipality, cmd.practice)
        if all(p.id != cmd.photo for p in practice.photos):
            raise NotFound("unknown_photo", f"practice {practice.id} has no photo {cmd.photo}")
        kept = [p for p in practice.photos if p.id != cmd.photo]
        revised = await self.revise(practice, {"photos": kept}, "PracticeUpdated", None)
        for size in SIZES:
            await self.repo.delete_photo(file_key(practice.id, cmd.photo, size))
        return revised

    async def get_photo(self, q: GetPhoto) -> PhotoFile:
        """The image if the practice lists it (and, for the public, is approved in a public contest)."""
        doc = await self.repo.practice(q.practice)
        practice = load(Practice, doc) if doc is not None else None
        data = None
        if practice is not None and any(p.id == q.photo for p in practice.photos) and await self.shown(practice, q):
            data = await self.repo.photo(file_key(q.practice, q.photo, q.size))
        if data is None:
            raise NotFound("unknown_photo", f"no photo {q.photo} of practice {q.practice}")
        return PhotoFile(data=base64.b64encode(data))  # Base64Bytes takes it encoded

    async def shown(self, practice: Practice, q: GetPhoto) -> bool:
        """Operators see every practice's photos; the public those of approved practices of public contests."""
        if not q.public:
            return True
        return practice.status == PracticeStatus.approved and (await self.contest(practice.contest)).is_public()
