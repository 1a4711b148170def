"""Photos of a practice: a representative uploads them while the practice is pending (turned upright, metadata
stripped, two JPEG sizes stored in GridFS), a moderator sees them, the public only once the practice is approved,
cached long, and the practice's page shows them (and names the first in Open Graph). The gateway and the
submissions service in-process, real NATS and the real database (FerretDB locally: PyMongo's AsyncGridFSBucket)."""

import hashlib
import io
from collections.abc import AsyncIterator

import httpx
import pytest
from PIL import Image

from tests.gateway_helpers import in_process_gateway, ok
from tests.submissions_helpers import Service
from veche_dev import factories as f
from veche_gateway.settings import GatewaySettings

ADMIN = "photo-admin-key-for-tests"


@pytest.fixture
async def gateway(infra: dict[str, str], service: Service) -> AsyncIterator[httpx.AsyncClient]:
    admin = f.operator_key("anna", "admin", ADMIN)
    async with in_process_gateway(GatewaySettings(nats_url=infra["nats_url"], operator_keys=[admin])) as gw:
        yield gw.client


def phone_photo(colour: str = "red") -> bytes:
    """A 3000 x 2000 JPEG taken sideways (EXIF orientation 6) that says where it was taken (GPS)."""
    image = Image.new("RGB", (3000, 2000), colour)
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° to view
    exif[0x8825] = {1: "N", 2: (58.0, 0.0, 37.8)}  # GPSInfo
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, quality=90)
    return out.getvalue()


async def pending_practice(gateway: httpx.AsyncClient, uid: str) -> tuple[dict[str, str], dict[str, str]]:
    admin = {"X-API-Key": ADMIN}
    ok(await gateway.post("/api/v1/admin/contests", json={"id": uid, "title": {"en": "T"}}, headers=admin), 201)
    nomination = {"id": "n1", "title": {"en": "N"}}
    ok(await gateway.post(f"/api/v1/admin/contests/{uid}/nominations", json=nomination, headers=admin), 201)
    city = {"id": f"{uid}-a", "name": {"en": "Perm"}, "country": "RU", "lat": 58.0, "lon": 56.2}
    ok(await gateway.post("/api/v1/admin/municipalities", json=city, headers=admin), 201)
    key = ok(await gateway.post(f"/api/v1/admin/municipalities/{uid}-a/invitations", json={}, headers=admin), 201)
    ok(await gateway.post(f"/api/v1/admin/contests/{uid}/phase", json={"phase": "submissions_open"}, headers=admin))
    me = {"X-API-Key": key["key"]}
    draft = {"id": f"{uid}-p", "nomination": "n1", "title": "Parks by neighbours"}
    ok(await gateway.post(f"/api/v1/municipality/contests/{uid}/practices", json=draft, headers=me), 201)
    return admin, me


async def test_a_photo_is_stored_upright_without_metadata_and_shown_once_approved(
    gateway: httpx.AsyncClient, uid: str
) -> None:
    admin, me = await pending_practice(gateway, uid)
    practice = f"{uid}-p"
    upload = {**me, "Content-Type": "image/jpeg"}
    added = ok(await gateway.post(
        f"/api/v1/municipality/practices/{practice}/photos", params={"alt": "Neighbours planting lime trees"},
        content=phone_photo(), headers=upload,
    ), 201)  # fmt: skip
    [photo] = added["photos"]
    assert (photo["width"], photo["height"], photo["alt"]) == (853, 1280, "Neighbours planting lime trees")
    public = f"/api/v1/practices/{practice}/photos/{photo['id']}/large"
    assert ok(await gateway.get(public), 404)["code"] == "unknown_photo"  # pending: not public
    seen = await gateway.get(f"/api/v1/admin/practices/{practice}/photos/{photo['id']}/thumb", headers=admin)
    assert (seen.status_code, seen.headers["content-type"]) == (200, "image/jpeg")
    assert Image.open(io.BytesIO(seen.content)).size == (320, 480)

    ok(await gateway.post(f"/api/v1/admin/practices/{practice}/approve", json={}, headers=admin))
    large = await gateway.get(public)
    assert large.status_code == 200
    assert large.headers["cache-control"] == "public, max-age=604800, immutable"
    image = Image.open(io.BytesIO(large.content))
    assert (image.format, image.size) == ("JPEG", (853, 1280))
    assert dict(image.getexif()) == {}  # no orientation left to apply, no GPS
    assert hashlib.sha256(large.content).hexdigest()[:20] == photo["id"]
    ok(await gateway.post(f"/api/v1/admin/contests/{uid}/phase", json={"phase": "voting_open"}, headers=admin))
    page = (await gateway.get(f"/en/contests/{uid}/nominations/n1/practices/{practice}")).text
    assert f'<meta property="og:image" content="http://gw{public}">' in page
    assert 'alt="Neighbours planting lime trees"' in page


