"""Discuss writes: every change to topics and posts goes through one of these functions.

Each is atomic and keeps the counters on topic, category and post rows true in the same
transaction. Permission checks happen before (in views, through agora.permissions), and the
functions re-check the rules that guard data integrity.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Sum
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from agora import permissions
from agora.accounts.models import User
from agora.core.detect import detect_language, language_for
from agora.core.languages import language_name
from agora.core.page_cache import content_changed
from agora.core.translated_names import cleaned_translations
from agora.live import services as live_services
from agora.notifications import services as notification_services
from agora.notifications.models import Notification

from . import hooks, queries
from . import messages as message_services
from .models import (
    Bookmark,
    Category,
    HiddenReason,
    IdempotencyKey,
    Post,
    PostLike,
    PostRevision,
    Tag,
    Topic,
    TopicUser,
    make_slug,
)
from .rendering import render_post_html


def _tags_from_names(user: User, names: Iterable[str]) -> list[Tag]:
    clean = sorted({n.strip().lower() for n in names if n and n.strip()})
    existing = {t.name: t for t in queries.tags_usable_by(user).filter(name__in=clean)}
    unknown = [n for n in clean if n not in existing]
    if unknown:
        raise ValidationError(_("Unknown tag: %(tags)s") % {"tags": ", ".join(unknown)}, code="unknown_tag")
    return [existing[n] for n in clean]


# A retried submit comes within seconds or minutes; a day covers a laptop closed mid-submit.
IDEMPOTENCY_KEY_HOURS = 24


def _keyed_post(user: User, key: uuid.UUID | None) -> Post | None:
    """The post an earlier write with this key made, looked up once the caller holds the lock that
    serialises the person's writes: a concurrent twin waits for the first to commit, then finds its post."""
    return queries.post_for_idempotency_key(user, key) if key is not None else None


def _remember_key(user: User, key: uuid.UUID | None, post: Post) -> None:
    if key is not None:
        IdempotencyKey.objects.create(user=user, key=key, post=post)


def idempotency_keys_prune() -> int:
    """Forget keys older than IDEMPOTENCY_KEY_HOURS (a timed job); returns how many went."""
    cutoff = timezone.now() - timedelta(hours=IDEMPOTENCY_KEY_HOURS)
    deleted, _counts = IdempotencyKey.objects.filter(created_at__lt=cutoff).delete()
    return deleted


@transaction.atomic
def topic_create(
    *,
    user: User,
    category: Category,
    title: str,
    raw: str,
    tags: Iterable[str] = (),
    language: str = "",
    idempotency_key: uuid.UUID | None = None,
) -> Topic:
    """Start a topic. With an idempotency key already used by this person, the topic it started comes back
    and nothing is written (a retried submit)."""
    if idempotency_key is not None:
        # The person's row lock orders two submits of one key (PostgreSQL; SQLite writes one at a time).
        list(User.objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True))
        if (done := _keyed_post(user, idempotency_key)) is not None:
            return done.topic
    if not permissions.can(user, "create_topic", category):
        raise PermissionDenied
    hooks.post_checking.send(user=user, topic=None, category=category, raw=raw, is_topic=True, post=None)
    content_changed()
    tag_objs = _tags_from_names(user, tags)
    now = timezone.now()
    topic = Topic.objects.create(
        title=title.strip(),
        slug=make_slug(title),
        category=category,
        user=user,
        # Left empty: the language the text is written in, else the category's, the author's, the interface's.
        language=language_for(
            language, f"{title}\n{raw}", category.default_language, *user.language_list[:1], get_language()
        ),
        created_at=now,
        bumped_at=now,
        last_posted_at=now,
        last_poster=user,
        posts_count=1,
        highest_post_number=1,
    )
    if tag_objs:
        topic.tags.set(tag_objs)
    post = Post.objects.create(
        topic=topic, number=1, user=user, raw=raw, html=render_post_html(raw), created_at=now, updated_at=now
    )
    notification_services.post_notify_on_commit(post)  # mentions and watchers, in the worker
    notification_services.watch_from_activity(user=user, topic=topic, created=True)
    Category.objects.filter(pk=category.pk).update(topic_count=F("topic_count") + 1, post_count=F("post_count") + 1)
    TopicUser.objects.create(topic=topic, user=user, last_read_number=1)
    _remember_key(user, idempotency_key, post)
    hooks.post_created.send(post=post, is_topic=True)
    return topic


