"""Who an @mention names: the people and the groups behind the @names of a post."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q
from django.db.models.functions import Lower

from agora.accounts.models import User
from agora.accounts.usernames import canonical_username
from agora.groups.models import Group


def _key(name: str) -> str:
    """How mentions compare: underscores read as spaces, case folded (as core.markdown links them)."""
    return name.replace("_", " ").casefold()


def mentioned_users(names: Iterable[str]) -> list[User]:
    """The active people the @names name (one query); a deactivated person is no one."""
    keys = {canonical_username(n) for n in names}
    if not keys:
        return []
    return list(User.objects.filter(username_canonical__in=keys, is_active=True))


def mentioned_groups(names: Iterable[str], *, exclude: Iterable[str] = ()) -> list[Group]:
    """The user-made groups the @names name, case-insensitively (one query). Names in `exclude` (people's
    names, which win over a group's) are left out. Automatic groups (everyone, staff…) are never mentioned:
    their members are derived, not stored, and "@members" must not reach the whole site."""
    excluded = {_key(n) for n in exclude}
    wanted = {_key(n): n.replace(" ", "_") for n in names if _key(n) not in excluded}
    if not wanted:
        return []
    spelled = set(wanted.values())
    # Lower() is ASCII-only on SQLite: match the exact spelling too, then compare casefolded in Python.
    candidates = (
        Group.objects.filter(automatic=False)
        .annotate(lower_name=Lower("name"))
        .filter(Q(name__in=spelled) | Q(lower_name__in={n.lower() for n in spelled}))
    )
    return [group for group in candidates if _key(group.name) in wanted]


def group_mention_urls(names: Iterable[str], *, exclude: Iterable[str] = ()) -> dict[str, str]:
    """Links for @group mentions in stored HTML. The HTML is the same for every reader, so only groups
    everyone may see are linked: a hidden or signed-in-only group's name stays plain text, exactly like a
    name nobody has, and its existence never shows."""
    return {
        group.name: group.get_absolute_url()
        for group in mentioned_groups(names, exclude=exclude)
        if group.visibility == Group.Visibility.PUBLIC
    }
