"""Avatar uploads: a real image, squared, resized and stripped of its metadata (agora.core.images)."""

import hashlib

from django.conf import settings
from django.core.files.uploadedfile import InMemoryUploadedFile, UploadedFile
from PIL import Image, ImageOps

from agora.core.images import ACCEPTED_CONTENT_TYPES, process_image

__all__ = ["ACCEPTED_CONTENT_TYPES", "AVATAR_SIZE", "avatar_colour_class", "process_avatar"]

AVATAR_SIZE = 256


def _square(image: Image.Image) -> Image.Image:
    return ImageOps.fit(image, (AVATAR_SIZE, AVATAR_SIZE), method=Image.Resampling.LANCZOS)


def _enough_for_a_square(width: int, height: int) -> tuple[int, int]:
    """The size whose shorter side is twice the avatar's (or the picture's own, if smaller)."""
    scale = min(1.0, AVATAR_SIZE * 2 / max(1, min(width, height)))
    return max(1, round(width * scale)), max(1, round(height * scale))


def process_avatar(upload: UploadedFile) -> InMemoryUploadedFile:
    """Return a clean square WebP of the upload, or raise ValidationError with a clear message."""
    return process_image(
        upload,
        max_bytes=settings.AGORA_AVATAR_MAX_BYTES,
        shape=_square,
        draft_size=_enough_for_a_square,
        field_name="avatar",
    )


def avatar_colour_class(username: str) -> str:
    """One of twelve colour classes for the generated letter avatar (no inline style under our CSP)."""
    return f"av-{int(hashlib.md5(username.encode(), usedforsecurity=False).hexdigest(), 16) % 12}"