def _reply_language(given: str, raw: str, topic: Topic) -> str:
    code = language_for(given, raw, topic.language) if given else (detect_language(raw, hint=topic.language) or "")
    return "" if code == topic.language else code


@transaction.atomic
def post_create(
    *,
    user: User,
    topic: Topic,
    raw: str,
    reply_to_number: int | None = None,
    language: str = "",
    idempotency_key: uuid.UUID | None = None,
) -> Post:
    """Reply. With an idempotency key already used by this person, the reply it made comes back and nothing
    is written (a retried submit)."""
    # Lock the topic row so two replies never take the same number (and two submits of one key wait in turn).
    topic = Topic.objects.select_for_update(of=("self",)).select_related("category").get(pk=topic.pk)
    if (done := _keyed_post(user, idempotency_key)) is not None:
        return done
    if not permissions.can(user, "reply", topic):
        raise PermissionDenied
    hooks.post_checking.send(user=user, topic=topic, category=topic.category, raw=raw, is_topic=False, post=None)
    content_changed()
    if reply_to_number is not None and not Post.objects.filter(topic=topic, number=reply_to_number).exists():
        reply_to_number = None
    now = timezone.now()
    number = topic.highest_post_number + 1
    post = Post.objects.create(
        topic=topic,
        number=number,
        user=user,
        raw=raw,
        html=render_post_html(raw),
        reply_to_number=reply_to_number,
        # The anonymous sender of a message stays anonymous in their replies.
        anonymous=topic.is_message and message_services.is_anonymous_participant(topic=topic, user=user),
        # Blank means "the topic's": a reply detected (or said) to be in the topic's language stays blank.
        language=_reply_language(language, raw, topic),
        created_at=now,
        updated_at=now,
    )
    Topic.objects.filter(pk=topic.pk).update(
        highest_post_number=number,
        posts_count=F("posts_count") + 1,
        reply_count=F("reply_count") + 1,
        bumped_at=now,
        last_posted_at=now,
        last_poster=user,
    )
    _update_category(topic, post_count=F("post_count") + 1)
    topic_mark_read(user=user, topic=topic, number=number)
    _remember_key(user, idempotency_key, post)
    notification_services.post_notify_on_commit(post)  # mentions, the replied-to, quoted and watchers
    if not topic.is_message:
        notification_services.watch_from_activity(user=user, topic=topic, created=False)
    if topic.is_message:
        message_services.message_replied(post=post)  # tells the other participants, on commit
    hooks.post_created.send(post=post, is_topic=False)
    live_services.live_publish_post(post=post, event="post")  # open pages fetch it
    return post


@transaction.atomic
def post_edit(*, user: User, post: Post, raw: str, title: str | None = None, language: str | None = None) -> Post:
    """Edit a post, keeping what it said before as a revision. For post 1, title and language edit the
    topic too. `language`: None keeps it, "" detects it again from the edited text, a code sets it."""
    post = Post.objects.select_for_update(of=("self",)).select_related("topic", "topic__category").get(pk=post.pk)
    if not permissions.can(user, "edit", post):
        raise PermissionDenied
    content_changed()
    topic = post.topic
    title_changed = post.number == 1 and title is not None and title.strip() != topic.title
    _edit_language(post, topic, raw=raw, title=title, language=language)
    if raw == post.raw and not title_changed:
        return post
    hooks.post_checking.send(user=user, topic=topic, category=topic.category, raw=raw, is_topic=False, post=post)
    # A moderator editing someone else's post: the post and its revisions say so, and the author is told.
    by_moderator = post.user_id != user.pk and permissions.can(user, "moderate", topic)
    revision = PostRevision.objects.create(
        post=post,
        number=post.version,
        raw=post.raw,
        title=topic.title if post.number == 1 else "",
        user=user,
        by_moderator=by_moderator,
    )
    post.raw = raw
    post.html = render_post_html(raw)
    post.version += 1
    post.updated_at = timezone.now()
    post.mod_edited = post.mod_edited or by_moderator
    post.save(update_fields=["raw", "html", "version", "updated_at", "mod_edited"])
    if by_moderator:
        notification_services.notify(users=[post.user], kind=Notification.Kind.POST_MOD_EDITED, actor=user, post=post)
        hooks.moderator_acted.send(
            actor=user, action="post_edit", target=post, subject_user=post.user, reason="", details={}
        )
    notification_services.mentions_notify_on_commit(post, previous_raw=revision.raw)  # new @names only
    if title_changed and title is not None:
        topic.title = title.strip()
        topic.slug = make_slug(topic.title)
        topic.save(update_fields=["title", "slug"])
    hooks.post_edited.send(post=post, editor=user)
    live_services.live_publish_post(post=post, event="edit")
    return post


