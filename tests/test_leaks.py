"""The leak test: walk every URL pattern the site has and fail if private content shows up anywhere.

The data has a staff-only category, a group-only category, a private subcategory of a public
category, a public-looking subcategory of a private category, a topic moved into a private
category, a deleted topic and a deleted post; everything there carries a LEAKMARKER string.
The walker fills each pattern's parameters with every id, slug and name of that data (private
ones included), as an anonymous visitor and as a signed-in outsider, and follows the links of
the pages it finds. New URL patterns join the walk without editing this file; a pattern whose
parameters it cannot fill fails the test until a value pool or a skip (with a reason) is added.
"""

from __future__ import annotations

import functools
import inspect
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from html import escape
from urllib.parse import parse_qs, parse_qsl, quote, unquote, urlsplit

import pytest
from django.conf import settings
from django.db.models import F
from django.test import Client, TestCase, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, include, path, resolve
from django.urls.exceptions import Resolver404
from django.urls.resolvers import RegexPattern, RoutePattern
from django.utils import timezone

from agora import permissions
from agora.api.models import ApiKey
from agora.blog import services as blog_services
from agora.blog.models import BlogCategory, Series, Story
from agora.discuss import services, topic_tools
from agora.discuss.messages import message_create
from agora.discuss.models import Bookmark, Category, CategoryGrant, Post, Tag, Topic
from agora.events.models import RSVP, CalendarToken, Event, Occurrence
from agora.groups.models import Group, Invitation, JoinRequest, Membership
from agora.moderation.models import Flag, ReviewItem
from agora.notifications.models import Notification
from agora.syndication.models import SyndicatedFeed
from tests import factories

pytestmark = pytest.mark.django_db

SEE, REPLY, CREATE = CategoryGrant.Level.SEE, CategoryGrant.Level.REPLY, CategoryGrant.Level.CREATE
# LEAKMARKER: private content. MEMBERSMARKER: content for signed-in people, never for visitors.
MARKER_RE = re.compile(rb"(?:leakmarker|membersmarker)[\w-]*", re.IGNORECASE)

# What a search box, a filter or a query string is asked for. Mixed case on purpose: the page's echo of
# the query is not a leak, and content is written LEAKMARKER/leakmarker, so stripping the echo never
# strips a real match.
SEARCH_TERMS = ["LeakMarker", "LeakMarker-Hidden", "LeakMarker-DM", "LeakMarker-Modmsg", "MembersMarker", "Shyperson"]

# Surfaces beyond the URL patterns: feeds, sitemaps, JSON, searches and query strings. Each is filled
# like a URL pattern ({pk}, {slug}, {name}, {username}, {number}, {token}, or a pool of one kind such as
# {tag_name}, {group_name}, {occurrence_pk}; {q} takes every SEARCH_TERMS entry) and walked by every
# viewer. A new surface is one line here; one that does not exist yet answers 404 and is checked from
# the day it does.
SURFACES = [
    "/search?q={q}",
    "/search.json?q={q}",
    "/latest?q={q}",
    "/latest.rss",
    "/latest.json",
    "/c/{category_slug}.rss",
    "/tag/{tag_name}.rss",
    "/t/{slug}/{pk}.rss",
    "/t/{pk}.json",
    # Discourse-compatible JSON (agora.api.discourse): its patterns are walked as they are; these add the
    # query strings. A private topic's post ids asked for through a public topic; every period and page.
    "/t/{pk}/posts.json?post_ids[]={post_pk}",
    "/t/{pk}/posts.json?post_number={number}",
    "/top.json?period=all",
    "/top.json?period=daily",
    "/latest.json?page=1",
    "/categories.json?include_subcategories=true",
    "/c/{category_slug}/{pk}.json?page=0",
    "/u/{username}.rss",
    "/sitemap.xml",
    "/api/v1/topics",
    "/api/v1/search?q={q}",
    "/api/v1/topics?category={category_slug}",
    "/api/v1/topics?tag={tag_name}",
    "/api/v1/stories",
    "/api/v1/events",
    "/api/v1/categories",
    "/api/v1/tags",
    "/api/v1/groups",
    "/api/v1/notifications",
    "/tags?q={q}",
    "/g?q={q}",
    "/g?member={username}",  # membership inferred through a directory filter
    "/g/quiet-club/members?q={q}",
    "/g/leakmarker-hidden/members?q={q}",
    "/messages?q={q}",
    "/messages/new?to={username}&group={group_name}",  # the composer prefilled with a hidden group
    "/notifications?q={q}",
    "/new-topic?category={category_slug}",  # the composer prefilled with a private category
    "/p/{pk}/revisions?version={number}",  # a revision fetched by version number
    # Events: feeds and filters naming private categories, tags, hidden groups; past and all dates.
    "/events.ics",
    "/events.geojson",
    "/events.ics?when=all",
    "/events.geojson?when=all",
    "/events.ics?category={category_slug}",
    "/events.geojson?category={category_slug}",
    "/events.ics?tag={tag_name}",
    "/events.ics?group={group_name}",
    "/events.geojson?group={group_name}",
    "/events?view=agenda&when=all",
    "/events?view=agenda&category={category_slug}&when=all",
    "/events?view=agenda&group={group_name}&when=all",
    "/events?view=agenda&tag={tag_name}&when=all",
    "/events?date=2030-03-01",
    "/events?view=week&date=2030-03-12",
    "/events/map?when=all",
    "/events/map?category={category_slug}&when=all",
    "/events/geocode?q={q}",
    # Content languages: filtered lists and feeds, and Help translate (never a private story or topic).
    "/latest?lang=fr,en",
    "/c/{category_slug}?lang=fr",
    "/blog?lang=fr,xx-nope",
    "/blog.atom?lang=fr",
    "/blog/translate",
    "/blog/translate?lang=fr,ar",
    "/events.ics?lang=fr,en",
    "/events?view=agenda&when=all&lang=fr",
    "/t/{slug}/{pk}?occurrence={occurrence_pk}",
    # Feeds in every format and with filters naming private places; the widget, read as a visitor.
    "/latest.atom",
    "/latest.feed.json",
    "/latest.rss?tags={tag_name}",
    "/latest.feed.json?category={category_slug}",
    "/latest.atom?lang=fr,en&tags={tag_name}",
    "/c/{category_slug}.atom",
    "/c/{category_slug}.feed.json",
    "/tag/{tag_name}.atom",
    "/tag/{tag_name}.feed.json",
    "/g/{group_name}.rss",
    "/g/{group_name}.atom",
    "/g/{group_name}.feed.json",
    "/u/{username}.atom",
    "/u/{username}.feed.json",
    "/t/{slug}/{pk}.atom",
    "/t/{slug}/{pk}.feed.json",
    "/blog.rss",
    "/blog.feed.json",
    "/embed/topics",
    "/embed/topics?category={category_slug}",
    "/embed/topics?tag={tag_name}",
    "/embed/events",
    "/embed/events?category={category_slug}",
    "/embed/stories",
    "/embed?kind=topics&category={category_slug}",
    # The staff action log, filtered by person: never an entry about what the reader may not see.
    "/review/log?subject={username}",
    "/review/log?actor={username}&action=post_hide",
]

# Patterns the walker leaves out, matched on the start of the route or on the URL name; each with why.
SKIP = {
    "admin/": "Django admin: staff only, guarded by its own permission checks",
    "account_confirm_email": "allauth e-mail confirmation token; no forum content behind it",
    "account_reset_password_from_key": "allauth password-reset token; no forum content behind it",
    "^media/": "uploaded files (avatars, story pictures, mail attachments), bytes under unguessable names",
    "api_unknown": "the API's catch-all for unknown addresses (any text): a fixed 404 problem document",
}
# POSTing to these would end the signed-in session the walk relies on, or mail people.
POST_SKIP = ("accounts/",)


# --- the data ----------------------------------------------------------------------------


@dataclass
class World:
    staff: object
    insider: object
    member: object
    outsider: object
    public: Category
    private: Category
    group_room: Category
    private_sub: Category
    orphan_sub: Category
    shared_tag: Tag
    private_tag: Tag
    public_topics: list[Topic]
    insider_public_topic: Topic
    private_topics: list[Topic] = field(default_factory=list)
    deleted_topic: Topic | None = None
    deleted_post: Post | None = None
    moved_topic: Topic | None = None
    # Groups and private messages (build_groups_and_messages).
    keeper: object = None  # owns the hidden group, the quiet club and the askers
    neighbour: object = None  # a member of another group, which owns nothing private
    moderator: object = None  # a site moderator: reads the moderators' inbox, nothing else private
    whistler: object = None  # sends an anonymous message to the moderators
    shy: object = None  # a member of the quiet club, whose member list only its owners see
    invitee: object = None  # holds the invitation to the hidden group
    hidden: Group | None = None
    signed_in_group: Group | None = None
    quiet: Group | None = None
    askers: Group | None = None
    hidden_room: Category | None = None
    hidden_topic: Topic | None = None
    direct_message: Topic | None = None
    inbox_message: Topic | None = None
    anonymous_message: Topic | None = None
    invitation: Invitation | None = None
    # The blog (build_stories).
    draft_story: Story | None = None
    submitted_story: Story | None = None
    unpublished_story: Story | None = None
    boardmember: object = None  # on the editorial board, in no private group
    cowriter: object = None  # co-author of one story sent back for changes, nothing else
    # Blog stories (build_stories): one published, one in each state readers never see.
    published_story: Story | None = None
    private_stories: list[Story] = field(default_factory=list)
    # Events (build_events).
    events: list = field(default_factory=list)
    calendar_token: str = ""


def _move_topic(topic: Topic, to: Category) -> None:
    """Move a topic to another category, keeping both categories' counters true."""
    Category.objects.filter(pk=topic.category_id).update(
        topic_count=F("topic_count") - 1, post_count=F("post_count") - topic.posts_count
    )
    Category.objects.filter(pk=to.pk).update(
        topic_count=F("topic_count") + 1, post_count=F("post_count") + topic.posts_count
    )
    Topic.objects.filter(pk=topic.pk).update(category=to)


