"""What trust does when Discuss calls its hooks (connected in TrustConfig.ready()): each receiver is one
call to a service, so the consequences read top to bottom in services.py."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from agora.accounts.wikimedia import is_wikimedia_login, wiki_standing

from . import services


def topic_page_seen(*, user: Any, topic: Any, posts: Any) -> None:
    services.topic_page_seen(user=user, topic=topic, posts=list(posts))


def post_created(*, post: Any, is_topic: bool) -> None:
    services.post_record(post=post, is_topic=is_topic)


def post_liked(*, post: Any, user: Any, liked: bool) -> None:
    services.like_record(post=post, user=user, liked=liked)


def user_signed_up(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    level = settings.AGORA_TRUST_LEVEL_FOR_NEW_MEMBERS
    why = _("The level new members start at.")
    sociallogin = kwargs.get("sociallogin")
    # A Wikimedia account with edits and age behind it starts at level 1 (its reason kept in the log).
    standing = wiki_standing(sociallogin.account.extra_data) if sociallogin and is_wikimedia_login(sociallogin) else ""
    if standing and level < 1:
        level, why = 1, standing
    if level > 0:
        services.trust_level_grant_initial(user=user, level=level, why=why)