def _edit_language(post: Post, topic: Topic, *, raw: str, title: str | None, language: str | None) -> bool:
    """Store the language an edit gives (or, given empty, the one the new text reads as); True if it changed.
    The opening post's language is the topic's."""
    if language is None:
        return False
    if post.number == 1:
        text = f"{title or topic.title}\n{raw}"
        category_language = topic.category.default_language if topic.category else ""
        code = language_for(language, text, category_language, topic.language)
        if code == topic.language:
            return False
        topic.language = code
        topic.save(update_fields=["language"])
        return True
    code = _reply_language(language, raw, topic)
    if code == post.language:
        return False
    post.language = code
    post.save(update_fields=["language"])
    return True


@transaction.atomic
def post_delete(*, user: User, post: Post) -> None:
    """Soft delete. Deleting the opening post deletes the topic."""
    post = Post.objects.select_for_update().select_related("topic").get(pk=post.pk)
    if not permissions.can(user, "delete", post):
        raise PermissionDenied
    _refuse_story_opening(post)
    content_changed()
    if post.user_id != user.pk:  # a moderator's deletion goes in the staff log
        hooks.moderator_acted.send(
            actor=user, action="post_delete", target=post, subject_user=post.user, reason="", details={}
        )
    now = timezone.now()
    topic = post.topic
    if post.number == 1:
        if topic.deleted_at is None:  # a topic hidden already has left the category's counts
            Topic.objects.filter(pk=topic.pk).update(deleted_at=now)
            # A held post (post_hold) has left them too, and a held topic (with its opening post).
            live = Post.objects.filter(topic=topic, deleted_at__isnull=True, pending_approval=False).count()
            topics = 0 if topic.pending_approval else 1
            _update_category(topic, topic_count=F("topic_count") - topics, post_count=F("post_count") - live)
        Post.objects.filter(pk=post.pk).update(deleted_at=now, deleted_by=user)
        hooks.post_deleted.send(post=post)
        live_services.live_publish_post(post=post, event="delete")
        return
    Post.objects.filter(pk=post.pk).update(deleted_at=now, deleted_by=user)
    hooks.post_deleted.send(post=post)
    live_services.live_publish_post(post=post, event="delete")
    _recount_topic(topic)
    # A deleted topic's posts have left the category's count already (see above), and a held post too.
    if topic.deleted_at is None and not post.pending_approval:
        _update_category(topic, post_count=F("post_count") - 1)
    if topic.solution_post_id == post.pk:
        Topic.objects.filter(pk=topic.pk).update(solution_post=None)


def _refuse_story_opening(post: Post) -> None:
    """A blog story's discussion is shown and hidden with its story (publish, unpublish): its opening post
    is never deleted or restored on its own."""
    if post.number == 1 and Topic.objects.filter(pk=post.topic_id, story__isnull=False).exists():
        raise PermissionDenied(
            _("This opens a blog story's discussion: the editors publish and unpublish it with its story.")
        )