def build_world() -> World:
    staff = factories.UserFactory(username="Staff", is_staff=True, is_superuser=True, trust_level=4)
    insider = factories.UserFactory(username="Insider", trust_level=2)
    member = factories.UserFactory(username="Member", trust_level=1)
    outsider = factories.UserFactory(username="Outsider", trust_level=0)
    insiders = Group.objects.create(name="insiders", visibility=Group.Visibility.GROUP)
    Membership.objects.create(group=insiders, user=insider)

    public = factories.make_category("Public square", accepts_solutions=True)
    private = factories.make_category(
        "LEAKMARKER-category-name",
        slug="leakmarker-category",
        description="LEAKMARKER-category-description",
        grants={"staff": CREATE},
    )
    group_room = factories.make_category(
        "LEAKMARKER-group-room", slug="leakmarker-group-room", grants={"insiders": CREATE}
    )
    private_sub = factories.make_category(
        "LEAKMARKER-private-sub", slug="leakmarker-private-sub", parent=public, grants={"staff": CREATE}
    )
    # Open to everyone, but under a private parent: hidden too.
    orphan_sub = factories.make_category("LEAKMARKER-orphan-sub", slug="leakmarker-orphan-sub", parent=private)

    shared_tag = factories.make_tag("shared")
    private_tag = factories.make_tag("leakmarker-tag")
    factories.make_tag("unused")

    public_topics = [
        factories.make_topic(member, public, title="Welcome to the square", raw="Say hello @Insider", tags=["shared"]),
        factories.make_topic(member, public, title="Where is the map?", raw="Looking for the map."),
    ]
    insider_public_topic = factories.make_topic(insider, public, title="Insider speaks in public", raw="Hello all.")
    factories.make_reply(insider, public_topics[0], raw="A public reply by the insider.")
    factories.make_reply(outsider, public_topics[0], raw="A public reply by the outsider.")
    solution = factories.make_reply(insider, public_topics[1], raw="The map is under Events.")
    services.topic_mark_solution(user=member, topic=public_topics[1], post=solution)

    world = World(
        staff=staff,
        insider=insider,
        member=member,
        outsider=outsider,
        public=public,
        private=private,
        group_room=group_room,
        private_sub=private_sub,
        orphan_sub=orphan_sub,
        shared_tag=shared_tag,
        private_tag=private_tag,
        public_topics=public_topics,
        insider_public_topic=insider_public_topic,
    )

    # Private topics, with replies, likes, a bookmark, an edit (revisions) and a solution.
    staff_topic = factories.make_topic(
        staff,
        private,
        title="LEAKMARKER-staff-topic-title",
        raw="LEAKMARKER-staff-topic-body",
        tags=["shared", "leakmarker-tag"],
    )
    staff_reply = factories.make_reply(staff, staff_topic, raw="LEAKMARKER-staff-reply-body")
    services.post_edit(user=staff, post=staff_reply, raw="LEAKMARKER-staff-reply-body edited")
    group_topic = factories.make_topic(
        insider, group_room, title="LEAKMARKER-group-topic-title", raw="LEAKMARKER-group-topic-body", tags=["shared"]
    )
    group_reply = factories.make_reply(insider, group_topic, raw="LEAKMARKER-group-reply-body")
    services.post_like_toggle(user=staff, post=group_reply)
    sub_topic = factories.make_topic(
        staff, private_sub, title="LEAKMARKER-private-sub-topic", raw="LEAKMARKER-private-sub-body"
    )
    orphan_topic = factories.make_topic(
        staff, orphan_sub, title="LEAKMARKER-orphan-topic", raw="LEAKMARKER-orphan-body", tags=["leakmarker-tag"]
    )
    services.bookmark_set(user=staff, post=staff_reply, note="LEAKMARKER-bookmark-note")
    world.private_topics = [staff_topic, group_topic, sub_topic, orphan_topic]

    # A topic the outsider took part in, later moved into the staff category.
    moved = factories.make_topic(
        member, public, title="LEAKMARKER-moved-topic", raw="LEAKMARKER-moved-body", tags=["shared"]
    )
    outsider_reply = factories.make_reply(outsider, moved, raw="The outsider replied here before the move.")
    services.post_like_toggle(user=outsider, post=moved.posts.get(number=1))
    services.post_like_toggle(user=member, post=outsider_reply)
    services.bookmark_set(user=outsider, post=moved.posts.get(number=1), note="LEAKMARKER-outsider-note")
    moved.refresh_from_db()
    _move_topic(moved, private)
    world.moved_topic = moved

    # A deleted topic and a deleted post (edited first, so it has revisions), in public places.
    deleted_topic = factories.make_topic(
        insider, public, title="LEAKMARKER-deleted-topic", raw="LEAKMARKER-deleted-topic-body", tags=["shared"]
    )
    factories.make_reply(member, deleted_topic, raw="LEAKMARKER-reply-in-deleted-topic")
    # The topic has a reply by someone else, so only a moderator (here staff) may take it down.
    services.post_delete(user=staff, post=deleted_topic.posts.get(number=1))
    deleted_post = factories.make_reply(insider, public_topics[0], raw="LEAKMARKER-deleted-post-v1")
    services.post_edit(user=insider, post=deleted_post, raw="LEAKMARKER-deleted-post-v2")
    services.post_like_toggle(user=member, post=deleted_post)
    services.post_delete(user=insider, post=deleted_post)
    world.deleted_topic = deleted_topic
    world.deleted_post = deleted_post
    # A new member's first posts held for review: seen by their author and the moderators only; the
    # mention tells the outsider nothing (on commit, below) until a moderator approves it.
    held_author = factories.UserFactory(username="Heldnewbie", trust_level=0)
    with override_settings(AGORA_HOLD_FIRST_POSTS=2), TestCase.captureOnCommitCallbacks(execute=True):
        factories.make_topic(
            held_author, public, title="LEAKMARKER-held-topic", raw="LEAKMARKER-held-topic-body", tags=["shared"]
        )
        factories.make_reply(held_author, public_topics[0], raw="LEAKMARKER-held-reply @Outsider")
    # Moderator tools: a public reply split into a new staff-only topic, and a staff-only topic merged
    # into another; the notice left in the public topic must not name the private one.
    # (In a public category of their own, by staff, so the counts the tests below expect stay as they are.)
    moves = factories.make_category("Moves square", slug="moves-square")
    permissions.forget_access(staff)  # read before this category existed
    split_from = factories.make_topic(staff, moves, title="Split from here", raw="A public question.")
    to_split = factories.make_reply(staff, split_from, raw="LEAKMARKER-split-reply")
    topic_tools.posts_split(
        actor=staff, topic=split_from, post_ids=[to_split.pk], title="LEAKMARKER-split-title", category=private
    )
    merged = factories.make_topic(staff, private, title="LEAKMARKER-merged-title", raw="LEAKMARKER-merged-body")
    topic_tools.topic_merge(actor=staff, topic=merged, target=staff_topic)
    # Notifications are written when the transaction commits; a test's never does, so run them here.
    with TestCase.captureOnCommitCallbacks(execute=True):
        build_groups_and_messages(world)
        build_stories(world)
        build_events(world)
        build_flags(world)
    build_staff_log(world)
    build_translations(world)
    return world


def build_translations(world: World) -> None:
    """Private versions of public things: a staff-only topic linked as the French translation of a public
    topic, and a draft story as the French translation of the published one. "Also in", the lists that
    fold translations and Help translate must never name them."""
    room = factories.make_category(
        "LEAKMARKER-translations-room", slug="leakmarker-translations", grants={"staff": CREATE}
    )
    permissions.forget_access(world.staff)
    french = factories.make_topic(
        world.staff, room, title="LEAKMARKER-translated-topic", raw="LEAKMARKER-translated-body", language="fr"
    )
    services.topic_link_translation(user=world.staff, topic=french, original=world.public_topics[1])
    Story.objects.filter(pk=world.draft_story.pk).update(language="fr", translation_of=world.published_story)


# Only staff see where people sign up and connect from (the moderator panel); no walker may meet it.
STAFF_ONLY_IP = "198.51.100.77"


def build_staff_log(world: World) -> None:
    """Staff action log entries about private places (a staff topic, a post in the hidden group's room, a
    move into the staff category), one about a member in public, and a member's addresses."""
    from agora.accounts.models import User
    from agora.moderation.services import action_log

    staff_topic = world.private_topics[0]
    hidden_post = world.hidden_topic.posts.get(number=1)
    action_log(actor=world.staff, action="topic_close", target=staff_topic, reason="LEAKMARKER-log-staff-topic")
    action_log(
        actor=world.staff,
        action="post_hide",
        target=hidden_post,
        subject_user=world.keeper,
        reason="LEAKMARKER-log-hidden-post",
    )
    action_log(
        actor=world.staff,
        action="topic_move",
        target=world.moved_topic,
        subject_user=world.member,
        details={"to": "LEAKMARKER-log-moved-to"},
    )
    action_log(actor=world.moderator, action="user_silence", target=world.outsider, subject_user=world.outsider)
    User.objects.filter(pk=world.outsider.pk).update(registration_ip=STAFF_ONLY_IP, last_ip=STAFF_ONLY_IP)


def build_flags(world: World) -> None:
    """Flags and the review queue: a public reply hidden by flags (its text and the flags' messages are
    for its author and the moderators only), and a flagged post in the staff category (in staff's queue,
    never a site moderator's)."""
    from agora.discuss.models import HiddenReason

    hidden = factories.make_reply(world.member, world.public_topics[1], raw="LEAKMARKER-flagged-post")
    item = ReviewItem.objects.create(kind=ReviewItem.Kind.FLAGGED_POST, post=hidden, user=world.member, score=9)
    Flag.objects.create(
        flagger=world.insider, post=hidden, kind="other", message="LEAKMARKER-flagged-message", score=3,
        review_item=item,
    )  # fmt: skip
    services.post_hide(post=hidden, reason=HiddenReason.FLAGS)
    staff_reply = world.private_topics[0].posts.get(number=2)
    staff_item = ReviewItem.objects.create(kind=ReviewItem.Kind.FLAGGED_POST, post=staff_reply, user=world.staff)
    Flag.objects.create(
        flagger=world.staff, post=staff_reply, kind="other", message="LEAKMARKER-staff-flag", review_item=staff_item
    )


