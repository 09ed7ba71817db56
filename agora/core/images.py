"""Image uploads (avatars, story covers): check the file is a real image of a known format, bound its
size and pixel count, then re-encode it as WebP from its pixels alone, so EXIF, GPS and any payload
hidden in the file are gone."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import InMemoryUploadedFile, UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG", "PNG", "GIF", "WEBP"}
ACCEPTED_CONTENT_TYPES = ["image/jpeg", "image/png", "image/gif", "image/webp"]
# Refuse decompression bombs from the header, before a single pixel is decoded (Pillow's own
# guard only trips at 89 million pixels, with a warning, and 179 million, with an error).
MAX_PIXELS = 40_000_000


def process_image(
    upload: UploadedFile,
    *,
    max_bytes: int,
    shape: Callable[[Image.Image], Image.Image],
    draft_size: Callable[[int, int], tuple[int, int]],
    field_name: str,
) -> InMemoryUploadedFile:
    """Return a clean WebP of the upload, shaped by `shape` (a square, a bounded width...), or raise
    ValidationError with a clear message. `draft_size(width, height)` is the largest size `shape` needs:
    the picture is brought down to it first (libjpeg decodes big photos at a fraction of their size, other
    formats are reduced in place), so later steps work on a small copy, not on millions of pixels."""
    if upload.size is None or upload.size > max_bytes:
        raise ValidationError(
            _("The image is too large: %(mb)d MB at most.") % {"mb": max_bytes // 1_000_000}, code="too_large"
        )
    try:
        data = _clean_image(upload, shape, draft_size)
    except ValidationError:
        raise
    except Image.DecompressionBombError:
        raise ValidationError(_("The image has too many pixels."), code="too_many_pixels") from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError, TypeError, IndexError):
        # Pillow reports broken and truncated files with any of these.
        raise ValidationError(_("That file is not an image we can read."), code="not_image") from None
    name = hashlib.sha256(data).hexdigest()[:16] + ".webp"
    return InMemoryUploadedFile(io.BytesIO(data), field_name, name, "image/webp", len(data), None)


def _clean_image(
    upload: UploadedFile, shape: Callable[[Image.Image], Image.Image], draft: Callable[[int, int], tuple[int, int]]
) -> bytes:
    upload.seek(0)
    with Image.open(upload, formats=sorted(ALLOWED_FORMATS)) as probe:
        width, height = probe.size
        if width * height > MAX_PIXELS:
            raise ValidationError(_("The image has too many pixels."), code="too_many_pixels")
        probe.verify()
    upload.seek(0)
    with Image.open(upload, formats=sorted(ALLOWED_FORMATS)) as image:
        image.seek(0)  # the first frame of an animation
        needed = draft(*image.size)
        if image.format == "JPEG":
            image.draft("RGB", needed)
        image.load()
        has_alpha = image.mode in {"RGBA", "LA", "PA", "RGBa", "La"} or "transparency" in image.info
        small = image.convert("RGBA" if has_alpha else "RGB") if image.mode not in {"RGB", "RGBA"} else image
        small.thumbnail(needed, Image.Resampling.LANCZOS, reducing_gap=3.0)  # in place: no big copy
        oriented = ImageOps.exif_transpose(small)
        shaped = shape(oriented)
        # A new image holds pixels only: EXIF, GPS, XMP, ICC and comments are not carried over.
        clean = Image.new(shaped.mode, shaped.size)
        clean.paste(shaped)
        out = io.BytesIO()
        clean.save(out, format="WEBP", quality=85, method=4)
    return out.getvalue()