@transaction.atomic
def post_restore(*, user: User, post: Post) -> None:
    post = Post.objects.select_for_update().select_related("topic").get(pk=post.pk)
    if post.deleted_at is None:
        return
    if not permissions.can(user, "restore", post):
        raise PermissionDenied
    _refuse_story_opening(post)
    content_changed()
    if post.user_id != user.pk:
        hooks.moderator_acted.send(
            actor=user, action="post_restore", target=post, subject_user=post.user, reason="", details={}
        )
    topic = post.topic
    Post.objects.filter(pk=post.pk).update(deleted_at=None, deleted_by=None)
    hooks.post_restored.send(post=post)
    live_services.live_publish_post(post=post, event="edit")
    live = _recount_topic(topic)
    if post.number == 1 and topic.deleted_at is not None:
        Topic.objects.filter(pk=topic.pk).update(deleted_at=None)
        _update_category(topic, topic_count=F("topic_count") + 1, post_count=F("post_count") + live)
        return
    if topic.deleted_at is None:
        _update_category(topic, post_count=F("post_count") + 1)


@transaction.atomic
def post_hide(*, post: Post, reason: HiddenReason) -> bool:
    """Hide a post pending review (by flags, or by a moderator): it keeps its place and counts, its author
    and the moderators still read it. Returns whether it was visible before. Who may hide is the caller's
    check (agora.moderation's services, which also log it): the flags hide with no person acting."""
    content_changed()
    hid = Post.objects.filter(pk=post.pk, hidden_at__isnull=True).update(hidden_at=timezone.now(), hidden_reason=reason)
    if hid:
        live_services.live_publish_post(post=post, event="edit")
    return bool(hid)


@transaction.atomic
def post_unhide(*, post: Post) -> bool:
    """Show a hidden post again; returns whether it was hidden."""
    content_changed()
    shown = Post.objects.filter(pk=post.pk, hidden_at__isnull=False).update(hidden_at=None, hidden_reason="")
    if shown:
        live_services.live_publish_post(post=post, event="edit")
    return bool(shown)


@transaction.atomic
def post_hold(*, post: Post, is_topic: bool) -> None:
    """Hold a just-written post for a moderator's approval (a new member's first posts, see
    moderation.limits): seen by its author and the moderators only, so it leaves the counts and the
    lists until post_release(). A held opening post holds its topic too."""
    content_changed()
    topic = post.topic
    Post.objects.filter(pk=post.pk).update(pending_approval=True)
    post.pending_approval = True  # the review queue's receiver of the same hook reads it next
    if is_topic or post.number == 1:
        Topic.objects.filter(pk=topic.pk).update(pending_approval=True)
        _update_category(topic, topic_count=F("topic_count") - 1, post_count=F("post_count") - 1)
        return
    _recount_topic(topic)
    last = Post.objects.filter(topic=topic, deleted_at__isnull=True, pending_approval=False).order_by("-number").first()
    Topic.objects.filter(pk=topic.pk).update(bumped_at=last.created_at if last else topic.created_at)
    _update_category(topic, post_count=F("post_count") - 1)


@transaction.atomic
def post_release(*, post: Post) -> None:
    """Show a held post (approved by a moderator): back in its topic's and category's counts; an opening
    post releases its topic. The approval itself (who, the log, telling the author) is moderation's."""
    post = Post.objects.select_for_update(of=("self",)).select_related("topic").get(pk=post.pk)
    if not post.pending_approval:
        return
    content_changed()
    topic = post.topic
    Post.objects.filter(pk=post.pk).update(pending_approval=False)
    post.pending_approval = False
    live_services.live_publish_post(post=post, event="post")  # released: open pages show it now
    notification_services.post_notify_on_commit(post)  # held back while it waited
    if post.number == 1:
        Topic.objects.filter(pk=topic.pk).update(pending_approval=False)
        _recount_topic(topic)
        if topic.deleted_at is None:  # replies in a held topic (a moderator's) were counted as written
            _update_category(topic, topic_count=F("topic_count") + 1, post_count=F("post_count") + 1)
        return
    _recount_topic(topic)
    Topic.objects.filter(pk=topic.pk).update(bumped_at=timezone.now())
    if topic.deleted_at is None and post.deleted_at is None:
        _update_category(topic, post_count=F("post_count") + 1)