def build_stories(world: World) -> None:
    """Blog stories through the editorial services: one published (the lists, feeds and the Discuss
    sidebar show it) and one in every other state, each carrying the marker in its title, lead, body and
    note; a tagged draft, editorial comments from both sides, a comment in the discussion of a story
    unpublished since, and a published story that speaks for the hidden group (never named beside it).
    The insider writes them and the keeper edits them (neither walks); staff are editors too. The
    unpublished story's topic is hidden as a deleted topic is, so moderators may open it by link: its
    marker says so."""
    writer, editor = world.insider, world.keeper
    board = Group.objects.get(name=settings.AGORA_EDITORIAL_GROUP)
    Membership.objects.create(group=board, user=editor)
    Group.objects.filter(pk=board.pk).update(member_count=F("member_count") + 1)
    permissions.forget_access(editor)

    # Every story is in one blog section and one series, whose pages and feeds list the published only.
    section = BlogCategory.objects.create(name="Updates", slug="updates")
    series = Series.objects.create(name="Weekly", slug="weekly")

    def write(title: str, **extra) -> Story:
        data = {"title": title, "lead": f"{title}-lead", "body": f"{title}-body", "language": "fr", **extra}
        data |= {"categories": [section], "series": series}
        return blog_services.story_create(user=writer, data=data)

    def submit(title: str) -> Story:
        return blog_services.story_submit(user=writer, story=write(title), note_to_editors=f"{title}-note")

    def claim(title: str) -> Story:
        return blog_services.story_claim(user=editor, story=submit(title))

    world.published_story = blog_services.story_publish(user=editor, story=claim("News from the square"))
    factories.make_reply(world.member, world.published_story.topic, raw="A comment on the news.")
    in_review = claim("LEAKMARKER-story-in-review")
    blog_services.editorial_comment_add(user=editor, story=in_review, raw="LEAKMARKER-story-editorial-comment")
    blog_services.editorial_comment_add(user=writer, story=in_review, raw="LEAKMARKER-story-author-comment")
    changes = blog_services.story_request_changes(
        user=editor, story=claim("LEAKMARKER-story-changes"), reason="LEAKMARKER-story-changes-reason"
    )
    # Two more walkers: an editor in no private group, and a co-author of the story sent back.
    world.boardmember = factories.UserFactory(username="Boardmember", trust_level=1)
    Membership.objects.create(group=board, user=world.boardmember)
    Group.objects.filter(pk=board.pk).update(member_count=F("member_count") + 1)
    world.cowriter = factories.UserFactory(username="Cowriter", trust_level=1)
    blog_services.story_set_authors(user=writer, story=changes, authors=[writer, world.cowriter])
    scheduled = blog_services.story_schedule(
        user=editor, story=claim("LEAKMARKER-story-scheduled"), at=timezone.now() + timedelta(days=7)
    )
    declined = blog_services.story_decline(
        user=editor, story=submit("LEAKMARKER-story-declined"), reason="LEAKMARKER-story-decline-reason"
    )
    gone = blog_services.story_publish(user=editor, story=claim("LEAKMARKER-deleted-story-unpublished"))
    factories.make_reply(world.member, gone.topic, raw="LEAKMARKER-deleted-story-comment")
    unpublished = blog_services.story_unpublish(
        user=editor, story=gone, reason="LEAKMARKER-deleted-story-unpublish-reason"
    )
    world.draft_story = write("LEAKMARKER-story-draft", tags=[world.shared_tag])
    world.submitted_story, world.unpublished_story = submit("LEAKMARKER-story-submitted"), unpublished
    world.private_stories = [
        world.draft_story,
        world.submitted_story,
        in_review,
        changes,
        scheduled,
        declined,
        unpublished,
    ]
    # The keeper writes for the hidden group they own: a public story that must not name it to others.
    spoken = blog_services.story_create(
        user=editor,
        data={"title": "News from a closed group", "lead": "Open news.", "body": "Open words.", "group": world.hidden},
    )
    blog_services.story_publish(user=editor, story=blog_services.story_submit(user=editor, story=spoken))


def build_events(world: World) -> None:
    """Events in every kind of place: a public one whose online link is for the people going and whose
    attendee list is for its organizers (an attendee with a marker name), one for signed-in people's
    eyes only in its link; private ones in the staff category and in the hidden group's room (organized
    by the hidden group), recurring, with a cancelled date; RSVPs on them; a private calendar feed of
    the insider, who answered the hidden one; and a revoked feed token."""
    from datetime import date as date_
    from datetime import time as time_

    from agora.events import services as event_services
    from agora.events.models import CalendarToken

    Category.objects.filter(pk__in=[world.public.pk, world.private.pk, world.hidden_room.pk]).update(allows_events=True)
    for category in (world.public, world.private, world.hidden_room):
        category.refresh_from_db()
    for user in (world.staff, world.keeper, world.member, world.insider):
        permissions.forget_access(user)

    def fields(**kw):
        kw.setdefault("timezone", "Europe/Paris")
        kw.setdefault("start_date", date_(2030, 3, 12))
        kw.setdefault("end_date", kw["start_date"])
        kw.setdefault("start_time", time_(18))
        kw.setdefault("end_time", time_(20))
        return event_services.EventFields(**kw)

    # Going to the public event, whose attendee list only its organizers see (CHECKS: never named there).
    attendee = world.shy
    public = event_services.event_create(
        user=world.member,
        category=world.public,
        title="Public meetup on the square",
        raw="Everyone welcome.",
        fields=fields(
            venue="The square",
            latitude=48.85,
            longitude=2.35,
            online_url="https://meet.example.org/leakmarker-attendees-only-link",
            online_audience="attendees",
            attendees_visibility="organizers",
            rrule="FREQ=WEEKLY;COUNT=3",
        ),
    )
    members_only_link = event_services.event_create(
        user=world.member,
        category=world.public,
        title="Online chat for members",
        raw="Signed-in people see the link.",
        fields=fields(online_url="https://meet.example.org/membersmarker-link", online_audience="members"),
    )
    staff_event = event_services.event_create(
        user=world.staff,
        category=world.private,
        title="LEAKMARKER-staff-event-title",
        raw="LEAKMARKER-staff-event-body",
        fields=fields(
            venue="LEAKMARKER-staff-venue",
            address="LEAKMARKER-staff-address",
            latitude=10.5,
            longitude=20.5,
            online_url="https://meet.example.org/leakmarker-staff-online",
            rrule="FREQ=DAILY;COUNT=4",
            country="FR",
            languages=["fr"],
        ),
        tags=["leakmarker-tag"],
    )
    hidden_event = event_services.event_create(
        user=world.keeper,
        category=world.hidden_room,
        title="LEAKMARKER-hidden-event-title",
        raw="LEAKMARKER-hidden-event-body",
        fields=fields(
            venue="LEAKMARKER-hidden-venue",
            latitude=-33.9,
            longitude=18.4,
            group=world.hidden,
            all_day=True,
            start_time=None,
            end_time=None,
        ),
    )
    first_staff_date = staff_event.occurrences.order_by("start_utc").first()
    event_services.occurrence_update(
        user=world.staff, occurrence=first_staff_date, cancelled=True, note="LEAKMARKER-staff-date-note"
    )
    event_services.event_rsvp(
        user=attendee, occurrence=public.occurrences.order_by("start_utc").first(), status="going"
    )
    event_services.event_rsvp(user=world.insider, occurrence=hidden_event.occurrences.get(), status="going")
    world.calendar_token = event_services.calendar_token_for(user=world.insider).token
    CalendarToken.objects.create(user=world.insider, revoked_at=timezone.now())
    world.events = [public, members_only_link, staff_event, hidden_event]


def _group(name: str, *, owners=(), members=(), **fields) -> Group:
    group = Group.objects.create(name=name, **fields)
    for user in owners:
        Membership.objects.create(group=group, user=user, is_owner=True)
    for user in members:
        Membership.objects.create(group=group, user=user)
    Group.objects.filter(pk=group.pk).update(member_count=len(owners) + len(members))
    group.refresh_from_db()
    for user in [*owners, *members]:
        permissions.forget_access(user)
    return group


