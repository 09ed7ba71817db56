"""Blog writes: a story's editorial life, from draft to published (and back), and the topic it opens.

Every function is keyword-only and atomic, checks who may do it, and records each change of state as a
StoryEvent (who, from what, to what, why). A view only parses input, fetches through agora.permissions
and calls one of these.

Authors are not notified yet: agora.notifications has no kind for stories (see the blog issue).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from agora import permissions
from agora.accounts.models import User
from agora.core.page_cache import content_changed
from agora.discuss.models import Category, Post, Tag, Topic, TopicUser, make_slug
from agora.discuss.services import render_post_html

from .models import BlogCategory, EditorialComment, Story, StoryEvent, StoryRevision

State = Story.State

BLOG_CATEGORY_SLUG = "blog"
# What story_create and story_update accept in `data`.
TEXT_FIELDS = ("title", "lead", "body", "language", "kind", "note_to_editors", "cover_credit", "cover_licence")
OTHER_FIELDS = ("cover", "series", "categories", "tags")
# States in which the authors may still edit and submit.
AUTHOR_EDITABLE = frozenset({State.DRAFT, State.CHANGES_REQUESTED})


# --- helpers -------------------------------------------------------------------------------------


def _locked(story: Story) -> Story:
    """The story's row, read afresh and locked until commit, so two editors never race a transition."""
    return Story.objects.select_for_update().get(pk=story.pk)


def _is_author(user: Any, story: Story) -> bool:
    return bool(user is not None and user.is_authenticated and story.authors.filter(pk=user.pk).exists())


def _require_editor(user: Any) -> None:
    if not permissions.is_editor(user):
        raise PermissionDenied(_("Only the editorial board can do this."))


