"""A photo as a municipality uploads it, made fit to publish: opened by Pillow only if it is a JPEG, PNG or WebP
of at most 40 megapixels, turned upright by its EXIF orientation, stripped of every metadata (a phone's photo
carries where it was taken), and encoded as two progressive JPEGs: 1280 px and 480 px on the longer side."""

import hashlib
import io

from PIL import Image, ImageOps, UnidentifiedImageError

from veche_shared.contracts.catalog import Photo
from veche_shared.errors import Invalid

FORMATS = ("JPEG", "PNG", "WEBP")
MAX_PIXELS = 40_000_000
LARGE, THUMB = 1280, 480
LARGEST = 700_000  # bytes of the large JPEG: it crosses the bus base64-encoded, under NATS's 1 MB
QUALITIES = (82, 72, 62)


def jpeg(image: Image.Image, side: int, quality: int) -> bytes:
    copy = image.copy()
    copy.thumbnail((side, side), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    copy.save(out, "JPEG", quality=quality, optimize=True, progressive=True)
    return out.getvalue()


def opened(raw: bytes) -> Image.Image:
    try:
        with Image.open(io.BytesIO(raw), formats=FORMATS) as probe:
            if probe.width * probe.height > MAX_PIXELS:
                raise Invalid("invalid_photo", f"the photo has more than {MAX_PIXELS:,} pixels")
            probe.load()
            upright = ImageOps.exif_transpose(probe)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise Invalid("invalid_photo", "the body is not a JPEG, PNG or WebP image Pillow can read") from exc
    return upright.convert("RGB")  # no alpha, no palette, no metadata carried over


def prepare(raw: bytes, alt: str) -> tuple[Photo, bytes, bytes]:
    """The photo's record and its large and thumbnail JPEGs (CPU work: call it in a thread)."""
    image = opened(raw)
    large = next(data for q in QUALITIES if len(data := jpeg(image, LARGE, q)) <= LARGEST or q == QUALITIES[-1])
    if len(large) > LARGEST:
        raise Invalid("invalid_photo", "the photo does not compress under 700 KB at 1280 px")
    thumb = jpeg(image, THUMB, QUALITIES[0])
    with Image.open(io.BytesIO(large)) as done:
        width, height = done.size
    photo = Photo(id=hashlib.sha256(large).hexdigest()[:20], width=width, height=height, alt=alt.strip())
    return photo, large, thumb
