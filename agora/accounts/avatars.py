"""Avatar uploads: check the file is a real image, square it, resize it and drop its metadata."""

import hashlib
import io

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import InMemoryUploadedFile, UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

AVATAR_SIZE = 256
ALLOWED_FORMATS = {"JPEG", "PNG", "GIF", "WEBP"}
ACCEPTED_CONTENT_TYPES = ["image/jpeg", "image/png", "image/gif", "image/webp"]
# Refuse decompression bombs from the header, before a single pixel is decoded (Pillow's own
# guard only trips at 89 million pixels, with a warning, and 179 million, with an error).
MAX_PIXELS = 40_000_000


def process_avatar(upload: UploadedFile) -> InMemoryUploadedFile:
    """Return a clean square WebP of the upload, or raise ValidationError with a clear message."""
    if upload.size is None or upload.size > settings.AGORA_AVATAR_MAX_BYTES:
        raise ValidationError(
            _("The image is too large: %(mb)d MB at most.") % {"mb": settings.AGORA_AVATAR_MAX_BYTES // 1_000_000},
            code="too_large",
        )
    try:
        data = _clean_image(upload)
    except ValidationError:
        raise
    except Image.DecompressionBombError:
        raise ValidationError(_("The image has too many pixels."), code="too_many_pixels") from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError, TypeError, IndexError):
        # Pillow reports broken and truncated files with any of these.
        raise ValidationError(_("That file is not an image we can read."), code="not_image") from None
    name = hashlib.sha256(data).hexdigest()[:16] + ".webp"
    return InMemoryUploadedFile(io.BytesIO(data), "avatar", name, "image/webp", len(data), None)


def _clean_image(upload: UploadedFile) -> bytes:
    upload.seek(0)
    with Image.open(upload, formats=sorted(ALLOWED_FORMATS)) as probe:
        width, height = probe.size
        if width * height > MAX_PIXELS:
            raise ValidationError(_("The image has too many pixels."), code="too_many_pixels")
        probe.verify()
    upload.seek(0)
    with Image.open(upload, formats=sorted(ALLOWED_FORMATS)) as image:
        image.seek(0)  # the first frame of an animation
        if image.format == "JPEG":
            # Let libjpeg decode at a fraction of the size: far less memory for big photos.
            image.draft("RGB", (AVATAR_SIZE * 2, AVATAR_SIZE * 2))
        image.load()
        oriented = ImageOps.exif_transpose(image)
        has_alpha = oriented.mode in {"RGBA", "LA", "PA", "RGBa", "La"} or "transparency" in oriented.info
        converted = oriented.convert("RGBA" if has_alpha else "RGB")
        square = ImageOps.fit(converted, (AVATAR_SIZE, AVATAR_SIZE), method=Image.Resampling.LANCZOS)
        # A new image holds pixels only: EXIF, GPS, XMP, ICC and comments are not carried over.
        clean = Image.new(square.mode, square.size)
        clean.paste(square)
        out = io.BytesIO()
        clean.save(out, format="WEBP", quality=85, method=4)
    return out.getvalue()


def avatar_colour_class(username: str) -> str:
    """One of twelve colour classes for the generated letter avatar (no inline style under our CSP)."""
    return f"av-{int(hashlib.md5(username.encode(), usedforsecurity=False).hexdigest(), 16) % 12}"
