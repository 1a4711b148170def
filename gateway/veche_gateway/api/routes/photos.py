"""Photos of practices: a representative uploads them to a pending practice (raw image body, `?alt=` the text
alternative), sees and removes them; moderators see every practice's; the public an approved practice's, cached long
(the address names a digest of the image, so it never shows other bytes)."""

import asyncio
import base64
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response

from veche_gateway import photos
from veche_gateway.api.deps import Moderator, Refusals, Representative
from veche_gateway.api.upstream import ask
from veche_shared.contracts import representatives as r
from veche_shared.contracts import submissions as s
from veche_shared.contracts.catalog import PHOTO_ID, Practice
from veche_shared.contracts.common import Id
from veche_shared.errors import Invalid
from veche_shared.operations import representatives as rep
from veche_shared.operations import submissions as ops

UPLOAD_PATH = r"^/api/v1/municipality/practices/[A-Za-z0-9_-]+/photos$"  # its body limit is max_photo_bytes
IMAGE_TYPES = ("image/jpeg", "image/png", "image/webp")
PUBLIC_CACHE = "public, max-age=604800, immutable"  # a week: a photo withdrawn later leaves shared caches by then
PhotoId = Annotated[str, Path(pattern=PHOTO_ID)]
public = APIRouter(prefix="/api/v1/practices", tags=["public"], responses=Refusals)
moderation = APIRouter(prefix="/api/v1/admin/practices", tags=["operators"], responses=Refusals)
representatives = APIRouter(prefix="/api/v1/municipality/practices", tags=["municipalities"], responses=Refusals)
JPEG: dict[int | str, dict[str, Any]] = {200: {"content": {"image/jpeg": {}}, "description": "the image"}}
BINARY = {"schema": {"type": "string", "format": "binary"}}
UPLOAD = {"requestBody": {"required": True, "content": dict.fromkeys(IMAGE_TYPES, BINARY)}}


def jpeg(found: s.PhotoFile, cache_control: str) -> Response:
    return Response(found.data, media_type=found.content_type, headers={"Cache-Control": cache_control})


@public.get("/{practice}/photos/{photo}/{size}", responses=JPEG, response_class=Response)
async def public_photo(request: Request, practice: Id, photo: PhotoId, size: s.PhotoSize) -> Response:
    """A photo of an approved practice of a public contest: `large` (1280 px) or `thumb` (480 px), JPEG."""
    query = s.GetPhoto(practice=practice, photo=photo, size=size)
    return jpeg(await ask(request, ops.PHOTO_GET, query), PUBLIC_CACHE)


@moderation.get("/{practice}/photos/{photo}/{size}", responses=JPEG, response_class=Response)
async def moderated_photo(request: Request, practice: Id, photo: PhotoId, size: s.PhotoSize, _: Moderator) -> Response:
    """Any practice's photo, pending ones included, for moderation."""
    query = s.GetPhoto(practice=practice, photo=photo, size=size, public=False)
    return jpeg(await ask(request, ops.PHOTO_GET, query), "private, max-age=3600")


@representatives.get("/{practice}/photos/{photo}/{size}", responses=JPEG, response_class=Response)
async def own_photo(request: Request, practice: Id, photo: PhotoId, size: s.PhotoSize, me: Representative) -> Response:
    """A photo of one of the municipality's own practices, pending ones included (what it uploaded)."""
    await ask(request, rep.OWN_PRACTICE_GET, r.OwnPractice(municipality=me.municipality, practice=practice))
    query = s.GetPhoto(practice=practice, photo=photo, size=size, public=False)
    return jpeg(await ask(request, ops.PHOTO_GET, query), "private, max-age=3600")


@representatives.post("/{practice}/photos", status_code=201, openapi_extra=UPLOAD)
async def add_photo(
    request: Request, practice: Id, me: Representative, alt: Annotated[str, Query(max_length=300)] = ""
) -> Practice:
    """Add a photo to a pending practice (at most 4): the body is the image (JPEG, PNG or WebP), `alt` says what it
    shows. The gateway strips its metadata and stores it resized; 422 invalid_photo if it is not such an image."""
    kind = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
    if kind not in IMAGE_TYPES:
        raise Invalid("unsupported_media_type", f"send the image as one of {', '.join(IMAGE_TYPES)}")
    photo, large, thumb = await asyncio.to_thread(photos.prepare, await request.body(), alt)
    encoded = {"large": base64.b64encode(large), "thumb": base64.b64encode(thumb)}  # Base64Bytes takes it encoded
    command = r.AddOwnPhoto(municipality=me.municipality, practice=practice, photo=photo, **encoded)
    return await ask(request, rep.OWN_PHOTO_ADD, command)


@representatives.delete("/{practice}/photos/{photo}")
async def remove_photo(request: Request, practice: Id, photo: PhotoId, me: Representative) -> Practice:
    """Remove a photo from a pending practice."""
    command = r.RemoveOwnPhoto(municipality=me.municipality, practice=practice, photo=photo)
    return await ask(request, rep.OWN_PHOTO_REMOVE, command)