def build_groups_and_messages(world: World) -> None:
    """Closed spaces: a hidden group with its own category, inbox, requests and an invitation; a
    signed-in-only group; a public group whose member list only its owners see; private messages
    between two people, to a group's inbox and, anonymously, to the moderators."""
    keeper = factories.UserFactory(username="Keeper", trust_level=2)
    neighbour = factories.UserFactory(username="Neighbour", trust_level=1)
    moderator = factories.UserFactory(username="Moderator", is_moderator=True, trust_level=3)
    whistler = factories.UserFactory(username="Whistleblower", display_name="ANONSENDER-display", trust_level=1)
    shy = factories.UserFactory(username="Shyperson", trust_level=1)
    invitee = factories.UserFactory(username="Invitee", trust_level=1)
    world.keeper, world.neighbour, world.moderator = keeper, neighbour, moderator
    world.whistler, world.shy, world.invitee = whistler, shy, invitee

    G = Group
    # Hidden: only its members know it exists. Its name carries the marker, so any mention of it leaks.
    hidden = _group(
        "leakmarker-hidden",
        full_name="LEAKMARKER-hidden-full-name",
        description="LEAKMARKER-hidden-description",
        description_html="<p>LEAKMARKER-hidden-description</p>",
        visibility=G.Visibility.GROUP,
        members_visibility=G.MembersVisibility.GROUP,
        joining=G.Joining.ASK,
        messageable=G.Audience.MEMBERS,
        mentionable=G.Audience.MEMBERS,
        owners=[keeper],
        members=[world.insider],
    )
    # Another hidden group, owning nothing: its member is the "member of another group" walker.
    _group("neighbours", visibility=G.Visibility.GROUP, owners=[neighbour])
    # Seen by signed-in people only: its own marker, which anonymous visitors must never meet.
    signed_in_group = _group(
        "signedin-club",
        description="MEMBERSMARKER-signed-in-group",
        description_html="<p>MEMBERSMARKER-signed-in-group</p>",
        visibility=G.Visibility.MEMBERS,
        joining=G.Joining.OPEN,
        owners=[keeper],
    )
    # Public, but only its owners see who is in it: Shyperson's membership must not be inferable.
    quiet = _group(
        "quiet-club",
        visibility=G.Visibility.PUBLIC,
        members_visibility=G.MembersVisibility.OWNERS,
        joining=G.Joining.INVITE,
        mentionable=G.Audience.MEMBERS,
        owners=[keeper],
        members=[shy],
    )
    askers = _group("askers", visibility=G.Visibility.PUBLIC, joining=G.Joining.ASK, owners=[keeper])
    world.hidden, world.signed_in_group, world.quiet, world.askers = hidden, signed_in_group, quiet, askers

    # The hidden group's space: a category it owns, with a topic, a tag used nowhere else, an edit.
    hidden_room = factories.make_category(
        "LEAKMARKER-hidden-room",
        slug="leakmarker-hidden-room",
        description="LEAKMARKER-hidden-room-description",
        grants={"leakmarker-hidden": CREATE},
        group=hidden,
    )
    hidden_sub = factories.make_category(
        "LEAKMARKER-hidden-sub", slug="leakmarker-hidden-sub", parent=hidden_room, grants={"leakmarker-hidden": CREATE}
    )
    factories.make_tag("leakmarker-hidden-tag")
    hidden_topic = factories.make_topic(
        keeper,
        hidden_room,
        title="LEAKMARKER-hidden-topic-title",
        raw="LEAKMARKER-hidden-topic-body https://example.org/leakmarker-hidden-link",
        tags=["leakmarker-hidden-tag"],
    )
    hidden_reply = factories.make_reply(keeper, hidden_topic, raw="LEAKMARKER-hidden-reply-v1 @Insider")
    services.post_edit(user=keeper, post=hidden_reply, raw="LEAKMARKER-hidden-reply-v2 @Insider")
    factories.make_topic(keeper, hidden_sub, title="LEAKMARKER-hidden-sub-topic", raw="LEAKMARKER-hidden-sub-body")
    services.bookmark_set(user=world.insider, post=hidden_reply, note="LEAKMARKER-hidden-bookmark-note")
    world.hidden_room, world.hidden_topic = hidden_room, hidden_topic

    # A public post that @mentions the quiet club and a hidden group: neither reveals its members, and
    # the hidden one is not linked (its name is only the text the author typed).
    factories.make_reply(keeper, world.public_topics[1], raw="Calling @quiet-club and @insiders")

    # Private messages. Between two people (neither a walker), tagged like public topics are.
    direct = message_create(
        sender=keeper,
        title="LEAKMARKER-dm-title",
        raw="LEAKMARKER-dm-body",
        recipients=[world.insider],
        groups=[],
    )
    # Tags on a message, as a crafted request or a later feature could set them: never counted or listed.
    direct.tags.add(factories.make_tag("shared"), factories.make_tag("leakmarker-dm-tag"))
    factories.make_reply(world.insider, direct, raw="LEAKMARKER-dm-reply")
    # To the hidden group's inbox; the insider bookmarks it (and is removed from the group in a test).
    inbox_message = message_create(
        sender=keeper,
        title="LEAKMARKER-hidden-inbox-title",
        raw="LEAKMARKER-hidden-inbox-body",
        recipients=[],
        groups=[hidden],
    )
    services.bookmark_set(
        user=world.insider, post=inbox_message.posts.get(number=1), note="LEAKMARKER-hidden-inbox-bookmark"
    )
    # To the moderators, anonymously: moderators read it, and never learn who sent it.
    anonymous_message = message_create(
        sender=whistler,
        title="LEAKMARKER-modmsg-title",
        raw="LEAKMARKER-modmsg-body",
        recipients=[],
        groups=[Group.objects.get(name="moderators")],
        anonymous=True,
    )
    factories.make_reply(whistler, anonymous_message, raw="LEAKMARKER-modmsg-sender-reply")
    factories.make_reply(moderator, anonymous_message, raw="LEAKMARKER-modmsg-moderator-reply")
    world.direct_message, world.inbox_message, world.anonymous_message = direct, inbox_message, anonymous_message

    # Requests to join, with messages only the owners read; one to the hidden group (made directly:
    # nobody outside it can ask).
    JoinRequest.objects.create(group=askers, user=world.member, message="LEAKMARKER-join-request-message")
    JoinRequest.objects.create(group=hidden, user=world.member, message="LEAKMARKER-hidden-join-request")
    # Invitations to the hidden group: one usable, one used, one revoked, one expired.
    later = timezone.now() + timedelta(days=7)
    world.invitation = Invitation.objects.create(group=hidden, created_by=keeper, expires_at=later, email="i@x.org")
    Invitation.objects.create(
        group=hidden, created_by=keeper, expires_at=later, accepted_by=world.insider, accepted_at=timezone.now()
    )
    Invitation.objects.create(group=hidden, created_by=keeper, expires_at=later, revoked_at=timezone.now())
    Invitation.objects.create(group=hidden, created_by=keeper, expires_at=timezone.now() - timedelta(days=1))
    # Notifications about private content, for the people who may see it (the insider's come from the
    # @mention above and the messages): the insider is told they were added to the hidden group.
    Notification.objects.create(user=world.insider, kind=Notification.Kind.ADDED_TO_GROUP, actor=keeper, group=hidden)


# --- the walker -------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    template: str  # "t/{slug}/{pk}"
    params: tuple[str, ...]
    name: str
    route: str  # as ResolverMatch.route gives it, to check a URL lands on this pattern


def _regex_to_template(regex: str) -> str | None:
    """Turn a regex pattern's text into a template with {name} fields, or None if it is not literal."""
    text = regex.removeprefix("^").removesuffix("$").removesuffix(r"\Z")
    out, i = [], 0
    while i < len(text):
        if text.startswith("(?P<", i):
            end = text.index(">", i)
            name = text[i + 4 : end]
            depth, j = 1, end + 1
            while depth:
                if text[j] == "\\":
                    j += 2
                    continue
                depth += {"(": 1, ")": -1}.get(text[j], 0)
                j += 1
            out.append("{" + name + "}")
            i = j
        elif text[i] == "\\" and i + 1 < len(text) and not text[i + 1].isalnum():
            out.append(text[i + 1])
            i += 2
        elif text[i] in "()[]{}*+?|^$.\\":
            return None
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def _route_to_template(route: str) -> str:
    return re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route).replace("{{", "{").replace("}}", "}")