async def test_photos_are_checked_counted_and_removable_while_pending(gateway: httpx.AsyncClient, uid: str) -> None:
    admin, me = await pending_practice(gateway, uid)
    path = f"/api/v1/municipality/practices/{uid}-p/photos"
    as_text = await gateway.post(path, content=b"hello", headers={**me, "Content-Type": "text/plain"})
    assert ok(as_text, 422)["code"] == "unsupported_media_type"
    garbage = await gateway.post(path, content=b"\xff\xd8not a jpeg", headers={**me, "Content-Type": "image/jpeg"})
    assert ok(garbage, 422)["code"] == "invalid_photo"
    ids = []
    for colour in ("red", "green", "blue", "white"):
        small = io.BytesIO()
        Image.new("RGB", (640, 480), colour).save(small, "PNG")
        answer = ok(
            await gateway.post(path, content=small.getvalue(), headers={**me, "Content-Type": "image/png"}), 201
        )
        ids.append(answer["photos"][-1]["id"])
    fifth = await gateway.post(path, content=phone_photo("black"), headers={**me, "Content-Type": "image/jpeg"})
    assert ok(fifth, 409)["code"] == "too_many_photos"
    left = ok(await gateway.delete(f"{path}/{ids[0]}", headers=me))
    assert [p["id"] for p in left["photos"]] == ids[1:]
    gone = await gateway.get(f"/api/v1/admin/practices/{uid}-p/photos/{ids[0]}/large", headers=admin)
    assert ok(gone, 404)["code"] == "unknown_photo"
    ok(await gateway.post(f"/api/v1/admin/practices/{uid}-p/approve", json={}, headers=admin))
    frozen = await gateway.delete(f"{path}/{ids[1]}", headers=me)
    assert ok(frozen, 409)["code"] == "not_pending"  # moderated with the practice: no change after approval


async def test_a_representative_sees_its_own_pending_photos_and_a_too_big_body_is_413(
    gateway: httpx.AsyncClient, uid: str
) -> None:
    admin, me = await pending_practice(gateway, uid)
    path = f"/api/v1/municipality/practices/{uid}-p/photos"
    small = io.BytesIO()
    Image.new("RGB", (640, 480), "green").save(small, "PNG")
    [photo] = ok(await gateway.post(path, content=small.getvalue(), headers={**me, "Content-Type": "image/png"}), 201)[
        "photos"
    ]
    mine = await gateway.get(f"{path}/{photo['id']}/thumb", headers=me)
    assert (mine.status_code, mine.headers["content-type"]) == (200, "image/jpeg")
    assert mine.headers["cache-control"] == "private, max-age=3600"
    other = {"id": f"{uid}-b", "name": {"en": "Kazan"}, "country": "RU", "lat": 55.8, "lon": 49.1}
    ok(await gateway.post("/api/v1/admin/municipalities", json=other, headers=admin), 201)
    key = ok(await gateway.post(f"/api/v1/admin/municipalities/{uid}-b/invitations", json={}, headers=admin), 201)
    foreign = await gateway.get(f"{path}/{photo['id']}/thumb", headers={"X-API-Key": key["key"]})
    assert ok(foreign, 404)["code"] == "unknown_practice"
    huge = await gateway.post(
        path, content=b"\xff" * (8 * 1024 * 1024 + 1), headers={**me, "Content-Type": "image/jpeg"}
    )
    assert ok(huge, 413)["code"] == "body_too_large"
