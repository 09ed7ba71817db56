"""A small world for the feeds: public topics in two languages with tags, and private places that carry
LEAKMARKER (a staff-only category, a hidden group's category, a deleted reply)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone

from agora import permissions
from agora.discuss.models import CategoryGrant, Post, Topic
from agora.groups.models import Group, Membership
from tests import factories


@dataclass
class World:
    writer: object
    public: object
    wikisource: Topic
    english: Topic
    untagged: Topic
    reply: Post
    deleted_reply: Post
    staff_topic: Topic
    group: Group
    group_topic: Topic
    hidden_group: Group


@pytest.fixture
def world(db, staff):
    writer = factories.UserFactory(username="Writer", display_name="Wanda Writer", trust_level=3)
    public = factories.make_category("Wikisource", slug="wikisource")
    for name in ("wikisource", "punjabi", "ecology"):
        factories.make_tag(name)
    base = timezone.now() - timedelta(days=3)
    wikisource = factories.make_topic(
        writer, public, title="ਵਿਕੀਸਰੋਤ ਉੱਤੇ ਪ੍ਰੂਫ਼ਰੀਡਿੰਗ", raw="ਪਹਿਲੀ **ਪੋਸਟ**", tags=["wikisource", "punjabi"], language="pa"
    )
    english = factories.make_topic(
        writer, public, title="Proofreading on Wikisource", raw="An *opening* post.", tags=["wikisource"], language="en"
    )
    untagged = factories.make_topic(writer, public, title="Untagged news", raw="Nothing tagged.", language="en")
    for offset, topic in enumerate((wikisource, english, untagged)):
        Topic.objects.filter(pk=topic.pk).update(created_at=base + timedelta(hours=offset))
    reply = factories.make_reply(writer, english, raw="A public reply.")
    deleted_reply = factories.make_reply(writer, english, raw="LEAKMARKER deleted reply")
    Post.objects.filter(pk=deleted_reply.pk).update(deleted_at=timezone.now())
    staff_category = factories.make_category(
        "Staff room", slug="staff-room", grants={"staff": CategoryGrant.Level.CREATE}
    )
    staff_topic = factories.make_topic(
        staff, staff_category, title="LEAKMARKER staff plans", raw="LEAKMARKER staff only", tags=["wikisource"]
    )
    group = Group.objects.create(name="Punjabi-Wikimedians", visibility=Group.Visibility.PUBLIC)
    Membership.objects.create(group=group, user=writer)
    permissions.forget_access(writer)
    group_category = factories.make_category(
        "Punjabi club", slug="punjabi-club", group=group, grants={group.name: CategoryGrant.Level.CREATE}
    )
    group_topic = factories.make_topic(
        writer, group_category, title="LEAKMARKER club topic", raw="LEAKMARKER members", tags=["punjabi"]
    )
    # The group's public space: its feed lists this one for everyone.
    open_category = factories.make_category("Punjabi open", slug="punjabi-open", group=group)
    permissions.forget_access(writer)
    open_topic = factories.make_topic(writer, open_category, title="Open club notes", raw="Open to all.")
    Topic.objects.filter(pk=open_topic.pk).update(created_at=base - timedelta(days=1))
    hidden_group = Group.objects.create(name="Hidden-club", visibility=Group.Visibility.GROUP)
    return World(
        writer,
        public,
        wikisource,
        english,
        untagged,
        reply,
        deleted_reply,
        staff_topic,
        group,
        group_topic,
        hidden_group,
    )
