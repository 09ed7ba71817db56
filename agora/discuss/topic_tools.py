"""Moderator tools on topics and posts: retitle, recategorise, retag, merge, split and move posts; hide,
make a wiki, lock edits. Writes: keyword-only, atomic, each re-checks its permission (agora.permissions)
and tells the staff log through the `moderator_acted` hook (agora.moderation listens).

Moving posts appends them at the end of the target topic, in their order, so numbers stay unique; each
moved post remembers its old place (PostMove) and a merged topic its new one (Topic.merged_into), so old
links redirect. Every move leaves a notice post ("small action") where the posts were.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from agora import permissions
from agora.accounts.models import User
from agora.core.page_cache import content_changed
from agora.core.text import clean_line
from agora.notifications import services as notification_services
from agora.notifications.models import Notification

from . import hooks, services
from .models import Category, HiddenReason, Post, PostAction, PostMove, Topic, TopicUser, make_slug


def _acted(
    *, actor: User, action: str, target: Any, subject_user: User | None = None, reason: str = "", **details: Any
):
    hooks.moderator_acted.send(
        actor=actor, action=action, target=target, subject_user=subject_user, reason=reason, details=details
    )


def _check(actor: User, action: str, obj: Any) -> None:
    if not permissions.can(actor, action, obj):
        raise PermissionDenied


def _locked_topic(topic: Topic) -> Topic:
    return Topic.objects.select_for_update(of=("self",)).select_related("category").get(pk=topic.pk)


def _refuse_special(topic: Topic) -> None:
    """A private message, a deleted topic, a blog story's discussion and an event's page are not moved
    or merged: their topic is tied to something else."""
    if topic.is_message:
        raise ValidationError(_("Private messages cannot be moved or merged."), code="message")
    if topic.deleted_at is not None:
        raise ValidationError(_("This topic is deleted: restore it first."), code="deleted")
    if Topic.objects.filter(pk=topic.pk).filter(story__isnull=False).exists():
        raise ValidationError(_("This is a blog story's discussion: it stays with its story."), code="story")
    if Topic.objects.filter(pk=topic.pk, event__isnull=False).exists():
        raise ValidationError(_("This topic is an event's page: it stays with its event."), code="event")


def _clean_title(title: str) -> str:
    from django.conf import settings

    title = clean_line(title or "")
    if len(title) < settings.AGORA_TITLE_MIN_LENGTH:
        raise ValidationError(
            _("A title needs at least %(n)d characters.") % {"n": settings.AGORA_TITLE_MIN_LENGTH}, code="min_length"
        )
    if len(title) > settings.AGORA_TITLE_MAX_LENGTH:
        raise ValidationError(
            _("A title has %(n)d characters at most.") % {"n": settings.AGORA_TITLE_MAX_LENGTH}, code="max_length"
        )
    return title


# --- Topics ------------------------------------------------------------------------------------


@transaction.atomic
def topic_retitle(*, actor: User, topic: Topic, title: str, reason: str = "") -> Topic:
    """Give the topic a new title (and slug: the old address redirects to the new slug)."""
    topic = _locked_topic(topic)
    _check(actor, "retitle", topic)
    title = _clean_title(title)
    if title == topic.title:
        return topic
    old = topic.title
    content_changed()
    topic.title, topic.slug = title, make_slug(title)
    topic.save(update_fields=["title", "slug"])
    _acted(actor=actor, action="topic_retitle", target=topic, reason=reason, old=old, new=title)
    return topic


@transaction.atomic
def topic_recategorize(*, actor: User, topic: Topic, category: Category, reason: str = "") -> Topic:
    """Move the topic to another category the actor may post in (or moderates), counters following."""
    topic = _locked_topic(topic)
    _check(actor, "recategorize", topic)
    if topic.is_message:
        raise ValidationError(_("Private messages have no category."), code="message")
    if not permissions.may_move_into(actor, category):
        raise PermissionDenied(_("You may not move topics into that category."))
    if category.pk == topic.category_id:
        return topic
    old = topic.category
    content_changed()
    if topic.deleted_at is None:  # a deleted topic has left its category's counts already
        live = Post.objects.filter(topic=topic, deleted_at__isnull=True).count()
        Category.objects.filter(pk=topic.category_id).update(
            topic_count=F("topic_count") - 1, post_count=F("post_count") - live
        )
        Category.objects.filter(pk=category.pk).update(
            topic_count=F("topic_count") + 1, post_count=F("post_count") + live
        )
    topic.category = category
    topic.save(update_fields=["category"])
    _acted(
        actor=actor,
        action="topic_recategorize",
        target=topic,
        reason=reason,
        old=old.name if old else "",
        new=category.name,
    )
    return topic


@transaction.atomic
def topic_retag(*, actor: User, topic: Topic, tags: Iterable[str], reason: str = "") -> Topic:
    topic = _locked_topic(topic)
    _check(actor, "retag", topic)
    tag_objs = services._tags_from_names(actor, tags)
    old = sorted(topic.tags.values_list("name", flat=True))
    new = [t.name for t in tag_objs]
    if old == new:
        return topic
    content_changed()
    topic.tags.set(tag_objs)
    _acted(actor=actor, action="topic_retag", target=topic, reason=reason, old=old, new=new)
    return topic


@transaction.atomic
def topic_change(
    *,
    actor: User,
    topic: Topic,
    title: str | None = None,
    category: Category | None = None,
    tags: Iterable[str] | None = None,
    reason: str = "",
) -> Topic:
    """Retitle, recategorise and retag at once (None: leave as it is): all of it, or none if one is refused."""
    if title is not None:
        topic = topic_retitle(actor=actor, topic=topic, title=title, reason=reason)
    if category is not None:
        topic = topic_recategorize(actor=actor, topic=topic, category=category, reason=reason)
    if tags is not None:
        topic = topic_retag(actor=actor, topic=topic, tags=tags, reason=reason)
    return topic


def _shown_name(topic: Topic, where: Topic) -> str | None:
    """The title of `topic` as a notice in `where` may show it: only when it is no secret to anyone who
    reads `where` (the same category, or a category visitors see). Else the notice names no title."""
    if topic.category_id == where.category_id:
        return topic.title
    if topic.category_id is not None and permissions.category_level(AnonymousUser(), topic.category_id) > 0:
        return topic.title
    return None


def _notice(*, actor: User, topic: Topic, action: str, text: str, count: int, other: Topic) -> Post:
    """Append a notice post ("small action") to `topic`: `text` has %(n)s and %(link)s for the number of
    posts and the other topic. The topic row must be locked by the caller."""
    shown = _shown_name(other, topic)
    name = shown or _("another topic")
    # Unnamed, the link is the short address too: a slug is made of the title.
    url = other.get_absolute_url() if shown else f"/t/{other.pk}"
    link = format_html('<a href="{}">{}</a>', url, name)
    number = Topic.objects.filter(pk=topic.pk).values_list("highest_post_number", flat=True).get() + 1
    now = timezone.now()
    post = Post.objects.create(
        topic=topic,
        number=number,
        user=actor,
        raw=text % {"n": count, "link": name},
        html=mark_safe(escape(text) % {"n": count, "link": link}),  # the sentence escaped, the link by format_html
        action=action,
        created_at=now,
        updated_at=now,
    )
    Topic.objects.filter(pk=topic.pk).update(highest_post_number=number)
    if topic.deleted_at is None:
        services._update_category(topic, post_count=F("post_count") + 1)
    return post


def _move(*, actor: User, source: Topic, posts: Sequence[Post], target: Topic) -> None:
    """Append `posts` (ordered by number) to `target`, keep their old places, and recount both topics and
    their categories. Both topic rows are locked by the caller."""
    base = Topic.objects.filter(pk=target.pk).values_list("highest_post_number", flat=True).get()
    numbers = {p.number: base + i + 1 for i, p in enumerate(posts)}
    now = timezone.now()
    PostMove.objects.bulk_create(
        [PostMove(post=p, old_topic_id=source.pk, old_number=p.number, moved_at=now) for p in posts]
    )
    # Two steps so the (topic, number) uniqueness holds at every row: off to the target first.
    for post in posts:
        Post.objects.filter(pk=post.pk).update(
            topic=target,
            number=numbers[post.number],
            # A reply to a post that moved along keeps its link; to one left behind, loses it.
            reply_to_number=numbers.get(post.reply_to_number) if post.reply_to_number else None,
        )
    Topic.objects.filter(pk=target.pk).update(highest_post_number=base + len(posts))
    Topic.objects.filter(pk=source.pk).update(posts_moved_out=True)
    # Replies left behind to a post that moved away lose the link (the number is nobody's there now).
    Post.objects.filter(topic=source, reply_to_number__in=list(numbers)).update(reply_to_number=None)
    live = sum(1 for p in posts if p.deleted_at is None)
    if source.category_id != target.category_id and live:
        if source.deleted_at is None:
            services._update_category(source, post_count=F("post_count") - live)
        if target.deleted_at is None:
            services._update_category(target, post_count=F("post_count") + live)
    if source.solution_post_id in {p.pk for p in posts}:
        Topic.objects.filter(pk=source.pk).update(solution_post=None)
    # The authors are told where their posts went (one notification each, about their first post).
    firsts: dict[int, Post] = {}
    for post in posts:
        firsts.setdefault(post.user_id, post)
    for post in firsts.values():
        post.topic, post.number = target, numbers[post.number]
        notification_services.notify(users=[post.user], kind=Notification.Kind.POST_MOVED, actor=actor, post=post)


def _posts_to_move(topic: Topic, post_ids: Iterable[int]) -> list[Post]:
    ids = {int(i) for i in post_ids}
    if not ids:
        raise ValidationError(_("Choose at least one post to move."), code="no_posts")
    posts = list(
        Post.objects.select_for_update(of=("self",))
        .filter(topic=topic, pk__in=ids)
        .select_related("user")
        .order_by("number")
    )
    if len(posts) != len(ids):
        raise ValidationError(_("Some of the chosen posts are not in this topic any more."), code="not_here")
    if any(p.number == 1 for p in posts):
        raise ValidationError(
            _(
                "The opening post stays with its topic. To move the whole topic, merge it into the other one; "
                "to give it another category, recategorise it."
            ),
            code="opening_post",
        )
    if any(p.action for p in posts):
        raise ValidationError(_("Notices of earlier moves cannot be moved."), code="notice")
    return posts


def _lock_pair(first: Topic, second: Topic) -> tuple[Topic, Topic]:
    """Lock two topic rows in id order (so two moves the other way round never deadlock)."""
    locked = {
        t.pk: t
        for t in Topic.objects.select_for_update(of=("self",))
        .select_related("category")
        .filter(pk__in=[first.pk, second.pk])
        .order_by("pk")
    }
    return locked[first.pk], locked[second.pk]


@transaction.atomic
def posts_move(*, actor: User, topic: Topic, post_ids: Iterable[int], target: Topic, reason: str = "") -> list[Post]:
    """Move the chosen replies of `topic` to the end of an existing topic `target`."""
    if target.pk == topic.pk:
        raise ValidationError(_("Choose another topic: these posts are in this one already."), code="same_topic")
    topic, target = _lock_pair(topic, target)
    _check(actor, "move_posts", topic)
    if not permissions.can(actor, "see", target):
        raise PermissionDenied(_("There is no topic you may see at that address."))
    _check(actor, "move_posts", target)
    _refuse_special(topic)
    _refuse_special(target)
    posts = _posts_to_move(topic, post_ids)
    content_changed()
    _move(actor=actor, source=topic, posts=posts, target=target)
    text = ngettext("moved %(n)s post to %(link)s", "moved %(n)s posts to %(link)s", len(posts))
    _notice(actor=actor, topic=topic, action=PostAction.MOVED, text=text, count=len(posts), other=target)
    services._recount_topic(topic)
    services._recount_topic(target)
    _acted(
        actor=actor,
        action="topic_move_posts",
        target=topic,
        reason=reason,
        to_topic=target.pk,
        posts=[p.pk for p in posts],
    )
    return posts


@transaction.atomic
def posts_split(
    *, actor: User, topic: Topic, post_ids: Iterable[int], title: str, category: Category, reason: str = ""
) -> Topic:
    """Move the chosen replies of `topic` into a new topic: the first of them opens it, its author owns it."""
    topic = _locked_topic(topic)
    _check(actor, "split", topic)
    _refuse_special(topic)
    title = _clean_title(title)
    if not permissions.may_move_into(actor, category):
        raise PermissionDenied(_("You may not start topics in that category."))
    posts = _posts_to_move(topic, post_ids)
    content_changed()
    first = posts[0]
    new = Topic.objects.create(
        title=title,
        slug=make_slug(title),
        category=category,
        user=first.user,
        language=topic.language,
        created_at=first.created_at,
        bumped_at=timezone.now(),
        last_posted_at=posts[-1].created_at,
        last_poster=posts[-1].user,
    )
    Category.objects.filter(pk=category.pk).update(topic_count=F("topic_count") + 1)
    TopicUser.objects.create(topic=new, user=actor, last_read_number=len(posts))
    _move(actor=actor, source=topic, posts=posts, target=new)
    text = ngettext(
        "moved %(n)s post to a new topic: %(link)s", "moved %(n)s posts to a new topic: %(link)s", len(posts)
    )
    _notice(actor=actor, topic=topic, action=PostAction.MOVED, text=text, count=len(posts), other=new)
    services._recount_topic(topic)
    services._recount_topic(new)
    _acted(actor=actor, action="topic_split", target=topic, reason=reason, to_topic=new.pk, posts=[p.pk for p in posts])
    new.refresh_from_db()
    return new


@transaction.atomic
def topic_merge(*, actor: User, topic: Topic, target: Topic, reason: str = "") -> Topic:
    """Move every post of `topic` to the end of `target`, and delete `topic`: its address (and every post's)
    redirects there. The target gets a notice naming what was merged."""
    if target.pk == topic.pk:
        raise ValidationError(_("A topic cannot be merged into itself: choose another topic."), code="same_topic")
    topic, target = _lock_pair(topic, target)
    _check(actor, "merge", topic)
    if not permissions.can(actor, "see", target):
        raise PermissionDenied(_("There is no topic you may see at that address."))
    _check(actor, "merge", target)
    _refuse_special(topic)
    _refuse_special(target)
    posts = list(
        Post.objects.select_for_update(of=("self",)).filter(topic=topic).select_related("user").order_by("number")
    )
    content_changed()
    now = timezone.now()
    _move(actor=actor, source=topic, posts=posts, target=target)
    # The merged topic leaves its category's topic count (its posts moved their count in _move).
    services._update_category(topic, topic_count=F("topic_count") - 1)
    Topic.objects.filter(pk=topic.pk).update(
        deleted_at=now, merged_into=target, posts_count=0, reply_count=0, like_count=0, solution_post=None
    )
    # Addresses that led to this topic lead on to the target.
    Topic.objects.filter(merged_into=topic).update(merged_into=target)
    text = ngettext("merged %(n)s post from %(link)s", "merged %(n)s posts from %(link)s", len(posts))
    _notice(actor=actor, topic=target, action=PostAction.MERGED, text=text, count=len(posts), other=topic)
    services._recount_topic(target)
    _acted(actor=actor, action="topic_merge", target=topic, reason=reason, to_topic=target.pk, posts=len(posts))
    target.refresh_from_db()
    return target


# --- Posts -------------------------------------------------------------------------------------


@transaction.atomic
def post_set_hidden(*, actor: User, post: Post, hidden: bool, reason: str = "") -> bool:
    """Hide a post (by a moderator) or show it again; the author is told. Returns whether it changed."""
    post = services._locked_post(post)
    _check(actor, "hide", post)
    changed = (
        services.post_hide(post=post, reason=HiddenReason.MODERATOR) if hidden else services.post_unhide(post=post)
    )
    if changed:
        kind = Notification.Kind.POST_HIDDEN if hidden else Notification.Kind.POST_SHOWN
        notification_services.notify(users=[post.user], kind=kind, actor=actor, post=post)
        _acted(
            actor=actor,
            action="post_hide" if hidden else "post_unhide",
            target=post,
            subject_user=post.user,
            reason=reason,
        )
    return changed


def post_set_wiki(*, actor: User, post: Post, wiki: bool) -> bool:
    """Make a post a wiki (members from AGORA_TL_EDIT_WIKI who may reply edit it), or not."""
    return _post_set(actor=actor, post=post, field="wiki", value=wiki, tool="wiki")


def post_set_locked(*, actor: User, post: Post, locked: bool) -> bool:
    """Lock a post's edits (only moderators edit it then), or unlock them."""
    return _post_set(actor=actor, post=post, field="locked", value=locked, tool="lock")


@transaction.atomic
def _post_set(*, actor: User, post: Post, field: str, value: bool, tool: str) -> bool:
    """Turn one of a post's switches on or off, logged as post_<tool> or post_un<tool>."""
    post = services._locked_post(post)
    _check(actor, tool, post)
    if getattr(post, field) == value:
        return False
    content_changed()
    Post.objects.filter(pk=post.pk).update(**{field: value})
    _acted(actor=actor, action=f"post_{tool}" if value else f"post_un{tool}", target=post, subject_user=post.user)
    return True
