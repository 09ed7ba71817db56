"""What the blog's writes share: the state machine's moves (who may make each, from which states),
the row lock, who is told, and the address a story takes."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agora import permissions
from agora.accounts.models import User
from agora.discuss.models import make_slug
from agora.notifications.services import notify

from ..models import Story, StoryEvent

State = Story.State

BLOG_CATEGORY_SLUG = "blog"
# What story_create and story_update accept in `data`.
TEXT_FIELDS = ("title", "lead", "body", "language", "kind", "note_to_editors", "cover_credit", "cover_licence")
OTHER_FIELDS = ("cover", "series", "categories", "tags", "group", "images")
AUTHOR_EDITABLE = Story.AUTHOR_EDITABLE
# Until it is first published a story lives at draft-<token>: an address made from its title would
# tell others, by the suffix theirs got, that a story with that title exists.
DRAFT_SLUG_PREFIX = "draft-"
# A new-story page whose first autosave is still on its way may be saved by hand: a draft of the same
# title by the same person this recent is that page's draft, not a second one.
SAME_DRAFT_SECONDS = 60
# Addresses under /blog/ that a story's slug must not take.
RESERVED_SLUGS = frozenset(
    {
        "submit",
        "autosave",
        "mine",
        "review",
        "stories",
        "category",
        "tag",
        "author",
        "language",
        "series",
        "translate",
        "syndication",
    }
)
# Edits by the same person within this many seconds make one revision (an autosaving editor, a quick fix),
# as Discourse's grace period does: the revision keeps what the story said before the first of them.
REVISION_GRACE_SECONDS = 300
MAX_AUTHORS = 10


def _locked(story: Story) -> Story:
    """The story's row, read afresh and locked until commit, so two editors never race a transition."""
    return Story.objects.select_for_update().get(pk=story.pk)


def _actor(user: Any) -> User | None:
    return user if user is not None and user.is_authenticated else None


def _tell_authors(story: Story, kind: str, user: Any) -> None:
    """Notify the story's authors (never the one who acted) that an editor moved their story."""
    notify(users=story.authors.all(), kind=kind, actor=_actor(user), story=story)


def _editors() -> list[User]:
    """The editorial board's active members: the people told when a story arrives in the queue."""
    board = permissions.editorial_board_memberships().values("user_id")
    return list(User.objects.filter(is_active=True, pk__in=board))


# What each move is called in a refusal ("A story that is published cannot be claimed.").
MOVE_WORDS = {
    "submit": gettext_lazy("sent to the editors"),
    "withdraw": gettext_lazy("taken back"),
    "delete": gettext_lazy("deleted"),
    "claim": gettext_lazy("claimed"),
    "request_changes": gettext_lazy("sent back for changes"),
    "schedule": gettext_lazy("scheduled"),
    "publish": gettext_lazy("published"),
    "decline": gettext_lazy("declined"),
    "unpublish": gettext_lazy("unpublished"),
    "feature": gettext_lazy("featured"),
}


def _require_move(user: Any, story: Story, move: str) -> None:
    """Refuse a move the user may not make (403) or that the story's state does not allow (a reason)."""
    who, states = Story.MOVES[move]
    if who == "editor" and not permissions.is_editor(user):
        raise PermissionDenied(_("Only the editorial board can do this."))
    if who == "author" and not permissions.is_story_author(user, story):
        raise PermissionDenied
    if story.state not in states:
        raise ValidationError(
            _("A story that is %(state)s cannot be %(action)s.")
            % {"state": story.get_state_display().lower(), "action": MOVE_WORDS[move]},
            code="bad_state",
        )
    if not permissions.can_story(user, move, story):
        raise ValidationError(
            _("An editor is reviewing the story now: ask them in an editorial comment."), code="claimed"
        )


def _require_reason(reason: str, action: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Say why the story is %(action)s.") % {"action": action}, code="reason_required")
    return reason


def _move(story: Story, *, to: str, user: Any, reason: str = "", fields: Iterable[str] = ()) -> StoryEvent:
    """Change the (locked) story's state, save the given fields with it, and record the event."""
    event = StoryEvent.objects.create(
        story=story,
        user=user if user is not None and user.is_authenticated else None,
        from_state=story.state,
        to_state=to,
        reason=reason,
    )
    story.state = to
    story.updated_at = timezone.now()
    story.save(update_fields=["state", "updated_at", *fields])
    return event


def _draft_slug() -> str:
    return f"{DRAFT_SLUG_PREFIX}{secrets.token_hex(6)}"


def _unique_slug(title: str, exclude_pk: int | None = None) -> str:
    """The address a story takes when first published: from its title, unique among all stories (the
    others hold draft-<token> addresses until they are published, so this reveals nothing unpublished)."""
    base = make_slug(title, fallback="story", max_length=100)
    if base in RESERVED_SLUGS or base.isdigit() or base.startswith(DRAFT_SLUG_PREFIX):
        base = f"story-{base}"
    slug, n = base, 1
    taken = Story.objects.exclude(pk=exclude_pk) if exclude_pk else Story.objects.all()
    while taken.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _tell_coauthors(story: Story, kind: str, user: Any) -> None:
    notify(users=story.authors.exclude(pk=user.pk), kind=kind, actor=_actor(user), story=story)
