"""The filters of every calendar, map and feed (category, tag, group, language, online or in person),
read from a query string."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from agora import permissions
from agora.discuss.models import Category, Tag, Topic
from agora.groups.models import Group

from ..models import RSVP, Event, OccurrenceQuerySet


@dataclass
class Filters:
    """What a calendar, map or feed is narrowed to (from the query string; unknown values are ignored)."""

    category: Category | None = None
    tag: Tag | None = None
    group: Group | None = None
    language: str = ""
    # ?lang=pa,hi: events in any of these (their topic is written in it, or it is spoken there).
    langs: list[str] = field(default_factory=list)
    unknown_langs: list[str] = field(default_factory=list)  # codes in ?lang= that name no language
    country: str = ""
    mode: str = ""  # "online", "in_person" or ""
    when: str = "upcoming"  # "upcoming", "past", "all"
    mine: bool = False
    unknown: list[str] = field(default_factory=list)  # named things the viewer may not see or that do not exist

    def query(self, **changes: Any) -> dict[str, str]:
        """The filters as query string pairs (for links that keep them)."""
        values = {
            "category": self.category.slug if self.category else "",
            "tag": self.tag.name if self.tag else "",
            "group": self.group.name if self.group else "",
            "language": self.language,
            "lang": ",".join(self.langs),
            "country": self.country,
            "mode": self.mode,
            "when": "" if self.when == "upcoming" else self.when,
            "mine": "1" if self.mine else "",
        }
        values.update({k: str(v) for k, v in changes.items()})
        return {k: v for k, v in values.items() if v}


def parse_filters(user: Any, params: Any, *, category: Category | None = None, group: Group | None = None) -> Filters:
    """Filters from a query string; names are looked up through the permission module, so a private
    category, tag or hidden group filters to nothing, exactly like a name nobody has."""
    filters = Filters(category=category, group=group)
    slug = (params.get("category") or "").strip()
    if category is None and slug:
        filters.category = permissions.visible_categories(user).filter(slug=slug[:80]).first()
        if filters.category is None:
            filters.unknown.append("category")
    name = (params.get("tag") or "").strip().lower()
    if name:
        from agora.discuss.queries import tags_usable_by

        filters.tag = tags_usable_by(user).filter(name=name[:40]).first()
        if filters.tag is None:
            filters.unknown.append("tag")
    group_name = (params.get("group") or "").strip()
    if group is None and group_name:
        filters.group = permissions.visible_groups(user).filter(name=group_name[:60]).first()
        if filters.group is None:
            filters.unknown.append("group")
    language = (params.get("language") or "").strip()
    from agora.core.languages import CONTENT_LANGUAGE_CODES

    filters.language = language if language in CONTENT_LANGUAGE_CODES else ""
    from agora.core.language_filter import parse_codes

    filters.langs, filters.unknown_langs = parse_codes((params.get("lang") or "").strip())
    country = (params.get("country") or "").strip().upper()
    filters.country = country if len(country) == 2 and country.isalpha() else ""
    mode = params.get("mode") or ""
    filters.mode = mode if mode in {"online", "in_person"} else ""
    when = params.get("when") or "upcoming"
    filters.when = when if when in {"upcoming", "past", "all"} else "upcoming"
    filters.mine = bool(params.get("mine")) and user is not None and user.is_authenticated
    return filters


def _event_filter(user: Any, filters: Filters, prefix: str) -> Q:
    """The filters as a condition on events (prefix "event__" from occurrences, "" from events)."""
    q = Q()
    if filters.unknown:
        return Q(pk__in=[])
    if filters.category is not None:
        ids = [filters.category.pk, *_subcategory_ids(user, filters.category)]
        q &= Q(**{f"{prefix}topic__category_id__in": ids})
    if filters.tag is not None:
        q &= Q(**{f"{prefix}topic_id__in": Topic.tags.through.objects.filter(tag=filters.tag).values("topic_id")})
    if filters.group is not None:
        q &= Q(**{f"{prefix}group_id": filters.group.pk})
    if filters.language:
        q &= Q(**{f"{prefix}languages__contains": f",{filters.language},"})
    if filters.langs:
        either = Q(**{f"{prefix}topic__language__in": filters.langs})
        for code in filters.langs:
            either |= Q(**{f"{prefix}languages__contains": f",{code},"})
        q &= either
    if filters.country:
        q &= Q(**{f"{prefix}country": filters.country})
    if filters.mode == "online":
        q &= ~Q(**{f"{prefix}online_url": ""})
    elif filters.mode == "in_person":
        q &= Q(**{f"{prefix}latitude__isnull": False}) | ~Q(**{f"{prefix}venue": ""}) | ~Q(**{f"{prefix}address": ""})
    if filters.mine:
        event_ids = Event.objects.filter(
            Q(organizers=user)
            | Q(topic__user=user)
            | Q(
                occurrences__rsvps__user=user,
                occurrences__rsvps__status__in=[RSVP.Status.GOING, RSVP.Status.INTERESTED],
            )
        ).values("id")
        q &= Q(**{f"{prefix}id__in" if prefix else "id__in": event_ids})
    return q


def _subcategory_ids(user: Any, category: Category) -> list[int]:
    return [
        cid
        for cid, parent_id in permissions.visible_categories(user).values_list("id", "parent_id")
        if parent_id == category.pk
    ]


def _with_event(qs: Any) -> OccurrenceQuerySet:
    return qs.select_related("event", "event__topic", "event__topic__category", "event__group")


def filtered_occurrences(user: Any, filters: Filters) -> OccurrenceQuerySet:
    return _with_event(permissions.listed_occurrences(user).filter(_event_filter(user, filters, "event__")))
