"""Helpers for the notification tests: posts written with their on-commit work run, and crowds of watchers."""

from agora import permissions
from agora.accounts.models import User
from agora.notifications.models import Notification, Watch


def bulk_watchers(n: int, prefix: str = "watcher", **target) -> list[User]:
    """n active people (bypassing save() for speed: names made canonical by hand) watching `target` at
    `level` (a keyword with the category, tag, topic or group)."""
    level = target.pop("level")
    users = User.objects.bulk_create(
        User(
            username=f"{prefix}{i}",
            username_canonical=f"{prefix}{i}",
            username_skeleton=f"{prefix}{i}",
            email=f"{prefix}{i}@example.org",
            trust_level=1,
        )
        for i in range(n)
    )
    users = list(User.objects.filter(username__startswith=prefix).order_by("pk"))
    Watch.objects.bulk_create(Watch(user=u, level=level, **target) for u in users)
    return users


def kinds_for(user, post=None) -> list[str]:
    qs = Notification.objects.filter(user=user)
    if post is not None:
        qs = qs.filter(post=post)
    return sorted(qs.values_list("kind", flat=True))


def fresh(user):
    """The user with no memoised access (grants or groups changed since the last look)."""
    permissions.forget_access(user)
    return user
