"""A small world for the API: public, staff-only and group-only topics, a group member, keys of each scope."""

from dataclasses import dataclass

import pytest
from django.test import Client

from agora.api.services import api_key_create, api_key_revoke
from agora.discuss.models import CategoryGrant
from agora.groups.models import Group, Membership
from tests import factories


@dataclass
class World:
    member: object
    outsider: object
    insider: object  # in the club group
    staff: object
    public: object  # category
    club: object  # category of the club group
    staff_room: object
    public_topic: object
    club_topic: object
    staff_topic: object
    group: object


@pytest.fixture
def world(db, member, outsider, staff):
    insider = factories.UserFactory(username="Insider", trust_level=2)
    group = Group.objects.create(name="club", visibility=Group.Visibility.GROUP)
    Membership.objects.create(group=group, user=insider)
    public = factories.make_category("Open air", slug="open-air")
    club = factories.make_category("Club room", slug="club-room", grants={"club": CategoryGrant.Level.CREATE})
    staff_room = factories.make_category("Staff room", slug="staff-room", grants={"staff": CategoryGrant.Level.CREATE})
    factories.make_tag("howto")
    public_topic = factories.make_topic(member, public, title="Public question about uploads", tags=["howto"])
    club_topic = factories.make_topic(insider, club, title="LEAKMARKER club plans", raw="LEAKMARKER secret plans")
    staff_topic = factories.make_topic(staff, staff_room, title="LEAKMARKER staff matters", raw="LEAKMARKER staff")
    return World(
        member=member,
        outsider=outsider,
        insider=insider,
        staff=staff,
        public=public,
        club=club,
        staff_room=staff_room,
        public_topic=public_topic,
        club_topic=club_topic,
        staff_topic=staff_topic,
        group=group,
    )


@pytest.fixture
def keys(world):
    """Raw keys by name: the member's read and write keys, a revoked one, the insider's read key."""
    _k, read = api_key_create(user=world.member, name="reader", scope="read")
    _k, write = api_key_create(user=world.member, name="writer", scope="write")
    revoked_key, revoked = api_key_create(user=world.member, name="old", scope="write")
    api_key_revoke(key=revoked_key)
    _k, insider = api_key_create(user=world.insider, name="insider", scope="write")
    return {"read": read, "write": write, "revoked": revoked, "insider": insider}


@dataclass
class Events:
    public: object
    club: object


@pytest.fixture
def events(world):
    """A public event in an open category, and one in the club's (both in 2030, so their dates are ahead)."""
    from tests.events.conftest import make_event

    meetups = factories.make_category("Meetups", slug="meetups", allows_events=True)
    club_meetups = factories.make_category(
        "Club meetups", slug="club-meetups", allows_events=True, grants={"club": CategoryGrant.Level.CREATE}
    )
    from agora import permissions

    for person in (world.member, world.insider):
        permissions.forget_access(person)  # memoised on the object before these categories existed
    public = make_event(world.member, meetups, title="Open edit-a-thon", online_url="https://meet.example.org/a")
    club = make_event(world.insider, club_meetups, title="LEAKMARKER club dinner", venue="LEAKMARKER place")
    return Events(public=public, club=club)


def make_story(author, *, title="A story of the movement", state="published", **fields):
    from datetime import UTC, datetime

    from agora.blog.models import Story
    from agora.core.markdown import render_markdown

    if state == "published":
        fields.setdefault("published_at", datetime(2026, 3, 10, 12, 0, tzinfo=UTC))
    story = Story.objects.create(
        title=title,
        slug=fields.pop("slug", title.lower().replace(" ", "-")),
        lead=f"The lead of {title}.",
        body="Some words.",
        body_html=render_markdown("Some words."),
        created_by=author,
        state=state,
        **fields,
    )
    story.authors.add(author)
    return story


@pytest.fixture
def api():
    """api(method, url, key=None, json=None, client=None) -> response, with the key as a Bearer token."""

    def call(method, url, *, key=None, json=None, client=None, **headers):
        client = client or Client()
        if key:
            headers["HTTP_AUTHORIZATION"] = f"Bearer {key}"
        kwargs = {"content_type": "application/json", "data": json} if json is not None else {}
        return getattr(client, method.lower())(url, **kwargs, **headers)

    return call