def _update_category(topic: Topic, **counters: Any) -> None:
    """Update the counters on the topic's category; a private message has none."""
    if topic.category_id is not None:
        Category.objects.filter(pk=topic.category_id).update(**counters)


def _recount_topic(topic: Topic) -> int:
    """Recount a topic's counters from its live posts (likes on deleted or held posts do not count); returns
    posts."""
    live = Post.objects.filter(topic=topic, deleted_at__isnull=True, pending_approval=False)
    totals = live.aggregate(count=Count("id"), likes=Sum("like_count"))
    count = totals["count"]
    last = live.order_by("-number").select_related("user").first()
    Topic.objects.filter(pk=topic.pk).update(
        posts_count=count,
        reply_count=max(count - 1, 0),
        like_count=totals["likes"] or 0,
        last_posted_at=last.created_at if last else topic.created_at,
        last_poster=last.user if last else None,
    )
    return count


def _locked_post(post: Post) -> Post:
    """The post's row, locked for the rest of the transaction and read afresh (on PostgreSQL; SQLite
    writes one at a time anyway), so a check made on it holds until commit."""
    return (
        Post.objects.select_for_update(of=("self",)).select_related("topic", "topic__category", "user").get(pk=post.pk)
    )


@transaction.atomic
def post_like_toggle(*, user: User, post: Post) -> bool:
    """Like or unlike a post; returns whether the user likes it now.

    Visitors' cached pages are not invalidated for a like: their like counts may lag by at most
    AGORA_PAGE_CACHE_SECONDS, which keeps the cache useful on a busy site.
    """
    post = _locked_post(post)  # a like racing a delete must see the delete
    if not permissions.can(user, "like", post):
        raise PermissionDenied
    deleted, _count = PostLike.objects.filter(post=post, user=user).delete()
    if deleted:
        delta = -1
    else:
        try:
            with transaction.atomic():
                PostLike.objects.create(post=post, user=user)
        except IntegrityError:  # a double click that raced: it is liked already
            return True
        delta = 1
    Post.objects.filter(pk=post.pk).update(like_count=F("like_count") + delta)
    Topic.objects.filter(pk=post.topic_id).update(like_count=F("like_count") + delta)
    hooks.post_liked.send(post=post, user=user, liked=delta > 0)
    notification_services.post_like_notify(post=post, user=user, liked=delta > 0)
    live_services.live_publish_post(post=post, event="like")  # the count only
    return delta > 0


@transaction.atomic
def bookmark_set(*, user: User, post: Post, note: str = "") -> Bookmark:
    post = _locked_post(post)
    if not permissions.can(user, "bookmark", post):
        raise PermissionDenied
    bookmark, _created = Bookmark.objects.update_or_create(post=post, user=user, defaults={"note": note.strip()})
    return bookmark


def bookmark_remove(*, user: User, post: Post) -> None:
    Bookmark.objects.filter(post=post, user=user).delete()


@transaction.atomic
def topic_mark_solution(*, user: User, topic: Topic, post: Post | None) -> None:
    """Mark `post` as the answer (or clear it with None)."""
    topic = Topic.objects.select_for_update(of=("self",)).select_related("category").get(pk=topic.pk)
    if post is not None:
        post = _locked_post(post)
    if not permissions.can(user, "solve", topic):
        raise PermissionDenied
    content_changed()
    if post is not None and (post.topic_id != topic.pk or post.number == 1 or post.deleted_at is not None):
        raise ValidationError(_("Only a reply in this topic can be the solution."), code="bad_solution")
    Topic.objects.filter(pk=topic.pk).update(solution_post=post)
    if post is not None and topic.solution_post_id != post.pk:
        notification_services.solution_notify(topic=topic, post=post, actor=user)


MODERATION_FIELDS = {"closed", "archived", "unlisted", "pinned", "pinned_globally"}