def iter_routes(patterns=None, prefix: str = "", route_prefix: str = "", namespace: str = "") -> Iterator[Route]:
    """Every URL pattern of the site, with nested includes flattened."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for entry in patterns:
        pattern = entry.pattern
        raw = str(pattern)
        if isinstance(pattern, RoutePattern):
            part = _route_to_template(raw)
        elif isinstance(pattern, RegexPattern):
            part = _regex_to_template(raw)
        else:  # a locale prefix or a custom pattern class
            part = raw
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from iter_routes(
                entry.url_patterns,
                prefix + (part if part is not None else f"\x00{raw}"),
                route_prefix + raw,
                ns,
            )
        elif isinstance(entry, URLPattern):
            template = prefix + (part if part is not None else f"\x00{raw}")
            params = tuple(re.findall(r"{(\w+)}", template))
            yield Route(template, params, f"{namespace}{entry.name or ''}", route_prefix + raw)


def skip_reason(route: Route) -> str | None:
    for key, reason in SKIP.items():
        if route.route.startswith(key) or route.name.split(":")[-1] == key:
            return reason
    return None


def _users(world: World) -> list:
    return list(type(world.staff).objects.order_by("pk"))


def value_pools(world: World) -> dict[str, list]:
    """Every id, slug, name and token of the data, private ones included, by parameter name. A new
    parameter name in a URL pattern needs a pool here (or the walk fails, naming it)."""
    topics = list(Topic.objects.all())
    posts = list(Post.objects.all())
    categories = list(Category.objects.all())
    tags = list(Tag.objects.all())
    users = _users(world)
    groups = list(Group.objects.all())
    others = [
        *JoinRequest.objects.all(),
        *Invitation.objects.all(),
        *Membership.objects.all(),
        *Notification.objects.all(),
        *Bookmark.objects.all(),
        *Story.objects.all(),
    ]
    others += [*Event.objects.all(), *Occurrence.objects.all(), *RSVP.objects.all()]
    others += [*ReviewItem.objects.all()]
    ids = sorted({o.pk for o in [*topics, *posts, *categories, *tags, *users, *groups, *others]} | {987654})
    highest = max(t.highest_post_number for t in topics)
    from agora.accounts import views as account_views

    tabs = sorted(set(getattr(account_views, "TABS", ())) | {"topics", "replies", "likes", "activity", "summary"})
    return {
        "pk": ids,
        "id": ids,
        "number": list(range(1, highest + 2)),
        "slug": sorted({c.slug for c in categories} | {t.slug for t in topics} | {s.slug for s in Story.objects.all()}),
        "name": sorted(
            {t.name for t in tags} | {g.name for g in groups} | {u.username for u in users} | {"no-such-group"}
        ),
        "username": sorted({u.username for u in users} | {u.username.replace(" ", "_") for u in users}),
        "tab": tabs,
        "language": ["ar", "pa", "pt-BR", "no-such-language"],  # site pages' translations
        "group_name": sorted({g.name for g in groups} | {"no-such-group"}),
        "tag_name": sorted({t.name for t in tags} | {"no-such-tag"}),
        "story_pk": sorted({*Story.objects.values_list("pk", flat=True), 987654}),
        "topic_slug": sorted({t.slug for t in topics} | {"no-such-topic"}),
        "story_slug": sorted({s.slug for s in Story.objects.all()} | {"no-such-story"}),
        "category_slug": sorted({c.slug for c in categories} | {"no-such-category"}),
        "section_slug": sorted({*BlogCategory.objects.values_list("slug", flat=True), "no-such-section"}),
        "series_slug": sorted({*Series.objects.values_list("slug", flat=True), "no-such-series"}),
        "topic_pk": sorted({t.pk for t in topics} | {987654}),
        "category_pk": sorted({c.pk for c in categories} | {987654}),
        "apikey_pk": sorted({*ApiKey.objects.values_list("pk", flat=True), 987654}),
        "feed_pk": sorted({*SyndicatedFeed.objects.values_list("pk", flat=True), 987654}),
        "post_pk": sorted({p.pk for p in posts} | {987654}),
        "user_pk": sorted({u.pk for u in users} | {987654}),
        "request_pk": sorted({*JoinRequest.objects.values_list("pk", flat=True), 987654}),
        "invitation_pk": sorted({*Invitation.objects.values_list("pk", flat=True), 987654}),
        "notification_pk": sorted({*Notification.objects.values_list("pk", flat=True), 987654}),
        "token": sorted({i.token for i in Invitation.objects.all()} | set(_calendar_tokens()) | {"no-such-token"}),
        "event_pk": sorted({*Event.objects.values_list("pk", flat=True), 987654}),
        "occurrence_pk": sorted({*Occurrence.objects.values_list("pk", flat=True), 987654}),
        "rsvp_pk": sorted({*RSVP.objects.values_list("pk", flat=True), 987654}),
        "q": SEARCH_TERMS,
        # The blog's language lists and month archives (stories are public or 404 to all but their authors).
        "code": ["en", "fr", "no-such-language"],
        "year": [2026, 1999],
        "month": [1, 12, 13],
        "size": [45],  # an avatar's size in pixels (/user_avatar/<name>/<size>)
    }


def _calendar_tokens() -> list[str]:
    return list(CalendarToken.objects.values_list("token", flat=True))


def consistent_values(world: World) -> list[dict]:
    """Parameter sets that belong together: a topic's slug with its id and post numbers, a group's
    name with its members, requests and invitations, and so on. Besides the plain parameter names (pk,
    slug, name) a set names its values by kind (topic_pk, group_name, ...), as NARROW_POOLS does: a
    route that takes one kind of object is filled only from the sets that have that kind."""
    sets: list[dict] = []
    for topic in Topic.objects.all():
        for number in {1, topic.highest_post_number}:
            sets.append(
                {
                    "pk": topic.pk,
                    "id": topic.pk,
                    "topic_pk": topic.pk,
                    "slug": topic.slug,
                    "topic_slug": topic.slug,
                    "number": number,
                }
            )
    for post in Post.objects.select_related("topic"):
        of_topic = {"topic_pk": post.topic_id, "slug": post.topic.slug, "topic_slug": post.topic.slug}
        sets.append({"pk": post.pk, "id": post.pk, "post_pk": post.pk, "number": post.number, **of_topic})
    for cat in Category.objects.all():
        sets.append(
            {"pk": cat.pk, "slug": cat.slug, "name": cat.slug, "category_slug": cat.slug, "category_pk": cat.pk}
        )
    for tag in Tag.objects.all():
        sets.append({"pk": tag.pk, "name": tag.name, "tag_name": tag.name})
    for story in Story.objects.all():
        sets.append({"pk": story.pk, "slug": story.slug, "story_pk": story.pk, "story_slug": story.slug})
    # Every event's page with every event's dates: a public event's page must not show a private one's date.
    occurrence_pks = sorted(Occurrence.objects.values_list("pk", flat=True))
    for topic in Topic.objects.filter(event__isnull=False):
        of_topic = {"pk": topic.pk, "topic_pk": topic.pk, "slug": topic.slug, "topic_slug": topic.slug}
        sets += [{**of_topic, "occurrence_pk": pk} for pk in occurrence_pks]
    tabs = value_pools(world)["tab"]
    for user in _users(world):
        for tab in tabs:
            sets.append(
                {"pk": user.pk, "user_pk": user.pk, "username": user.username, "name": user.username, "tab": tab}
            )
    for group in Group.objects.all():
        related = [
            *[("user_pk", pk) for pk in Membership.objects.filter(group=group).values_list("user_id", flat=True)],
            *[("request_pk", pk) for pk in JoinRequest.objects.filter(group=group).values_list("pk", flat=True)],
            *[("invitation_pk", pk) for pk in Invitation.objects.filter(group=group).values_list("pk", flat=True)],
        ]
        for kind, pk in related or [("user_pk", 987654)]:
            sets.append({"pk": pk, kind: pk, "name": group.name, "group_name": group.name})
    return sets


def _fill(route: Route, values: dict) -> str:
    quoted = {k: quote(str(v), safe="") for k, v in values.items()}
    return "/" + route.template.format(**quoted)


def fill_urls(route: Route, pools: dict[str, list], sets: list[dict], *, variations: bool = True) -> list[str]:
    """Every consistent set of values for the route's parameters, then (with `variations`) each pool
    value in turn: every id against every address, the private ones included."""
    if not route.params:
        return [_fill(route, {})]
    urls: list[str] = []
    fixed = [p for p in route.params if p != "q"]  # the search terms vary on their own
    covering = [s for s in sets if all(p in s for p in fixed)] if fixed else [{}]
    for s in covering:
        for q in pools["q"] if "q" in route.params else [None]:
            urls.append(_fill(route, {**{p: s[p] for p in fixed}, "q": q}))
    if not variations and covering:
        return list(dict.fromkeys(urls))
    base = {**{p: pools[p][0] for p in route.params}, **(covering[0] if covering else {})}
    for param in route.params:
        for value in pools[param]:
            urls.append(_fill(route, {**{p: base[p] for p in route.params}, param: value}))
    return list(dict.fromkeys(urls))


# Where a parameter means one kind of thing only, its pool narrows to that kind (every row of it, private
# ones included, plus an id or name of nothing): a group's page is walked with every group's name, not
# every tag's, nor every category's, tag's and user's address with its name. {start of the route:
# {parameter: pool}}; the longest matching start wins.
NARROW_POOLS = {
    "t/": {"pk": "topic_pk", "slug": "topic_slug"},
    "tag/": {"name": "tag_name"},
    "blog/tag/": {"name": "tag_name"},
    "blog/stories/": {"pk": "story_pk"},
    "blog/{slug}": {"slug": "story_slug"},
    "blog/category/": {"slug": "section_slug"},
    "blog/series/": {"slug": "series_slug"},
    "c/": {"slug": "category_slug", "pk": "category_pk"},  # /c/<id>.json, /c/<slug>/<id>.json (Discourse's)
    "posts/": {"pk": "post_pk"},
    "posts/by_number/": {"pk": "topic_pk"},
    "my/api-keys/": {"pk": "apikey_pk"},
    "blog/syndication/": {"pk": "feed_pk"},
    "p/": {"pk": "post_pk"},
    "g/": {"name": "group_name"},
    "g/{name}/members/": {"name": "group_name", "pk": "user_pk"},
    "g/{name}/requests/": {"name": "group_name", "pk": "request_pk"},
    "g/{name}/invitations/": {"name": "group_name", "pk": "invitation_pk"},
    "messages/group/": {"name": "group_name"},
    "messages/": {"pk": "topic_pk"},
    "notifications/": {"pk": "notification_pk"},
    "events/": {"pk": "event_pk"},
    "events/date/": {"pk": "occurrence_pk"},
    "events/answer/": {"pk": "rsvp_pk"},
}


def _narrowed(route: Route, pools: dict[str, list], sets: list[dict]) -> tuple[dict[str, list], list[dict]]:
    """The route's pools, narrowed to its kind of object, and the consistent sets of that kind (a set
    gives a narrowed parameter the value it names by kind: a topic's page takes topic_pk, not a post's pk)."""
    starts = [start for start in NARROW_POOLS if route.template.startswith(start)]
    narrow = {
        p: pool for p, pool in (NARROW_POOLS[max(starts, key=len)] if starts else {}).items() if p in route.params
    }
    fitting = [
        {**s, **{p: s[pool] for p, pool in narrow.items()}} for s in sets if all(k in s for k in narrow.values())
    ]
    return {**pools, **{param: pools[pool] for param, pool in narrow.items()}}, fitting


def urls_for(route: Route, pools: dict[str, list], sets: list[dict], *, variations: bool = True) -> list[str]:
    """The URLs to try for one pattern; an error naming the pattern when it cannot be filled."""
    if "\x00" in route.template:
        raise AssertionError(f"The leak walker cannot build URLs for the regex pattern {route.route!r}; add it to SKIP")
    missing = [p for p in route.params if p not in pools]
    if missing:
        raise AssertionError(
            f"The leak walker has no values for {missing} in {route.route!r} ({route.name}): "
            "add a value pool in tests/test_leaks.py (with private data behind it) or a SKIP entry with a reason"
        )
    urls = fill_urls(route, *_narrowed(route, pools, sets), variations=variations)
    landing = [u for u in urls if _lands_on(u, route)]
    assert landing, f"None of the URLs built for {route.route!r} resolves to it, e.g. {urls[:3]}"
    return landing


def surface_routes() -> list[Route]:
    """SURFACES as routes the walker fills like URL patterns (no check that they resolve: a feed or a
    search that does not exist yet answers 404 until it does, and is walked from then on)."""
    routes = []
    for template in SURFACES:
        params = tuple(dict.fromkeys(re.findall(r"{(\w+)}", template)))
        routes.append(Route(template.lstrip("/"), params, "surface", template))
    return routes


def _lands_on(url: str, route: Route) -> bool:
    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        return False
    return match.route == route.route


def walkable_routes() -> list[Route]:
    return [r for r in iter_routes() if skip_reason(r) is None]


def _content(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def _echoes(url: str) -> set[str]:
    """The ways a response may repeat the URL it answers (a login redirect's next=, a search box's
    value): not leaks. Search terms are mixed case (LeakMarker) so that stripping their echo never
    strips a real marker, which is written LEAKMARKER or leakmarker."""
    echoes = {url, unquote(url), quote(unquote(url), safe="/"), quote(unquote(url), safe="")}
    for _key, value in parse_qsl(urlsplit(url).query):
        # A search term anywhere; any other value only as a form field's value (a prefilled composer).
        echoes.add(value if value in SEARCH_TERMS else f'value="{escape(value)}"')
    return {e for e in echoes if e}


def stripped_body(response, url: str) -> bytes:
    """A response's body and headers, without the echoes of the URL it answers."""
    headers = dict(response.headers.items())
    nexts = parse_qs(urlsplit(headers.get("Location", "")).query).get("next", [])
    if nexts and urlsplit(url).path.startswith(unquote(nexts[0])):
        del headers["Location"]  # "log in, then go back to (part of) what you asked for": an echo
    header_text = "\n".join(f"{k}: {v}" for k, v in headers.items())
    blob = _content(response) + b"\n" + header_text.encode()
    for echo in sorted(_echoes(url), key=len, reverse=True):
        blob = blob.replace(echo.encode(), b"")
    return blob


def markers_in(response, url: str, secrets: tuple[str, ...] = ()) -> list[str]:
    """Marker strings and secrets in a response's body and headers, leaving out echoes of the URL."""
    return _markers(stripped_body(response, url), secrets)


def _markers(blob: bytes, secrets: tuple[str, ...] = ()) -> list[str]:
    found = {m.decode(errors="replace") for m in MARKER_RE.findall(blob)}
    found |= {f"secret:{secret[:12]}..." for secret in secrets if secret.encode() in blob}
    return sorted(found)


class Walk:
    """GETs and POSTs as one viewer, recording every marker the viewer should not meet.

    allowed: marker prefixes this viewer may see (a moderator reads the moderators' inbox);
    secrets: exact strings that must appear nowhere (invitation tokens);
    exposed: URLs whose markers are expected, each with the reason (recorded in `exposures`);
    checks: functions (url, body without echoes) -> problem or None, for rules markers cannot say (an
    anonymous sender's name must never sit on a page with their message)."""

    def __init__(self, client: Client, *, allowed=(), secrets=(), exposed=None, checks=()):
        self.client = client
        self.allowed = tuple(a.lower() for a in allowed)
        self.secrets = tuple(secrets)
        self.exposed: dict[str, str] = exposed or {}
        self.checks = tuple(checks)
        self.leaks: dict[str, list[str]] = {}
        self.exposures: dict[str, list[str]] = {}
        self.statuses: dict[str, int] = {}
        self.allowed_seen: dict[str, set[str]] = {}  # allowed marker -> URLs it was met on

    def get(self, url: str, **headers) -> object:
        response = self.client.get(url, headers=headers)
        self.check(url, response)
        return response

    def post(self, url: str) -> object:
        response = self.client.post(url, {})
        self.check(f"POST {url}", response)
        return response

    def check(self, label: str, response) -> None:
        self.statuses[label] = response.status_code
        assert response.status_code < 500, f"{label} answered {response.status_code}"
        url = label.removeprefix("POST ")
        blob = stripped_body(response, url)
        found = []
        for marker in _markers(blob, self.secrets):
            if marker.lower().startswith(self.allowed):
                self.allowed_seen.setdefault(marker.lower(), set()).add(label)
            else:
                found.append(marker)
        for rule in self.checks:
            problem = rule(url, blob)
            if problem:
                found.append(problem)
        if found and url in self.exposed:
            self.exposures[label] = found
        elif found:
            self.leaks[label] = found


