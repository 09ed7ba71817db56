"""Account writes."""

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from agora.core.page_cache import content_changed

from . import hooks
from .models import User

PROFILE_FIELDS = ("display_name", "bio", "languages", "interface_language", "timezone", "location")


@transaction.atomic
def profile_update(*, user: User, data: dict, avatar: UploadedFile | None = None, remove_avatar: bool = False) -> User:
    """Save profile fields from cleaned form data; render the bio; replace or remove the avatar.

    `avatar` must already be processed (agora.accounts.avatars.process_avatar): checked, resized, stripped.
    """
    for field in PROFILE_FIELDS:
        if field in data:
            setattr(user, field, data[field])
    user.render_bio()
    storage = User._meta.get_field("avatar").storage
    old_avatar = user.avatar.name if user.avatar else ""
    if avatar is not None:
        user.avatar.save(avatar.name or "avatar.webp", avatar, save=False)
    elif remove_avatar:
        user.avatar = ""
    user.save()
    hooks.profile_updated.send(user=user)
    content_changed()  # names and avatars show on every cached page
    if old_avatar and old_avatar != (user.avatar.name if user.avatar else ""):
        # Delete the replaced file only once the new row is committed.
        transaction.on_commit(lambda: storage.delete(old_avatar))
    return user


@transaction.atomic
def interface_language_set(*, user: User, code: str) -> User:
    """Save a member's interface language ("" for automatic: their languages, then the browser's).

    The caller checks `code` is offered (settings.LANGUAGES); the user's pages are never cached, so no
    cache is touched."""
    if user.interface_language != code:
        user.interface_language = code
        user.save(update_fields=["interface_language"])
    return user
