"""Placeholder people claimed: an archive author's posts move to the member who proves the address is
theirs (verifies it, accounts.hooks.email_verified) or whom staff name (`manage.py claim_placeholder`)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from agora.accounts.models import User
from agora.core.page_cache import content_changed
from agora.discuss.models import Post, Topic
from agora.search import tasks as search_tasks

from .models import PlaceholderPerson


@transaction.atomic
def placeholder_claim(*, placeholder: PlaceholderPerson, user: User) -> int:
    """Move every post and topic of the placeholder to `user`; returns how many posts moved (0 when it
    was claimed already). The placeholder account stays, inactive and empty, as the record of the claim."""
    placeholder = PlaceholderPerson.objects.select_for_update().get(pk=placeholder.pk)
    if placeholder.claimed_by_id is not None or placeholder.user_id == user.pk:
        return 0
    old = placeholder.user_id
    post_ids = list(Post.objects.filter(user_id=old).values_list("pk", flat=True))
    Post.objects.filter(user_id=old).update(user=user)
    Topic.objects.filter(user_id=old).update(user=user)
    Topic.objects.filter(last_poster_id=old).update(last_poster=user)
    placeholder.claimed_by = user
    placeholder.claimed_at = timezone.now()
    placeholder.save(update_fields=["claimed_by", "claimed_at"])
    content_changed()
    # The search index names each post's author: it follows, by id, once the move commits.
    transaction.on_commit(lambda: [search_tasks.index_post.enqueue(pk) for pk in post_ids])
    return len(post_ids)


def placeholders_claim_by_email(*, user: Any, email: str, **_: Any) -> int:
    """accounts.hooks.email_verified: the unclaimed placeholders of this address become the person's."""
    moved = 0
    for placeholder in PlaceholderPerson.objects.filter(email=email.strip().lower(), claimed_by__isnull=True):
        moved += placeholder_claim(placeholder=placeholder, user=user)
    return moved