def walk_patterns(
    walk: Walk | Client, world: World, *, htmx: bool = False, variations: bool = True, only: tuple[str, ...] = ()
) -> Walk:
    """GET every URL pattern (or those whose address starts with one of `only`; "" is the home page) and
    every SURFACES entry, filled with every value, once each."""
    if isinstance(walk, Client):
        walk = Walk(walk)
    pools, sets = value_pools(world), consistent_values(world)
    urls: list[str] = []

    def wanted(route: Route) -> bool:
        return not only or any(route.template.startswith(p) if p else route.template == "" for p in only)

    for route in filter(wanted, walkable_routes()):
        urls += urls_for(route, pools, sets, variations=variations)
    for route in filter(wanted, surface_routes()):
        urls += surface_urls(route, pools, sets)
    for url in dict.fromkeys(urls):
        response = walk.get(url)
        # A fragment of a page that is not there (404, 403, a redirect) is not there either; a view whose
        # module never reads HX-Request answers htmx with the same page.
        if htmx and response.status_code == 200 and _answers_htmx(url):
            walk.get(url, HX_Request="true")
    return walk


@functools.cache
def _module_reads_htmx(module: str) -> bool:
    source = inspect.getsource(sys.modules[module])
    return "HX-Request" in source or "_is_htmx(" in source


def _answers_htmx(url: str) -> bool:
    """Whether the view behind `url` may answer an htmx request differently (its module reads HX-Request)."""
    try:
        func = resolve(urlsplit(url).path).func
    except Resolver404:
        return False
    func = getattr(func, "view_class", func)
    return _module_reads_htmx(func.__module__)


def surface_urls(route: Route, pools: dict[str, list], sets: list[dict]) -> list[str]:
    """A surface's URLs; while its path resolves to no URL pattern (a feed not built yet), the resolver
    answers every one of them with the same 404 before any data is read, so one stands for all."""
    urls = fill_urls(route, *_narrowed(route, pools, sets))
    resolving = [u for u in urls if _resolves(u)]
    return resolving or urls[:1]


def _resolves(url: str) -> bool:
    try:
        resolve(urlsplit(url).path)
    except Resolver404:
        return False
    return True


HREF_RE = re.compile(rb"""(?:href|action|hx-get)=["']([^"'#]*)""")


def follow_links(walk: Walk, start: str = "/", depth: int = 2) -> int:
    """GET the start page, then the same-site links it shows, `depth` levels down."""
    seen: set[str] = set()
    frontier = [start]
    for _level in range(depth + 1):
        next_frontier: list[str] = []
        for url in frontier:
            if url in seen:
                continue
            seen.add(url)
            response = walk.get(url)
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            for raw in HREF_RE.findall(_content(response)):
                link = raw.decode().replace("&amp;", "&")
                if not link.startswith("/") or link.startswith("//") or link.startswith("/admin/"):
                    continue
                if link.startswith("/static/") or link.startswith("/accounts/logout"):
                    continue
                next_frontier.append(link)
        frontier = next_frontier
    return len(seen)


# --- the tests ---------------------------------------------------------------------------


@pytest.fixture
def world(db):
    return build_world()


def _client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _report(walk: Walk) -> str:
    return "\n".join(f"{url}: {found}" for url, found in sorted(walk.leaks.items()))


def _anonymous_sender_is_never_named(url: str, body: bytes) -> str | None:
    if b"LEAKMARKER-modmsg" in body and (b"ANONSENDER" in body or b"Whistleblower" in body):
        return "the anonymous sender named beside their message"
    return None


def _quiet_membership_is_not_inferable(url: str, body: bytes) -> str | None:
    """Only the quiet club's owners see who is in it: neither its pages nor its member's show the link."""
    if url.startswith("/u/Shyperson") and b"quiet-club" in body:
        return "the quiet club named on its member's profile"
    if url.startswith("/g/quiet-club") and b"Shyperson" in body:
        return "the quiet club's hidden member named on its pages"
    return None


def _hidden_groups_are_never_linked(url: str, body: bytes) -> str | None:
    # No walker is in "insiders"; a link to it, from a mention or a list, says that it exists.
    return "a link to a hidden group" if b'"/g/insiders' in body else None


def _hidden_attendees_are_not_named(url: str, body: bytes) -> str | None:
    """The public meetup's attendee list is for its organizers: nobody else sees who is going to it."""
    if url.startswith(("/t/public-meetup-on-the-square/", "/events")) and b"Shyperson" in body:
        return "an attendee named to someone the event's setting does not show them to"
    return None


def _ips_are_for_staff_only(url: str, body: bytes) -> str | None:
    return "an IP address shown to someone who is not staff" if STAFF_ONLY_IP.encode() in body else None


CHECKS = (
    _anonymous_sender_is_never_named,
    _quiet_membership_is_not_inferable,
    _hidden_groups_are_never_linked,
    _hidden_attendees_are_not_named,
    _ips_are_for_staff_only,
)

# Who walks the site, and the markers each may meet (with why). A new kind of viewer is one line.
VIEWERS = {
    "anonymous": (None, ()),
    # Signed in, in no group: sees the signed-in-only group, nothing private.
    "outsider": ("outsider", ("membersmarker",)),
    # In a hidden group of its own that owns nothing: membership elsewhere opens nothing here.
    "neighbour": ("neighbour", ("membersmarker",)),
    # Reads the moderators' inbox, and deleted topics and posts (to restore them); nothing else private.
    # An unpublished story's discussion is a deleted topic too (only publishing again brings it back).
    # And, as they moderate the public categories, manage their events (online links for attendees).
    "moderator": (
        "moderator",
        (
            "membersmarker",
            "leakmarker-modmsg",
            "leakmarker-deleted",
            "leakmarker-reply-in-deleted",
            "leakmarker-attendees-only",
            # A new member's posts held for review: the moderators review them.
            "leakmarker-held",
            "leakmarker-flagged",  # a post hidden by flags, and the flags, in /review and on its topic
        ),
    ),
    # On the editorial board: every story handed to the editors (and their editorial comments), never a
    # draft, never the hidden group a story speaks for, never the hidden discussion of an unpublished one.
    "boardmember": (
        "boardmember",
        (
            "membersmarker",
            "leakmarker-story-submitted",
            "leakmarker-story-in-review",
            "leakmarker-story-editorial-comment",
            "leakmarker-story-author-comment",
            "leakmarker-story-changes",
            "leakmarker-story-scheduled",
            "leakmarker-story-decline",
            "leakmarker-deleted-story-unpublish",
        ),
    ),
    # A co-author of one story: that story and what the editors said of it, nothing else.
    "cowriter": ("cowriter", ("membersmarker", "leakmarker-story-changes")),
}


def walk_for(world: World, viewer: str) -> Walk:
    attr, allowed = VIEWERS[viewer]
    user = getattr(world, attr) if attr else None
    exposed = {}
    if user is not None:
        # Expected exposure: the invitation link names its group to whoever holds it (signed in; a
        # visitor is sent to log in first); that is what it is for. The token itself is on no page.
        exposed[f"/g/invitation/{world.invitation.token}"] = "an invitation names its group to its holder"
    # Expected exposure: a private calendar feed's token is its owner's key; whoever holds it reads the
    # owner's events (that is what the link is for). The token is on no page but its owner's /events/my.
    for token in CalendarToken.objects.filter(revoked_at__isnull=True).values_list("token", flat=True):
        exposed[f"/events/feed/{token}.ics"] = "a private feed shows its owner's events to its holder"
    tokens = tuple(Invitation.objects.values_list("token", flat=True)) + tuple(_calendar_tokens())
    # Moderators manage the events of the categories they moderate: they see who is going.
    checks = tuple(c for c in CHECKS if viewer != "moderator" or c is not _hidden_attendees_are_not_named)
    return Walk(_client_for(user), allowed=allowed, secrets=tokens, exposed=exposed, checks=checks)


def test_every_url_pattern_is_walked_or_skipped_with_a_reason():
    routes = list(iter_routes())
    names = {r.name for r in routes}
    assert {"discuss:topic", "discuss:category", "discuss:tag", "accounts:profile_tab"} <= names
    for route in routes:
        if skip_reason(route) is None:
            assert "\x00" not in route.template, f"{route.route} cannot be built and is not skipped"


def _widget(request, widget_id):  # pragma: no cover - never called
    raise AssertionError


# A URLconf with one page more than the site, to show that a new page joins the walk by itself.
urlpatterns = [path("things/<int:widget_id>", _widget, name="widget"), path("", include("agora.urls"))]


def test_a_new_url_pattern_joins_the_walk_and_fails_loudly_until_it_can_be_filled(world, settings):
    settings.ROOT_URLCONF = "tests.test_leaks"
    routes = {r.name: r for r in walkable_routes()}
    assert "widget" in routes and "discuss:topic" in routes
    with pytest.raises(AssertionError, match=r"no values for \['widget_id'\]"):
        urls_for(routes["widget"], value_pools(world), consistent_values(world))


# Viewers whose walk is about one part of the site: the pages that part has, and those that show what it
# makes (notifications, profiles, groups, the lists with their sidebars). The four first walk everything.
VIEWER_ROUTES = {
    "boardmember": ("blog", "notifications", "t/", "g/", ""),
    "cowriter": ("blog", "notifications", ""),
    # A hidden group's member differs from the outsider (walked everywhere) by that membership only: the
    # pages where groups open or close something (groups, their categories and topics, messages,
    # notifications, search and the lists).
    "neighbour": ("g", "messages", "notifications", "c/", "t/", "search", "latest", "categories", ""),
}
# On PostgreSQL (CI's second run) the walk takes a visitor and a signed-in outsider: the SQL is the same for
# every viewer, and which rows each viewer may see is walked for all of them on SQLite. The whole walk on
# both databases took CI past its time.
WALKED_ON_POSTGRESQL = {"anonymous", "outsider"}