@transaction.atomic
def topic_set_status(*, user: User, topic: Topic, status: str, enabled: bool) -> None:
    if status not in MODERATION_FIELDS:
        raise ValidationError(_("Unknown status."), code="bad_status")
    # Pinning in its category is also a trust-level unlock (permissions: "pin").
    if not (permissions.can(user, "moderate", topic) or (status == "pinned" and permissions.can(user, "pin", topic))):
        raise PermissionDenied
    if topic.is_message and status in {"pinned", "pinned_globally", "unlisted"}:
        raise ValidationError(_("A private message cannot be pinned or unlisted."), code="bad_status")
    if status == "pinned_globally" and not permissions.can(user, "pin_globally", topic):
        raise PermissionDenied  # the top of /latest is the whole site's: not for a group's own moderators
    content_changed()
    changes: dict[str, Any]
    if status == "pinned":
        changes = {"pinned_at": timezone.now() if enabled else None}
        if not enabled:
            changes["pinned_globally"] = False
    elif status == "pinned_globally":
        changes = {"pinned_globally": enabled, "pinned_at": timezone.now() if enabled else None}
    else:
        changes = {status: enabled}
    Topic.objects.filter(pk=topic.pk).update(**changes)
    hooks.moderator_acted.send(
        actor=user,
        action=f"topic_{status}" if enabled else f"topic_un{status}",
        target=topic,
        subject_user=None,
        reason="",
        details={},
    )


def topic_mark_read(*, user: User, topic: Topic, number: int) -> None:
    """Remember the highest post number the user has seen in the topic."""
    if not user.is_authenticated:
        return
    updated = TopicUser.objects.filter(topic=topic, user=user, last_read_number__lt=number).update(
        last_read_number=number
    )
    if not updated:
        TopicUser.objects.get_or_create(topic=topic, user=user, defaults={"last_read_number": number})


VIEW_WINDOW_SECONDS = 8 * 3600


def topic_count_view(*, topic_id: int, viewer_key: str) -> bool:
    """Count a view once per viewer (user id or address) and topic in an eight-hour window, as
    Discourse does; a reload is not a view, and most page loads then write nothing."""
    if not cache.add(f"topic-view:{topic_id}:{viewer_key}", 1, VIEW_WINDOW_SECONDS):
        return False
    Topic.objects.filter(pk=topic_id).update(views=F("views") + 1)
    return True


# What a category's and a tag's translations hold (agora.core.translated_names).
NAME_FIELDS = ("name", "description")


@transaction.atomic
def category_translations_save(*, actor: Any, category: Category, translations: dict[str, dict[str, str]]) -> Category:
    """Staff set a category's name and description in other languages (all of them at once: a language
    left out is removed). An unknown language code refuses the whole change."""
    if not permissions.can_edit_names(actor):
        raise PermissionDenied
    category.translations = cleaned_translations(translations, fields=NAME_FIELDS)
    category.save(update_fields=["translations"])
    content_changed()  # visitors' cached lists show the names
    return category


@transaction.atomic
def tag_translations_save(*, actor: Any, tag: Tag, translations: dict[str, dict[str, str]]) -> Tag:
    """Staff set a tag's label and description in other languages; its name stays its address."""
    if not permissions.can_edit_names(actor):
        raise PermissionDenied
    tag.translations = cleaned_translations(translations, fields=NAME_FIELDS)
    tag.save(update_fields=["translations"])
    content_changed()
    return tag


