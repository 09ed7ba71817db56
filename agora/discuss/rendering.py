"""A post's Markdown to stored HTML, with its @mentions linked: used by every write of a post (replies,
topics, messages) and by the composer's preview."""

from __future__ import annotations

from django.conf import settings

from agora.accounts.models import User
from agora.accounts.usernames import canonical_username
from agora.core.markdown import mentioned_names, render_markdown
from agora.notifications import mentions as notification_mentions


def render_post_html(raw: str) -> str:
    """Render a post's Markdown, linking @mentions of users that exist and of public groups (two queries)."""
    names = mentioned_names(raw)
    urls: dict[str, str] = {}
    if names:
        keys = {canonical_username(n) for n in names}
        # Deactivated people are not linked: their profile is a 404, and a link would confirm them.
        for user in User.objects.filter(username_canonical__in=keys, is_active=True).only("username"):
            urls[user.username] = user.get_absolute_url()
            urls[user.username.replace(" ", "_")] = user.get_absolute_url()
    return render_markdown(raw, urls, notification_mentions.group_mention_urls(names, exclude=urls) if names else None)


def preview_html(raw: str) -> str:
    """What a post would look like: the composer's preview (htmx, or the page without JavaScript)."""
    raw = raw[: settings.AGORA_POST_MAX_LENGTH]
    return render_post_html(raw) if raw.strip() else ""