def _walked_here(viewer: str) -> None:
    from django.db import connection

    if connection.vendor == "postgresql" and viewer not in WALKED_ON_POSTGRESQL:
        pytest.skip(f"the {viewer}'s walk runs on SQLite; PostgreSQL walks {sorted(WALKED_ON_POSTGRESQL)}")


def _viewer_routes(viewer: str) -> tuple[str, ...]:
    return VIEWER_ROUTES.get(viewer, ())


# The visitor's walk is the page-cache test's (test_staff_see_the_markers_...), which walks as a visitor
# twice, the cache empty and then full.
@pytest.mark.parametrize("viewer", [v for v in VIEWERS if v != "anonymous"])
def test_it_leaks_no_private_content_to(world, viewer):
    _walked_here(viewer)
    only = _viewer_routes(viewer)
    walk = walk_patterns(walk_for(world, viewer), world, htmx=viewer == "outsider", only=only)
    assert len(walk.statuses) > 200
    assert not walk.leaks, f"Private content shown to the {viewer}:\n" + _report(walk)
    feed = f"/events/feed/{world.calendar_token}.ics"
    if only:  # a part of the site: the declared exposures it reaches, if any
        assert set(walk.exposures) <= {f"/g/invitation/{world.invitation.token}", feed}
    else:
        assert sorted(walk.exposures) == sorted([f"/g/invitation/{world.invitation.token}", feed])
    if viewer == "moderator":
        # The moderator read the post hidden by flags, and its flag, in the queue.
        assert "/review" in walk.allowed_seen["leakmarker-flagged-message"]
        # The walk reached the anonymous message, so the check that its sender stays unnamed was live.
        assert len(walk.allowed_seen["leakmarker-modmsg-body"]) >= 2
        assert walk.allowed_seen["leakmarker-modmsg-sender-reply"]


@pytest.mark.parametrize("viewer", ["anonymous", "outsider", "neighbour"])
def test_it_leaks_nothing_when_outsiders_post_to_every_url(world, viewer):
    _walked_here(viewer)
    pools, sets = value_pools(world), consistent_values(world)
    # Holding the usable invitation is being invited: POSTing it joins (tested on its own below).
    pools["token"] = [t for t in pools["token"] if t != world.invitation.token]
    # The neighbour differs from the outsider by a group membership only: its POSTs go where groups
    # matter; the rest were answered to the outsider already.
    prefixes = ("g", "messages", "notifications") if viewer == "neighbour" else ("",)
    walk = walk_for(world, viewer)
    for route in walkable_routes():
        if route.route.startswith(POST_SKIP) or not route.template.startswith(prefixes):
            continue
        # Visitors' POSTs are cheap and cross every id with every address; signed-in viewers POST to
        # every object's own address (their GET walk crossed them all).
        for url in urls_for(route, pools, sets, variations=viewer == "anonymous"):
            walk.post(url)
    assert not walk.leaks, f"Private content in answers to POSTs by the {viewer}:\n" + _report(walk)
    assert not Membership.objects.filter(group=world.hidden, user__in=[world.outsider, world.neighbour]).exists()


def test_it_leaks_nothing_through_links_followed_from_the_home_page(world):
    from django.db import connection

    for viewer in VIEWERS:
        if connection.vendor == "postgresql" and viewer not in WALKED_ON_POSTGRESQL:
            continue
        walk = walk_for(world, viewer)
        pages = follow_links(walk, "/", depth=2)
        assert pages > 20
        assert not walk.leaks, f"Private content on pages linked from home, for the {viewer}:\n" + _report(walk)


def test_staff_see_the_markers_and_visitors_after_them_do_not_even_from_the_page_cache(world, settings):
    """The same walk as staff finds markers where private content belongs, so the check is live. Staff
    walk first with the visitors' page cache on (their pages are never cached): they must not seed it
    with private content for the visitors who come after, whose second walk is served from the cache."""
    settings.AGORA_PAGE_CACHE_SECONDS = 300
    # Staff see everything, so every object's own address is enough (no ids crossed with addresses), on the
    # pages that show private content (the API, the feeds of people and events, the embeds and the account
    # pages are walked by the other viewers).
    staff_pages = (
        "t/",
        "c/",
        "tag",
        "categories",
        "latest",
        "bookmarks",
        "u/",
        "review",
        "g",
        "p/",
        "blog",
        "messages",
        "",
    )
    walk = walk_patterns(_client_for(world.staff), world, variations=False, only=staff_pages)
    leaked = set(walk.leaks)
    # Staff see a member's addresses on their moderator panel, so the check that nobody else does is live.
    assert STAFF_ONLY_IP.encode() in _client_for(world.staff).get(f"/u/{world.outsider.username}/moderate").content
    staff_topic, group_topic, sub_topic, _orphan = world.private_topics
    hidden_reply = world.hidden_topic.posts.get(number=2)
    expected = [
        f"/t/{staff_topic.slug}/{staff_topic.pk}",
        f"/t/{sub_topic.slug}/{sub_topic.pk}",
        f"/t/{world.deleted_topic.slug}/{world.deleted_topic.pk}",
        f"/t/{world.hidden_topic.slug}/{world.hidden_topic.pk}",
        "/c/leakmarker-category",
        "/c/leakmarker-private-sub",
        "/c/leakmarker-orphan-sub",
        "/c/leakmarker-hidden-room",
        "/c/leakmarker-hidden-sub",
        "/tag/leakmarker-tag",
        "/tag/leakmarker-hidden-tag",
        "/tags",
        "/categories",
        "/latest",
        "/bookmarks",
        "/u/Staff",
        "/review/log",
        "/u/Keeper/replies",
        "/g/leakmarker-hidden",
        "/g",
        f"/p/{world.deleted_post.pk}/revisions",
        f"/p/{staff_topic.posts.get(number=2).pk}/revisions",
        f"/p/{hidden_reply.pk}/revisions",
        f"/p/{hidden_reply.pk}/revisions?version=1",
        "/review",
    ]
    # Staff are editors: they open every story handed to the editors, never someone's draft.
    draft, *handed_in = world.private_stories
    expected += [url for story in handed_in for url in (f"/blog/{story.slug}", story.desk_url())]
    assert f"/blog/{draft.slug}" not in leaked and draft.desk_url() not in leaked
    missing = [url for url in expected if url not in leaked]
    assert not missing, f"Staff should see markers on {missing}"
    # Staff are not in the group that owns the group room, but staff see every category.
    assert f"/t/{group_topic.slug}/{group_topic.pk}" in leaked
    # Staff do not read other people's messages, nor the inboxes of groups they are not in; they are
    # moderators, so they read the moderators' inbox.
    seen = {m.lower() for found in walk.leaks.values() for m in found}
    assert not {m for m in seen if m.startswith(("leakmarker-dm", "leakmarker-hidden-inbox", "leakmarker-story-draft"))}
    assert "leakmarker-modmsg-body" in seen
    feed = f"/events/feed/{world.calendar_token}.ics"
    for _ in range(2):  # the second walk is served from the cache
        walk = walk_patterns(walk_for(world, "anonymous"), world)
        assert not walk.leaks, "Private content served to a visitor with the page cache on:\n" + _report(walk)
        assert len(walk.statuses) > 200
        # The private calendar feeds reached by their tokens (the staff walk made staff one of their own).
        assert feed in walk.exposures and all(url.startswith("/events/feed/") for url in walk.exposures)
    assert Client().get("/latest")["X-Agora-Cache"] == "hit"


def test_group_members_see_their_room_and_nothing_of_the_staff_room(world):
    client = _client_for(world.insider)
    group_topic = world.private_topics[1]
    page = client.get(f"/t/{group_topic.slug}/{group_topic.pk}")
    assert page.status_code == 200 and b"LEAKMARKER-group-topic-body" in page.content
    latest = client.get("/latest").content
    assert b"LEAKMARKER-group-topic-title" in latest
    assert b"LEAKMARKER-staff-topic-title" not in latest
    assert client.get("/c/leakmarker-category").status_code == 404


def test_counts_leave_out_private_content(world):
    anon, outsider, staff = _client_for(None), _client_for(world.outsider), _client_for(world.staff)
    # Public square: two topics by the member and one by the insider; the deleted and moved ones are gone.
    for client in (anon, outsider):
        categories = {c.slug: c for c in client.get("/categories").context["categories"]}
        assert set(categories) == {"general", "blog", "public-square", "moves-square"}  # blog: by a migration
        # The two published stories' discussions; the unpublished one's is hidden.
        assert categories["blog"].topic_count == 2
        assert categories["public-square"].topic_count == 5  # with its two public events
        assert [s.slug for s in categories["public-square"].visible_subcategories] == []
        tags = {t.name: t.topic_count for t in client.get("/tags").context["tags"]}
        assert tags.get("shared") == 1
        assert "leakmarker-tag" not in tags
        insider = client.get("/u/Insider").context["counts"]
        assert insider == {"topics": 2, "replies": 2}  # one is the discussion of the story they published
        profile_outsider = client.get("/u/Outsider").context["counts"]
        assert profile_outsider == {"topics": 0, "replies": 1}
        listed = client.get("/c/public-square").context["topics"]
        assert len(listed) == 5
    staff_tags = {t.name: t.topic_count for t in staff.get("/tags").context["tags"]}
    assert staff_tags["shared"] == 4 and staff_tags["leakmarker-tag"] == 3  # the staff event is tagged too
    assert staff.get("/u/Insider").context["counts"] == {"topics": 3, "replies": 3}  # with their story's topic
    staff_categories = {c.slug: c for c in staff.get("/categories").context["categories"]}
    assert staff_categories["leakmarker-category"].topic_count == 4  # with the topic split into it
    assert [s.slug for s in staff_categories["public-square"].visible_subcategories] == ["leakmarker-private-sub"]


def test_the_outsiders_own_pages_forget_a_topic_that_became_private(world):
    client = _client_for(world.outsider)
    assert b"LEAKMARKER" not in client.get("/bookmarks").content
    assert len(client.get("/bookmarks").context["page"].object_list) == 0
    assert b"LEAKMARKER" not in client.get("/u/Outsider/likes").content
    assert b"LEAKMARKER" not in client.get("/u/Outsider/replies").content
    moved = world.moved_topic
    assert client.get(f"/t/{moved.slug}/{moved.pk}").status_code == 404


# --- groups and messages -------------------------------------------------------------------


def _ok(client, url: str, *markers: bytes) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    body = _content(response)
    for marker in markers:
        assert marker in body, f"{marker!r} should be on {url}"
    return body


