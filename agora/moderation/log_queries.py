"""Reads of the staff action log: who may read it, which entries each reader sees, and what each entry
links to. Used by the log page (/review/log) and the moderator panel of a person."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from agora import permissions
from agora.accounts.models import User
from agora.core.when import when_text
from agora.discuss.models import Category, Post, Topic

from .actions import action_label
from .models import ModeratorAction


def reads_log(user: Any) -> bool:
    """Site moderators and staff read the log. Group moderators do not (see visible_log)."""
    return bool(user is not None and user.is_authenticated and user.is_staff_or_moderator)


def visible_log(user: Any) -> QuerySet[ModeratorAction]:
    """The entries `user` may read. Staff: all. Site moderators: all but those about a topic, post or
    category they cannot see (a staff-only category's topics), so the log never names what the
    permission module hides from them. Everyone else, group moderators included: none. A group
    moderator's share could not be kept safe: an entry's label, reason and details speak of where a topic
    was moved to and of people, and entries outlive the category a topic was in when they were written."""
    if not reads_log(user):
        return ModeratorAction.objects.none()
    qs = ModeratorAction.objects.all()
    if user.is_staff:
        return qs
    hidden_topics = Topic.objects.exclude(pk__in=permissions.visible_topics(user, include_deleted=True).values("pk"))
    hidden = (
        Q(target_kind=ModeratorAction.TargetKind.TOPIC, target_id__in=hidden_topics.values("pk"))
        | Q(
            target_kind=ModeratorAction.TargetKind.POST,
            target_id__in=Post.objects.filter(topic_id__in=hidden_topics.values("pk")).values("pk"),
        )
        | Q(
            target_kind=ModeratorAction.TargetKind.CATEGORY,
            target_id__in=Category.objects.exclude(pk__in=permissions.access_for(user).category_ids).values("pk"),
        )
    )
    return qs.exclude(hidden)


@dataclass(frozen=True)
class LogFilters:
    action: str = ""
    actor: User | None = None
    subject: User | None = None
    since: date | None = None
    until: date | None = None


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def filtered_log(user: Any, filters: LogFilters) -> QuerySet[ModeratorAction]:
    """The entries `user` sees that match the filters, newest first, with who acted and on whom."""
    qs = visible_log(user).select_related("actor", "subject_user")
    if filters.action:
        qs = qs.filter(action=filters.action)
    if filters.actor is not None:
        qs = qs.filter(actor=filters.actor)
    if filters.subject is not None:
        qs = qs.filter(Q(subject_user=filters.subject) | Q(target_kind="user", target_id=filters.subject.pk))
    if filters.since is not None:
        qs = qs.filter(created_at__gte=_start_of(filters.since))
    if filters.until is not None:
        qs = qs.filter(created_at__lt=_start_of(filters.until + timedelta(days=1)))
    return qs.order_by("-created_at", "-id")


def annotate_entries(entries: list[Any]) -> None:
    """Give each entry its label and a link to its target (one query, for the posts on the page: a post is
    reached through its topic and number). Links still go through the permission checks of their pages."""
    post_ids = [e.target_id for e in entries if e.target_kind == ModeratorAction.TargetKind.POST and e.target_id]
    posts = {}
    if post_ids:
        posts = {
            pk: (topic_id, number)
            for pk, topic_id, number in Post.objects.filter(pk__in=post_ids).values_list("pk", "topic_id", "number")
        }
    for entry in entries:
        entry.label = action_label(entry.action)
        entry.link = ""
        kind, target_id = entry.target_kind, entry.target_id
        if kind == ModeratorAction.TargetKind.TOPIC and target_id:
            entry.link = f"/t/{target_id}"
        elif kind == ModeratorAction.TargetKind.POST and target_id in posts:
            topic_id, number = posts[target_id]
            entry.link = f"/t/-/{topic_id}/{number}"
        elif (
            kind == ModeratorAction.TargetKind.USER and entry.subject_user is not None and entry.subject_user.is_active
        ):
            entry.link = entry.subject_user.get_absolute_url()
        entry.detail_items = sorted((str(k), _detail_text(v)) for k, v in (entry.details or {}).items())


def _detail_text(value: Any) -> str:
    if isinstance(value, str):
        try:
            when = datetime.fromisoformat(value)
        except ValueError:
            return value
        if when.tzinfo is not None:
            return when_text(when, "datetime")
        return value
    return str(value)


def log_about(user: Any, person: User, *, limit: int = 20) -> list[ModeratorAction]:
    """The latest entries about one person, as `user` may read them (for the moderator panel)."""
    entries = list(filtered_log(user, LogFilters(subject=person))[:limit])
    annotate_entries(entries)
    return entries