def _require_state(story: Story, allowed: Iterable[str], action: str) -> None:
    if story.state not in set(allowed):
        raise ValidationError(
            _("A story that is %(state)s cannot be %(action)s.")
            % {"state": story.get_state_display().lower(), "action": action},
            code="bad_state",
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


def _unique_slug(title: str, exclude_pk: int | None = None) -> str:
    base = make_slug(title, fallback="story", max_length=100)
    slug, n = base, 1
    taken = Story.objects.exclude(pk=exclude_pk) if exclude_pk else Story.objects.all()
    while taken.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _clean_data(data: dict[str, Any]) -> dict[str, Any]:
    unknown = set(data) - set(TEXT_FIELDS) - set(OTHER_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown story fields: %(f)s") % {"f": ", ".join(sorted(unknown))}, code="unknown")
    clean = dict(data)
    for name in TEXT_FIELDS:
        if name in clean:
            clean[name] = (clean[name] or "").strip()
    for name in ("title", "lead", "body"):
        if name in clean and not clean[name]:
            raise ValidationError({name: _("A story needs a title, a lead and a body.")}, code="required")
    if "kind" in clean and clean["kind"] not in Story.Kind.values:
        raise ValidationError({"kind": _("Unknown kind of story.")}, code="bad_kind")
    return clean


def _apply(story: Story, data: dict[str, Any]) -> list[str]:
    """Set the plain fields from `data` on the story; returns the names changed (M2Ms are set after save)."""
    changed = []
    for name in (*TEXT_FIELDS, "cover", "series"):
        if name in data and getattr(story, name) != data[name]:
            setattr(story, name, data[name])
            changed.append(name)
    if "body" in changed:
        story.body_html = render_post_html(story.body)
        changed.append("body_html")
    return changed


def _set_relations(story: Story, data: dict[str, Any]) -> None:
    if "categories" in data:
        categories = list(data["categories"])
        if any(not isinstance(c, BlogCategory) for c in categories):
            raise ValidationError(_("Unknown blog category."), code="bad_category")
        story.categories.set(categories)
    if "tags" in data:
        story.tags.set(list(data["tags"]))


def _opening_post_raw(story: Story) -> str:
    """The topic's first post: the lead, the cover and a link to the story (its replies are the comments)."""
    parts = [story.lead]
    if story.cover:
        parts.append(f"![{story.cover_credit or story.title}]({story.cover.url})")
    parts.append(f"[{_('Read the story')}]({story.get_absolute_url()})")
    return "\n\n".join(parts)


def _topic_user(story: Story) -> User:
    authors = list(story.authors.order_by("pk"))
    for author in authors:
        if author.pk == story.created_by_id:
            return author
    return authors[0] if authors else story.created_by


def story_topic_open(
    *, story: Story, user: User | None = None, when: datetime | None = None, tags: Iterable[Tag] = ()
) -> Topic:
    """Create the story's discussion topic in the blog category, counters kept as topic_create keeps them.
    Publishing and the WordPress import both open topics here (the import with the post's own date)."""
    category = Category.objects.filter(slug=BLOG_CATEGORY_SLUG).first()
    if category is None:
        raise ValidationError(_("The blog category is missing: run the migrations."), code="no_blog_category")
    user = user or _topic_user(story)
    now = when or timezone.now()
    topic = Topic.objects.create(
        title=story.title,
        slug=make_slug(story.title),
        category=category,
        user=user,
        language=story.language or category.default_language or "en",
        created_at=now,
        bumped_at=now,
        last_posted_at=now,
        last_poster=user,
        posts_count=1,
        highest_post_number=1,
    )
    if tags:
        topic.tags.set(list(tags))
    raw = _opening_post_raw(story)
    Post.objects.create(
        topic=topic, number=1, user=user, raw=raw, html=render_post_html(raw), created_at=now, updated_at=now
    )
    Category.objects.filter(pk=category.pk).update(topic_count=F("topic_count") + 1, post_count=F("post_count") + 1)
    TopicUser.objects.get_or_create(topic=topic, user=user, defaults={"last_read_number": 1})
    return topic


def _set_topic_hidden(topic_id: int, hidden: bool) -> None:
    """Hide (or bring back) the story's topic as deleting (or restoring) its opening post would in
    discuss.services.post_delete and post_restore: the category loses (or regains) the topic and its live posts."""
    topic = Topic.objects.select_for_update(of=("self",)).get(pk=topic_id)
    if (topic.deleted_at is not None) == hidden:
        return
    Topic.objects.filter(pk=topic.pk).update(deleted_at=timezone.now() if hidden else None)
    live = Post.objects.filter(topic=topic, deleted_at__isnull=True).count()
    sign = -1 if hidden else 1
    Category.objects.filter(topics=topic).update(
        topic_count=F("topic_count") + sign, post_count=F("post_count") + sign * live
    )


def _publish(story: Story, *, user: Any, reason: str = "") -> Story:
    """Publish a locked story: open its topic (or bring it back), stamp the date, record the event."""
    if story.topic_id is None:
        story.topic = story_topic_open(story=story)
    else:
        _set_topic_hidden(story.topic_id, hidden=False)
    # Re-publishing keeps the first publication date, so lists and feeds do not reorder.
    story.published_at = story.published_at or timezone.now()
    story.decline_reason = ""
    _move(story, to=State.PUBLISHED, user=user, reason=reason, fields=["topic", "published_at", "decline_reason"])
    content_changed()
    return story


# --- services ------------------------------------------------------------------------------------


@transaction.atomic
def story_create(*, user: User, data: dict[str, Any]) -> Story:
    """A new draft; its creator is its first author."""
    if user is None or not user.is_authenticated or not user.is_active:
        raise PermissionDenied
    clean = _clean_data(data)
    for name in ("title", "lead", "body"):
        if not clean.get(name):
            raise ValidationError({name: _("A story needs a title, a lead and a body.")}, code="required")
    story = Story(created_by=user, slug=_unique_slug(clean["title"]), state=State.DRAFT)
    _apply(story, clean)
    story.body_html = render_post_html(story.body)
    story.save()
    story.authors.add(user)
    _set_relations(story, clean)
    return story


@transaction.atomic
def story_update(*, user: User, story: Story, data: dict[str, Any]) -> Story:
    """Edit a story, keeping what it said before as a revision. Authors edit while it is a draft or changes
    are requested; editors at any time but a draft's. A published story's title renames its topic."""
    story = _locked(story)
    editor = permissions.is_editor(user) and story.state != State.DRAFT
    if not editor:
        if not _is_author(user, story):
            raise PermissionDenied
        if story.state not in AUTHOR_EDITABLE:
            raise ValidationError(
                _("The story is with the editors now: ask them for changes in an editorial comment."),
                code="locked",
            )
    clean = _clean_data(data)
    before = (story.title, story.lead, story.body)
    changed = _apply(story, clean)
    if any(name in changed for name in ("title", "lead", "body")):
        StoryRevision.objects.create(
            story=story, number=story.version, title=before[0], lead=before[1], body=before[2], user=user
        )
        story.version += 1
        changed.append("version")
    if changed:
        story.updated_at = timezone.now()
        story.save(update_fields=[*changed, "updated_at"])
    _set_relations(story, clean)
    if story.topic_id is not None and ("title" in changed or "lead" in changed or "cover" in changed):
        if "title" in changed:
            Topic.objects.filter(pk=story.topic_id).update(title=story.title, slug=make_slug(story.title))
        raw = _opening_post_raw(story)
        Post.objects.filter(topic_id=story.topic_id, number=1).update(raw=raw, html=render_post_html(raw))
    if story.state in (State.PUBLISHED, State.UNPUBLISHED) and changed:
        content_changed()
    return story


@transaction.atomic
def story_submit(*, user: User, story: Story, note_to_editors: str | None = None) -> Story:
    """An author hands the draft (or the revised story) to the editors."""
    story = _locked(story)
    if not _is_author(user, story):
        raise PermissionDenied
    _require_state(story, AUTHOR_EDITABLE, _("submitted"))
    fields = []
    if note_to_editors is not None:
        story.note_to_editors = note_to_editors.strip()
        fields.append("note_to_editors")
    _move(story, to=State.SUBMITTED, user=user, fields=fields)
    return story


@transaction.atomic
def story_claim(*, user: User, story: Story) -> Story:
    """An editor takes a submitted story into review (or takes it over from another editor)."""
    _require_editor(user)
    story = _locked(story)
    _require_state(story, (State.SUBMITTED, State.IN_REVIEW), _("claimed"))
    if story.state == State.IN_REVIEW and story.claimed_by_id == user.pk:
        return story
    story.claimed_by = user
    _move(story, to=State.IN_REVIEW, user=user, fields=["claimed_by"])
    return story


@transaction.atomic
def story_request_changes(*, user: User, story: Story, reason: str) -> Story:
    """An editor sends the story back to its authors, saying what to change."""
    _require_editor(user)
    story = _locked(story)
    _require_state(story, (State.SUBMITTED, State.IN_REVIEW, State.SCHEDULED), _("sent back for changes"))
    reason = _require_reason(reason, _("sent back"))
    story.scheduled_at = None
    _move(story, to=State.CHANGES_REQUESTED, user=user, reason=reason, fields=["scheduled_at"])
    return story


@transaction.atomic
def story_schedule(*, user: User, story: Story, at: datetime) -> Story:
    """An editor approves the story to appear at `at` (publish_due_stories publishes it then)."""
    _require_editor(user)
    story = _locked(story)
    _require_state(story, (State.SUBMITTED, State.IN_REVIEW, State.SCHEDULED), _("scheduled"))
    if at is None or timezone.is_naive(at):
        raise ValidationError(_("Give the time to publish, with its time zone."), code="bad_time")
    if at <= timezone.now():
        raise ValidationError(
            _("That time has passed: choose a time in the future, or publish the story now."), code="past"
        )
    story.scheduled_at = at
    _move(story, to=State.SCHEDULED, user=user, reason=at.isoformat(), fields=["scheduled_at"])
    return story


@transaction.atomic
def story_publish(*, user: User, story: Story) -> Story:
    """An editor publishes the story now (or again, after unpublishing): it opens its discussion topic."""
    _require_editor(user)
    story = _locked(story)
    _require_state(story, (State.SUBMITTED, State.IN_REVIEW, State.SCHEDULED, State.UNPUBLISHED), _("published"))
    return _publish(story, user=user)


@transaction.atomic
def story_publish_if_due(*, story_id: int, now: datetime | None = None) -> bool:
    """Publish a scheduled story whose time has come; False (and nothing done) otherwise. Safe to repeat."""
    story = Story.objects.select_for_update().filter(pk=story_id).first()
    now = now or timezone.now()
    if story is None or story.state != State.SCHEDULED or story.scheduled_at is None or story.scheduled_at > now:
        return False
    _publish(story, user=None, reason=_("Scheduled for %(at)s") % {"at": story.scheduled_at.isoformat()})
    return True


def stories_publish_due(*, now: datetime | None = None) -> list[int]:
    """Publish every scheduled story whose time has passed, each in its own transaction; returns their ids."""
    now = now or timezone.now()
    due = Story.objects.filter(state=State.SCHEDULED, scheduled_at__lte=now).order_by("scheduled_at", "pk")
    return [pk for pk in due.values_list("pk", flat=True) if story_publish_if_due(story_id=pk, now=now)]


@transaction.atomic
def story_decline(*, user: User, story: Story, reason: str) -> Story:
    """An editor declines the story; the reason is required and shown to its authors."""
    _require_editor(user)
    story = _locked(story)
    _require_state(story, (State.SUBMITTED, State.IN_REVIEW, State.CHANGES_REQUESTED, State.SCHEDULED), _("declined"))
    reason = _require_reason(reason, _("declined"))
    story.decline_reason = reason
    story.scheduled_at = None
    _move(story, to=State.DECLINED, user=user, reason=reason, fields=["decline_reason", "scheduled_at"])
    return story


@transaction.atomic
def story_unpublish(*, user: User, story: Story, reason: str) -> Story:
    """An editor takes a published story down; its topic is hidden with it (publishing again restores both)."""
    _require_editor(user)
    story = _locked(story)
    _require_state(story, (State.PUBLISHED,), _("unpublished"))
    reason = _require_reason(reason, _("unpublished"))
    if story.topic_id is not None:
        _set_topic_hidden(story.topic_id, hidden=True)
    _move(story, to=State.UNPUBLISHED, user=user, reason=reason)
    content_changed()
    return story


@transaction.atomic
def story_link_translation(*, user: User, story: Story, original: Story | None) -> Story:
    """Mark `story` as a translation of `original` (None unlinks it). Every translation points at the one
    original: linking to a translation links to what it translates."""
    story = _locked(story)
    if not (permissions.is_editor(user) or _is_author(user, story)):
        raise PermissionDenied
    if original is not None:
        original = Story.objects.get(pk=original.pk)  # read afresh: the caller's copy may predate a link
        while original.translation_of_id is not None:
            original = Story.objects.get(pk=original.translation_of_id)
        if original.pk == story.pk:
            raise ValidationError(_("A story cannot be a translation of itself."), code="self_translation")
        if story.translations.exists():
            raise ValidationError(
                _("This story has translations of its own: it cannot become a translation."), code="chain"
            )
        if original.language == story.language:
            raise ValidationError(_("A translation is in another language than its original."), code="same_language")
    story.translation_of = original
    story.save(update_fields=["translation_of"])
    if story.state == State.PUBLISHED:
        content_changed()
    return story


@transaction.atomic
def editorial_comment_add(*, user: User, story: Story, raw: str) -> EditorialComment:
    """A note between the authors and the editors, never shown to readers."""
    story = _locked(story)
    may = _is_author(user, story) or (permissions.is_editor(user) and story.state != State.DRAFT)
    if not may:
        raise PermissionDenied
    raw = (raw or "").strip()
    if not raw:
        raise ValidationError(_("Write something first."), code="empty")
    return EditorialComment.objects.create(story=story, user=user, raw=raw, html=render_post_html(raw))