@transaction.atomic
def topic_link_translation(*, user: User, topic: Topic, original: Topic | None) -> Topic:
    """Mark `topic` as a translation of `original` (None unlinks it). The rules keep every group of
    translations one original with its translations, each in its own language: linking to a translation
    links to what it translates (never a chain), a topic that has translations cannot become one (no
    cycles, no chains), and only someone who may link both (their author, a moderator) may."""
    topic = Topic.objects.select_for_update(of=("self",)).select_related("category").get(pk=topic.pk)
    if not permissions.can(user, "link_translation", topic):
        raise PermissionDenied
    if original is not None:
        original = _translation_root(user, original)
        if original.pk == topic.pk:
            raise ValidationError(
                _("A topic cannot be a translation of itself or of one of its own translations."), code="cycle"
            )
        if Topic.objects.filter(translation_of_id=topic.pk).exists():
            raise ValidationError(
                _("This topic has translations of its own: link the other topic to this one instead."), code="chain"
            )
        if not permissions.can(user, "link_translation", original):
            raise ValidationError(
                _("Only someone who may edit both topics can link them: ask its author or a moderator."),
                code="not_editable",
            )
        if original.language == topic.language:
            raise ValidationError(
                _("A translation is in another language than its original: both are in %(language)s.")
                % {"language": language_name(topic.language)},
                code="same_language",
            )
        twin = Topic.objects.filter(translation_of_id=original.pk, language=topic.language).exclude(pk=topic.pk).first()
        if twin is not None:
            raise ValidationError(
                _("That topic already has a translation in %(language)s: %(url)s")
                % {"language": language_name(topic.language), "url": twin.get_absolute_url()},
                code="language_taken",
            )
    if topic.translation_of_id != (original.pk if original else None):
        topic.translation_of = original
        topic.save(update_fields=["translation_of"])
        content_changed()
    return topic


def _translation_root(user: User, topic: Topic) -> Topic:
    """The original of `topic`'s group (itself when it translates nothing), as the user may see it; a
    topic they may not see is answered like one that does not exist."""
    seen: set[int] = set()
    # Read again from the database: the caller's copy may predate a link made since.
    current: Topic | None = Topic.objects.select_related("category").filter(pk=topic.pk).first()
    while current is not None and current.pk not in seen:
        if current.is_message or not permissions.can(user, "see", current):
            current = None
            break
        if current.translation_of_id is None:
            return current
        seen.add(current.pk)
        current = Topic.objects.select_related("category").filter(pk=current.translation_of_id).first()
    raise ValidationError(_("No topic you may open has that address."), code="not_found")


@transaction.atomic
def post_import(
    *,
    user: User,
    raw: str,
    created_at: Any,
    category: Category | None = None,
    title: str = "",
    topic: Topic | None = None,
    reply_to_number: int | None = None,
) -> Post:
    """Write a post brought in from an archive (a mailing list's): a new topic in `category` titled `title`,
    or a reply in `topic`, dated `created_at`, counters kept true. Unlike topic_create and post_create it
    checks no permission or limit and calls no hook: an archive of 10,000 old messages must not notify,
    mail or hold anyone; the importer indexes what it wrote itself."""
    content_changed()
    if topic is None:
        if category is None:
            raise ValueError("post_import needs a category for a new topic")
        topic = Topic.objects.create(
            title=title.strip()[:255],
            slug=make_slug(title),
            category=category,
            user=user,
            language=language_for("", f"{title}\n{raw}", category.default_language),
            created_at=created_at,
            bumped_at=created_at,
            last_posted_at=created_at,
            last_poster=user,
            posts_count=1,
            highest_post_number=1,
        )
        Category.objects.filter(pk=category.pk).update(topic_count=F("topic_count") + 1, post_count=F("post_count") + 1)
        return Post.objects.create(
            topic=topic, number=1, user=user, raw=raw, html=render_post_html(raw), created_at=created_at,
            updated_at=created_at,
        )  # fmt: skip
    topic = Topic.objects.select_for_update(of=("self",)).get(pk=topic.pk)
    number = topic.highest_post_number + 1
    if reply_to_number is not None and not Post.objects.filter(topic=topic, number=reply_to_number).exists():
        reply_to_number = None
    post = Post.objects.create(
        topic=topic,
        number=number,
        user=user,
        raw=raw,
        html=render_post_html(raw),
        reply_to_number=reply_to_number,
        created_at=created_at,
        updated_at=created_at,
    )
    changes: dict[str, Any] = {
        "highest_post_number": number,
        "posts_count": F("posts_count") + 1,
        "reply_count": F("reply_count") + 1,
    }
    if created_at >= topic.last_posted_at:
        changes.update(last_posted_at=created_at, bumped_at=created_at, last_poster=user)
    Topic.objects.filter(pk=topic.pk).update(**changes)
    _update_category(topic, post_count=F("post_count") + 1)
    return post
