"""Account writes."""

from django.db import transaction

from agora.core.markdown import render_markdown

from .models import User


@transaction.atomic
def profile_update(*, user: User, data: dict, avatar=None, remove_avatar: bool = False) -> User:
    for field in ("display_name", "bio", "languages", "timezone", "location"):
        if field in data:
            setattr(user, field, data[field])
    user.bio_html = render_markdown(user.bio)
    old_avatar = user.avatar.name if user.avatar else ""
    if remove_avatar:
        user.avatar = ""
    elif avatar is not None:
        user.avatar.save(avatar.name, avatar, save=False)
    user.save()
    if old_avatar and old_avatar != (user.avatar.name if user.avatar else ""):
        storage = User._meta.get_field("avatar").storage
        transaction.on_commit(lambda: storage.delete(old_avatar))
    return user
