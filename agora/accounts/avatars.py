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
MAX_PIXELS = 40_000_000  # refuse decompression bombs before decoding


def process_avatar(upload: UploadedFile) -> InMemoryUploadedFile:
    """Return a clean square WebP of the upload, or raise ValidationError with a clear message."""
    if upload.size and upload.size > settings.AGORA_AVATAR_MAX_BYTES:
        raise ValidationError(
            _("The image is too large: %(mb)d MB at most.") % {"mb": settings.AGORA_AVATAR_MAX_BYTES // 1_000_000},
            code="too_large",
        )
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            if probe.format not in ALLOWED_FORMATS:
                raise ValidationError(_("Upload a JPEG, PNG, GIF or WebP image."), code="format")
            width, height = probe.size
            if width * height > MAX_PIXELS:
                raise ValidationError(_("The image has too many pixels."), code="too_many_pixels")
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            image.seek(0)
            image = ImageOps.exif_transpose(image)
            image = image.convert("RGBA" if image.mode in {"RGBA", "LA", "P"} else "RGB")
            image = ImageOps.fit(image, (AVATAR_SIZE, AVATAR_SIZE), method=Image.Resampling.LANCZOS)
            # A new image holds pixels only: EXIF, GPS and comments are not carried over.
            clean = Image.new(image.mode, image.size)
            clean.paste(image)
            out = io.BytesIO()
            clean.save(out, format="WEBP", quality=85)
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError, SyntaxError):
        raise ValidationError(_("That file is not an image we can read."), code="not_image") from None
    data = out.getvalue()
    name = hashlib.sha256(data).hexdigest()[:16] + ".webp"
    return InMemoryUploadedFile(io.BytesIO(data), "avatar", name, "image/webp", len(data), None)


def avatar_colour_class(username: str) -> str:
    """One of twelve colour classes for the generated letter avatar (no inline style under our CSP)."""
    return f"av-{int(hashlib.md5(username.encode(), usedforsecurity=False).hexdigest(), 16) % 12}"
