"""Blog writes: a story's editorial life, from draft to published (and back), and the topic it opens.

Every function is keyword-only and atomic, checks who may do it, and records each change of state as a
StoryEvent (who, from what, to what, why) and tells the people concerned through
agora.notifications (the authors when the editors move their story; the board, or the editor who
claimed it, when it is submitted; everyone in the conversation when an editorial comment is added).
A view only parses input, fetches through agora.permissions and calls one of these.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from agora import permissions
from agora.accounts.models import User
from agora.core.page_cache import content_changed
from agora.discuss.models import Category, Post, Tag, Topic, TopicUser, make_slug
from agora.discuss.services import render_post_html
from agora.groups.models import Group
from agora.notifications.models import Notification
from agora.notifications.services import notify

from .models import BlogCategory, EditorialComment, Story, StoryEvent, StoryImage, StoryRevision

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
    {"submit", "autosave", "mine", "review", "stories", "category", "tag", "author", "language", "series"}
)
# Edits by the same person within this many seconds make one revision (an autosaving editor, a quick fix),
# as Discourse's grace period does: the revision keeps what the story said before the first of them.
REVISION_GRACE_SECONDS = 300
MAX_AUTHORS = 10


# --- helpers -------------------------------------------------------------------------------------


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
    "submit": _lazy("sent to the editors"),
    "withdraw": _lazy("taken back"),
    "delete": _lazy("deleted"),
    "claim": _lazy("claimed"),
    "request_changes": _lazy("sent back for changes"),
    "schedule": _lazy("scheduled"),
    "publish": _lazy("published"),
    "decline": _lazy("declined"),
    "unpublish": _lazy("unpublished"),
    "feature": _lazy("featured"),
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


def _clean_data(data: dict[str, Any], *, draft: bool) -> dict[str, Any]:
    """Check and trim the fields. A draft needs only its title; a story in the editors' hands keeps all three."""
    unknown = set(data) - set(TEXT_FIELDS) - set(OTHER_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown story fields: %(f)s") % {"f": ", ".join(sorted(unknown))}, code="unknown")
    clean = dict(data)
    for name in TEXT_FIELDS:
        if name in clean:
            clean[name] = (clean[name] or "").strip()
    for name in ("title",) if draft else ("title", "lead", "body"):
        if name in clean and not clean[name]:
            raise ValidationError({name: _("A story needs a title, a lead and a body.")}, code="required")
    if "kind" in clean and clean["kind"] not in Story.Kind.values:
        raise ValidationError({"kind": _("Unknown kind of story.")}, code="bad_kind")
    return clean


def _check_group(user: Any, story: Story | None, group: Group | None) -> None:
    """A story speaks for a group its writer may speak for (or that an editor keeps as it was chosen)."""
    if group is None or (story is not None and story.group_id == group.pk):
        return
    if not permissions.may_speak_for(user, group):
        raise ValidationError({"group": _("Choose a group you are a member of.")}, code="bad_group")


def _apply(story: Story, data: dict[str, Any]) -> list[str]:
    """Set the plain fields from `data` on the story; returns the names changed (M2Ms are set after save)."""
    changed = []
    for name in (*TEXT_FIELDS, "series", "group"):
        if name in data and getattr(story, name) != data[name]:
            setattr(story, name, data[name])
            changed.append(name)
    if "cover" in data:
        # An upload (already checked and re-encoded by agora.core.images) replaces the cover; None removes it.
        old = story.cover.name if story.cover else ""
        if data["cover"] is not None or old:
            story.cover = data["cover"] or ""
            changed.append("cover")
            if old:
                storage = story.cover.storage
                transaction.on_commit(lambda: storage.delete(old))
    if "body" in changed:
        story.body_html = render_post_html(story.body)
        changed.append("body_html")
    return changed


def _alt_text(filename: str) -> str:
    """A first description for a picture, from its file name ("wlm_jury-2026.jpg": "wlm jury 2026")."""
    stem = filename.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    words = "".join(c if c.isalnum() else " " for c in stem).split()
    return " ".join(words)[:100]


def _attach_images(story: Story, user: Any, images: Iterable[tuple[str, Any]]) -> bool:
    """Keep the pictures (already checked and re-encoded) and add each to the end of the body as
    Markdown; True when there were any."""
    lines = []
    for filename, upload in images:
        image = StoryImage.objects.create(story=story, image=upload, created_by=user)
        lines.append(f"![{_alt_text(filename)}]({image.image.url})")
    if not lines:
        return False
    story.body = "\n\n".join(part for part in (story.body.rstrip(), *lines) if part)
    story.body_html = render_post_html(story.body)
    return True


def _set_relations(story: Story, data: dict[str, Any]) -> bool:
    """Set the story's sections and tags from `data`; True if either changed."""
    changed = False
    if "categories" in data:
        categories = list(data["categories"])
        if any(not isinstance(c, BlogCategory) for c in categories):
            raise ValidationError(_("Unknown blog category."), code="bad_category")
        if {c.pk for c in categories} != set(story.categories.values_list("pk", flat=True)):
            story.categories.set(categories)
            changed = True
    if "tags" in data:
        tags = list(data["tags"])
        if {t.pk for t in tags} != set(story.tags.values_list("pk", flat=True)):
            story.tags.set(tags)
            changed = True
    return changed


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
    fields = ["topic", "published_at", "decline_reason"]
    if story.published_at is None:
        # First publication: the story takes its address from its title (a draft's was a token).
        story.slug = _unique_slug(story.title, exclude_pk=story.pk)
        fields.append("slug")
    if story.topic_id is None:
        story.topic = story_topic_open(story=story)
    else:
        _set_topic_hidden(story.topic_id, hidden=False)
    # Re-publishing keeps the first publication date, so lists and feeds do not reorder.
    story.published_at = story.published_at or timezone.now()
    story.decline_reason = ""
    _move(story, to=State.PUBLISHED, user=user, reason=reason, fields=fields)
    content_changed()
    return story


# --- services ------------------------------------------------------------------------------------


def recent_same_draft(*, user: User, title: str) -> Story | None:
    """The user's draft of this title made moments ago, if any: a new-story page saved by hand while its
    first autosave was still on the way must not make a second one."""
    since = timezone.now() - timedelta(seconds=SAME_DRAFT_SECONDS)
    mine = Story.authors.through.objects.filter(user_id=user.pk).values("story_id")
    title = (title or "").strip()
    return (
        Story.objects.filter(id__in=mine, state=State.DRAFT, title=title, created_at__gte=since, edit_seq__lte=1)
        .order_by("-pk")
        .first()
    )


@transaction.atomic
def story_create(*, user: User, data: dict[str, Any]) -> Story:
    """A new draft; its creator is its first author. A draft needs a title; its lead and body may come later."""
    if user is None or not user.is_authenticated or not user.is_active:
        raise PermissionDenied
    clean = _clean_data(data, draft=True)
    if not clean.get("title"):
        raise ValidationError({"title": _("Give the story a title.")}, code="required")
    _check_group(user, None, clean.get("group"))
    story = Story(created_by=user, slug=_draft_slug(), state=State.DRAFT, edit_seq=1, edited_by=user)
    _apply(story, clean)
    story.body_html = render_post_html(story.body)
    story.save()
    story.authors.add(user)
    _set_relations(story, clean)
    if _attach_images(story, user, clean.get("images", ())):
        story.save(update_fields=["body", "body_html"])
    return story


def _keep_revision(story: Story, user: Any, before: tuple[str, str, str]) -> bool:
    """Record what the story said before this edit, unless the same person's last edit was moments ago
    (that revision already holds the text from before their run of edits). True when one was recorded."""
    last = story.revisions.order_by("-number").first()
    grace = timezone.now() - timedelta(seconds=REVISION_GRACE_SECONDS)
    if last is not None and last.user_id == user.pk and last.created_at >= grace and last.number == story.version - 1:
        return False
    StoryRevision.objects.create(
        story=story, number=story.version, title=before[0], lead=before[1], body=before[2], user=user
    )
    return True


def _check_base(story: Story, user: Any, base: int | None) -> None:
    """Refuse an edit made on a copy of the story that someone else has changed since: their words would
    be lost. (The same person's own saves, autosaves included, moved it on: that is no conflict.)"""
    if base is None or base == story.edit_seq or story.edited_by_id == getattr(user, "pk", None):
        return
    raise ValidationError(
        _(
            "Someone else changed the story while you were editing it. Your text is below: copy what you "
            "need, then reload the page to see their changes."
        ),
        code="conflict",
    )


def _require_edit(user: Any, story: Story) -> None:
    if permissions.can_story(user, "edit", story):
        return
    if not permissions.can_story(user, "manage", story):
        raise PermissionDenied
    raise ValidationError(
        _(
            "The story is with the editors now (%(state)s): your changes were not saved. Copy your text, and ask "
            "the editors in an editorial comment."
        )
        % {"state": story.get_state_display().lower()},
        code="locked",
    )


@transaction.atomic
def story_update(*, user: User, story: Story, data: dict[str, Any], base: int | None = None) -> Story:
    """Edit a story, keeping what it said before as a revision. Authors edit while it is a draft or changes
    are requested; editors at any time but a draft's. A published story's title renames its topic.
    `base` is the edit_seq the editor's copy was made from (see _check_base)."""
    story = _locked(story)
    _require_edit(user, story)
    _check_base(story, user, base)
    clean = _clean_data(data, draft=story.state == State.DRAFT)
    if "group" in clean:
        _check_group(user, story, clean["group"])
    before = (story.title, story.lead, story.body)
    changed = _apply(story, clean)
    if _attach_images(story, user, clean.get("images", ())):
        changed += [name for name in ("body", "body_html") if name not in changed]
    if any(name in changed for name in ("title", "lead", "body")) and _keep_revision(story, user, before):
        story.version += 1
        changed.append("version")
    relations_changed = _set_relations(story, clean)
    if changed or relations_changed:
        story.updated_at = timezone.now()
        story.edit_seq += 1
        story.edited_by = user
        story.save(update_fields=[*changed, "updated_at", "edit_seq", "edited_by"])
    if story.topic_id is not None and ("title" in changed or "lead" in changed or "cover" in changed):
        if "title" in changed:
            Topic.objects.filter(pk=story.topic_id).update(title=story.title, slug=make_slug(story.title))
        raw = _opening_post_raw(story)
        Post.objects.filter(topic_id=story.topic_id, number=1).update(raw=raw, html=render_post_html(raw))
    if story.state in (State.PUBLISHED, State.UNPUBLISHED) and (changed or relations_changed):
        content_changed()
    return story


@transaction.atomic
def story_delete(*, user: User, story: Story) -> None:
    """An author throws a draft away (its cover and pictures go after commit); co-authors are not asked."""
    story = _locked(story)
    _require_move(user, story, "delete")
    files = [story.cover, *(picture.image for picture in story.images.all())]
    names = [(f.storage, f.name) for f in files if f and f.name]

    def remove_files() -> None:
        for storage, name in names:
            storage.delete(name)

    transaction.on_commit(remove_files)
    story.delete()


def _tell_coauthors(story: Story, kind: str, user: Any) -> None:
    notify(users=story.authors.exclude(pk=user.pk), kind=kind, actor=_actor(user), story=story)


@transaction.atomic
def story_submit(*, user: User, story: Story, note_to_editors: str | None = None) -> Story:
    """An author hands the draft (or the revised story) to the editors: the editor who claimed it is told,
    or the whole board when nobody has yet; and the other authors."""
    story = _locked(story)
    _require_move(user, story, "submit")
    if story.missing_for_submission:
        raise ValidationError(
            _("Before the editors can read it, the story needs a title, a lead and a body."), code="incomplete"
        )
    fields = []
    if note_to_editors is not None:
        story.note_to_editors = note_to_editors.strip()
        fields.append("note_to_editors")
    _move(story, to=State.SUBMITTED, user=user, fields=fields)
    told = [story.claimed_by] if story.claimed_by is not None else _editors()
    notify(users=[*told, *story.authors.all()], kind=Notification.Kind.STORY_SUBMITTED, actor=user, story=story)
    return story


@transaction.atomic
def story_withdraw(*, user: User, story: Story) -> Story:
    """An author takes a submitted story back to work on it, before an editor has claimed it."""
    story = _locked(story)
    _require_move(user, story, "withdraw")
    _move(story, to=State.DRAFT, user=user)
    _tell_coauthors(story, Notification.Kind.STORY_WITHDRAWN, user)
    return story


@transaction.atomic
def story_claim(*, user: User, story: Story) -> Story:
    """An editor takes a submitted story into review (or takes it over from another editor)."""
    story = _locked(story)
    if story.state == State.IN_REVIEW and story.claimed_by_id == user.pk and permissions.is_editor(user):
        return story
    _require_move(user, story, "claim")
    story.claimed_by = user
    _move(story, to=State.IN_REVIEW, user=user, fields=["claimed_by"])
    _tell_authors(story, Notification.Kind.STORY_CLAIMED, user)
    return story


@transaction.atomic
def story_request_changes(*, user: User, story: Story, reason: str) -> Story:
    """An editor sends the story back to its authors, saying what to change."""
    story = _locked(story)
    _require_move(user, story, "request_changes")
    reason = _require_reason(reason, _("sent back"))
    story.scheduled_at = None
    if story.claimed_by_id is None:
        story.claimed_by = user
    _move(story, to=State.CHANGES_REQUESTED, user=user, reason=reason, fields=["scheduled_at", "claimed_by"])
    _tell_authors(story, Notification.Kind.STORY_CHANGES, user)
    return story


# How far ahead a story may be scheduled.
SCHEDULE_HORIZON = timedelta(days=3 * 366)


@transaction.atomic
def story_schedule(*, user: User, story: Story, at: datetime) -> Story:
    """An editor approves the story to appear at `at` (publish_due_stories publishes it then)."""
    story = _locked(story)
    _require_move(user, story, "schedule")
    if at is None or timezone.is_naive(at):
        raise ValidationError(_("Give the time to publish, with its time zone."), code="bad_time")
    now = timezone.now()
    if at <= now:
        raise ValidationError(
            _("That time has passed: choose a time in the future, or publish the story now."), code="past"
        )
    if at > now + SCHEDULE_HORIZON:
        raise ValidationError(_("Choose a time within the next three years."), code="too_far")
    if story.missing_for_submission:
        raise ValidationError(_("A story needs a title, a lead and a body."), code="incomplete")
    story.scheduled_at = at
    _move(story, to=State.SCHEDULED, user=user, reason=at.isoformat(), fields=["scheduled_at"])
    _tell_authors(story, Notification.Kind.STORY_SCHEDULED, user)
    return story


@transaction.atomic
def story_publish(*, user: User, story: Story) -> Story:
    """An editor publishes the story now (or again, after unpublishing): it opens its discussion topic."""
    story = _locked(story)
    _require_move(user, story, "publish")
    if story.missing_for_submission:
        raise ValidationError(_("A story needs a title, a lead and a body."), code="incomplete")
    story = _publish(story, user=user)
    _tell_authors(story, Notification.Kind.STORY_PUBLISHED, user)
    return story


@transaction.atomic
def story_publish_if_due(*, story_id: int, now: datetime | None = None) -> bool:
    """Publish a scheduled story whose time has come; False (and nothing done) otherwise. Safe to repeat."""
    story = Story.objects.select_for_update().filter(pk=story_id).first()
    now = now or timezone.now()
    if story is None or story.state != State.SCHEDULED or story.scheduled_at is None or story.scheduled_at > now:
        return False
    _publish(story, user=None, reason=_("Scheduled for %(at)s") % {"at": story.scheduled_at.isoformat()})
    _tell_authors(story, Notification.Kind.STORY_PUBLISHED, None)
    return True


def stories_publish_due(*, now: datetime | None = None) -> list[int]:
    """Publish every scheduled story whose time has passed, each in its own transaction; returns their ids."""
    now = now or timezone.now()
    due = Story.objects.filter(state=State.SCHEDULED, scheduled_at__lte=now).order_by("scheduled_at", "pk")
    return [pk for pk in due.values_list("pk", flat=True) if story_publish_if_due(story_id=pk, now=now)]


@transaction.atomic
def story_decline(*, user: User, story: Story, reason: str) -> Story:
    """An editor declines the story; the reason is required and shown to its authors."""
    story = _locked(story)
    _require_move(user, story, "decline")
    reason = _require_reason(reason, _("declined"))
    story.decline_reason = reason
    story.scheduled_at = None
    _move(story, to=State.DECLINED, user=user, reason=reason, fields=["decline_reason", "scheduled_at"])
    _tell_authors(story, Notification.Kind.STORY_DECLINED, user)
    return story


@transaction.atomic
def story_unpublish(*, user: User, story: Story, reason: str) -> Story:
    """An editor takes a published story down; its topic is hidden with it (publishing again restores both)."""
    story = _locked(story)
    _require_move(user, story, "unpublish")
    reason = _require_reason(reason, _("unpublished"))
    if story.topic_id is not None:
        _set_topic_hidden(story.topic_id, hidden=True)
    story.featured = False
    _move(story, to=State.UNPUBLISHED, user=user, reason=reason, fields=["featured"])
    content_changed()
    _tell_authors(story, Notification.Kind.STORY_UNPUBLISHED, user)
    return story


@transaction.atomic
def story_feature(*, user: User, story: Story, featured: bool) -> Story:
    """An editor puts a published story at the top of the blog's front page (one at a time), or takes it off."""
    story = _locked(story)
    if featured:
        _require_move(user, story, "feature")
        Story.objects.filter(featured=True).exclude(pk=story.pk).update(featured=False)
    elif not permissions.is_editor(user):
        raise PermissionDenied(_("Only the editorial board can do this."))
    if story.featured != featured:
        story.featured = featured
        story.save(update_fields=["featured"])
        content_changed()
    return story


@transaction.atomic
def story_set_authors(*, user: User, story: Story, authors: Iterable[User]) -> bool:
    """Set who wrote the story (its authors, or an editor, may): at least one, active people only.
    Returns whether `user` may still open the story's desk."""
    story = _locked(story)
    if not permissions.can_story(user, "manage", story):
        raise PermissionDenied
    people = list({a.pk: a for a in authors}.values())
    if not people:
        raise ValidationError(_("A story needs at least one author."), code="no_author")
    if len(people) > MAX_AUTHORS:
        raise ValidationError(_("A story has %(n)d authors at most.") % {"n": MAX_AUTHORS}, code="too_many")
    if any(not p.is_active for p in people):
        raise ValidationError(_("Only active members can be authors."), code="inactive")
    story.authors.set(people)
    if story.state == State.PUBLISHED:
        content_changed()
    return permissions.desk_stories(user).filter(pk=story.pk).exists()


@transaction.atomic
def story_link_translation(*, user: User, story: Story, original: Story | None) -> Story:
    """Mark `story` as a translation of `original` (None unlinks it). Every translation points at the one
    original: linking to a translation links to what it translates, which the user must be able to open
    too (else it is answered like a story that does not exist)."""
    story = _locked(story)
    if not permissions.can_story(user, "manage", story):
        raise PermissionDenied
    if original is not None:
        reachable = permissions.visible_stories(user)
        seen: set[int] = set()
        current: Story | None = reachable.select_for_update().filter(pk=original.pk).first()
        while current is not None and current.translation_of_id is not None and current.pk not in seen:
            seen.add(current.pk)
            current = reachable.select_for_update().filter(pk=current.translation_of_id).first()
        if current is None:
            raise ValidationError(_("No story you may open has that address."), code="not_found")
        original = current
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
    if not permissions.can_story(user, "comment", story):
        raise PermissionDenied
    raw = (raw or "").strip()
    if not raw:
        raise ValidationError(_("Write something first."), code="empty")
    if len(raw) > settings.AGORA_POST_MAX_LENGTH:
        raise ValidationError(
            _("A comment has %(n)d characters at most.") % {"n": settings.AGORA_POST_MAX_LENGTH}, code="too_long"
        )
    comment = EditorialComment.objects.create(story=story, user=user, raw=raw, html=render_post_html(raw))
    # The conversation: the authors, the editor who claimed the story, and the editors who wrote here before,
    # as long as they are still editors (one query).
    authors = Story.authors.through.objects.filter(story_id=story.pk).values("user_id")
    commenters = story.editorial_comments.values("user_id")
    editors = permissions.editors_q()
    told = User.objects.filter(
        Q(pk__in=authors) | (Q(pk=story.claimed_by_id) & editors) | (Q(pk__in=commenters) & editors)
    )
    notify(users=told, kind=Notification.Kind.STORY_COMMENT, actor=user, story=story)
    return comment