def test_members_and_owners_see_what_they_should(world):
    insider, keeper, moderator = _client_for(world.insider), _client_for(world.keeper), _client_for(world.moderator)
    hidden = world.hidden_topic
    _ok(insider, "/g/leakmarker-hidden", b"LEAKMARKER-hidden-description", b"LEAKMARKER-hidden-room")
    _ok(insider, "/g/leakmarker-hidden/members", b"Keeper", b"Insider")
    _ok(insider, f"/t/{hidden.slug}/{hidden.pk}", b"LEAKMARKER-hidden-topic-body", b"LEAKMARKER-hidden-reply-v2")
    _ok(insider, "/c/leakmarker-hidden-room", b"LEAKMARKER-hidden-topic-title")
    _ok(insider, "/c/leakmarker-hidden-sub", b"LEAKMARKER-hidden-sub-topic")
    _ok(insider, "/tag/leakmarker-hidden-tag", b"LEAKMARKER-hidden-topic-title")
    _ok(insider, "/messages", b"LEAKMARKER-dm-title", b"LEAKMARKER-hidden-inbox-title")
    _ok(insider, "/messages/group/leakmarker-hidden", b"LEAKMARKER-hidden-inbox-title")
    _ok(insider, "/bookmarks", b"LEAKMARKER-hidden-bookmark-note", b"LEAKMARKER-hidden-inbox-bookmark")
    _ok(insider, "/notifications", b"LEAKMARKER-hidden-inbox-title", b"LEAKMARKER-dm-title")
    dm = world.direct_message
    _ok(keeper, f"/t/{dm.slug}/{dm.pk}", b"LEAKMARKER-dm-body", b"LEAKMARKER-dm-reply")
    # Owners read the requests to join and the invitation links.
    _ok(keeper, "/g/askers/requests", b"LEAKMARKER-join-request-message")
    _ok(keeper, "/g/leakmarker-hidden/requests", b"LEAKMARKER-hidden-join-request")
    _ok(keeper, "/g/leakmarker-hidden/invitations", world.invitation.token.encode())
    _ok(keeper, "/g/quiet-club/members", b"Shyperson")
    # A moderator reads the anonymous message, and its sender reads it too, as theirs.
    anonymous = world.anonymous_message
    _ok(moderator, "/messages/group/moderators", b"LEAKMARKER-modmsg-title")
    body = _ok(moderator, f"/t/{anonymous.slug}/{anonymous.pk}", b"LEAKMARKER-modmsg-body")
    assert b"ANONSENDER" not in body and b"Whistleblower" not in body
    _ok(_client_for(world.whistler), f"/t/{anonymous.slug}/{anonymous.pk}", b"LEAKMARKER-modmsg-body")


def test_the_invitation_link_adds_its_holder_once_and_no_one_after(world):
    invitee, outsider = _client_for(world.invitee), _client_for(world.outsider)
    url = world.invitation.get_absolute_url()
    # Expected exposure: the link names the group to whoever holds it; visitors are asked to log in.
    _ok(invitee, url, b"leakmarker-hidden")
    assert Client().get(url).status_code == 302
    assert not Membership.objects.filter(group=world.hidden, user=world.invitee).exists()
    assert invitee.post(url).status_code == 302
    assert Membership.objects.filter(group=world.hidden, user=world.invitee).exists()
    _ok(invitee, "/c/leakmarker-hidden-room", b"LEAKMARKER-hidden-topic-title")
    # Used up: it names nothing any more, and adds nobody else.
    for client in (outsider, Client()):
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code == 410 and b"leakmarker" not in response.content.lower()
    assert not Membership.objects.filter(group=world.hidden, user=world.outsider).exists()


def test_a_removed_member_loses_access_at_once(world):
    from agora.groups import services as group_services

    insider = _client_for(world.insider)
    hidden, inbox = world.hidden_topic, world.inbox_message
    _ok(insider, "/notifications", b"LEAKMARKER-hidden-inbox-title")
    unread_before = insider.get("/notifications").context["unread_notifications"]()
    group_services.member_remove(actor=world.keeper, group=world.hidden, user=world.insider)
    for url in [
        "/g/leakmarker-hidden",
        "/g/leakmarker-hidden/members",
        "/messages/group/leakmarker-hidden",
        "/c/leakmarker-hidden-room",
        "/tag/leakmarker-hidden-tag",
        f"/t/{hidden.slug}/{hidden.pk}",
        f"/t/{inbox.slug}/{inbox.pk}",
        f"/p/{hidden.posts.get(number=2).pk}/revisions",
    ]:
        assert insider.get(url).status_code == 404, url
    for url in ["/bookmarks", "/notifications", "/messages", "/latest", "/g", "/tags", "/categories", "/u/Insider"]:
        response = insider.get(url)
        found = [m for m in markers_in(response, url) if m.lower().startswith("leakmarker-hidden")]
        assert not found, f"{url} still shows {found} to a removed member"
    for notification in Notification.objects.filter(user=world.insider):
        if notification.topic_id in (hidden.pk, inbox.pk) or notification.group_id == world.hidden.pk:
            assert insider.get(f"/notifications/{notification.pk}/open").status_code == 404
    assert insider.get("/notifications").context["unread_notifications"]() < unread_before
    # Still theirs: the message they take part in directly.
    _ok(insider, "/messages", b"LEAKMARKER-dm-title")


def _same_page(body: bytes, name: str, stand_in: str) -> bytes:
    body = body.replace(name.encode(), b"NAME").replace(quote(name).encode(), b"NAME")
    body = body.replace(stand_in.encode(), b"NAME").replace(quote(stand_in).encode(), b"NAME")
    return re.sub(rb'(csrfmiddlewaretoken" value="|csrf-token" content="|X-CSRFToken": ")[^"]+', rb"\1", body)


@pytest.mark.parametrize("viewer", list(VIEWERS))
def test_hidden_groups_categories_and_messages_answer_exactly_like_missing_ones(world, viewer):
    walk = walk_for(world, viewer)
    hidden_post = world.hidden_topic.posts.get(number=1)
    dm = world.direct_message
    pairs = [
        ("/g/{}", "leakmarker-hidden", "no-such-groupxx"),
        ("/g/{}/members", "leakmarker-hidden", "no-such-groupxx"),
        ("/g/{}/requests", "leakmarker-hidden", "no-such-groupxx"),
        ("/g/{}/invitations", "leakmarker-hidden", "no-such-groupxx"),
        ("/g/{}/edit", "leakmarker-hidden", "no-such-groupxx"),
        ("/messages/group/{}", "leakmarker-hidden", "no-such-groupxx"),
        ("/messages/group/{}", "insiders", "nothings"),
        ("/c/{}", "leakmarker-hidden-room", "no-such-category-xxxx"),
        ("/c/{}", "leakmarker-hidden-sub", "no-such-category-xxx"),
        ("/tag/{}", "leakmarker-hidden-tag", "no-such-tag-xxxxxxxxx"),
        ("/t/{}", str(dm.pk), "987654"),
        ("/t/x/{}", str(dm.pk), "987654"),
        ("/p/{}/revisions", str(hidden_post.pk), "987654"),
        ("/messages/{}/add", str(dm.pk), "987654"),
    ]
    for template, name, missing in pairs:
        for method in ("get", "post"):
            there = getattr(walk.client, method)(template.format(name))
            absent = getattr(walk.client, method)(template.format(missing))
            label = f"{method.upper()} {template.format(name)}"
            assert there.status_code == absent.status_code, f"{label}: {there.status_code} != {absent.status_code}"
            if there.status_code != 302:
                assert _same_page(_content(there), name, missing) == _same_page(_content(absent), name, missing), label
            else:
                assert there["Location"].replace(name, "NAME") == absent["Location"].replace(missing, "NAME"), label


def test_group_counts_and_message_counts_leave_out_what_the_viewer_may_not_see(world):
    for viewer in ("anonymous", "outsider", "neighbour"):
        client = walk_for(world, viewer).client
        rows = {row.group.name: row for row in client.get("/g").context["rows"]}
        assert "leakmarker-hidden" not in rows and "insiders" not in rows
        assert rows["quiet-club"].member_count is None  # its members are for its owners to see
        assert rows["askers"].member_count == 1
        assert ("signedin-club" in rows) is (viewer != "anonymous")
        assert b"Shyperson" not in client.get("/g/quiet-club").content
        tags = {t.name: t.topic_count for t in client.get("/tags").context["tags"]}
        assert tags.get("shared") == 1 and not [t for t in tags if t.startswith("leakmarker")]
        # The keeper's one public topic is the discussion of the story they wrote for their hidden group.
        assert client.get("/u/Keeper").context["counts"] == {"topics": 1, "replies": 1}
        assert client.get("/u/Insider").context["counts"] == {"topics": 2, "replies": 2}  # one: their story's
    # Staff count every category, never other people's messages (a tagged one included).
    staff = _client_for(world.staff)
    tags = {t.name: t.topic_count for t in staff.get("/tags").context["tags"]}
    assert tags["shared"] == 4 and tags["leakmarker-hidden-tag"] == 1 and "leakmarker-dm-tag" not in tags
    # The keeper's: their story's discussion and the hidden group's event besides; the insider's: their story's.
    assert staff.get("/u/Keeper").context["counts"] == {"topics": 4, "replies": 2}
    assert staff.get("/u/Insider").context["counts"] == {"topics": 3, "replies": 3}
    # The insider counts the hidden room's topics, and still not the message they take part in.
    insider_tags = {t.name: t.topic_count for t in _client_for(world.insider).get("/tags").context["tags"]}
    assert insider_tags["leakmarker-hidden-tag"] == 1 and "leakmarker-dm-tag" not in insider_tags
    outsider = _client_for(world.outsider)
    assert outsider.get("/notifications").context["unread_notifications"]() == 0
    assert outsider.get("/messages").status_code == 200
    assert b"LEAKMARKER" not in outsider.get("/messages").content


def test_previews_do_not_expand_links_to_private_topics(world):
    """A link or a quote of a private topic in a composer's preview shows no title or excerpt of it."""
    hidden, dm = world.hidden_topic, world.direct_message
    raw = "\n\n".join(
        [
            f"https://testserver/t/{hidden.slug}/{hidden.pk}",
            f"/t/{dm.slug}/{dm.pk}",
            f"[quote=Keeper, post:1, topic:{hidden.pk}]\n[/quote]",
            "#leakmarker-hidden-room @leakmarker-hidden @Shyperson",
        ]
    )
    for viewer in ("outsider", "neighbour", "moderator"):
        response = walk_for(world, viewer).client.post("/preview", {"raw": raw})
        assert response.status_code == 200
        assert b"LEAKMARKER" not in response.content and b"/g/leakmarker-hidden" not in response.content
