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

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import quote, unquote, urlsplit

import pytest
from django.db.models import F
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, include, path, resolve
from django.urls.exceptions import Resolver404
from django.urls.resolvers import RegexPattern, RoutePattern

from agora.discuss import services
from agora.discuss.models import Category, CategoryGrant, Post, Tag, Topic
from agora.groups.models import Group, Membership
from tests import factories

pytestmark = pytest.mark.django_db

SEE, REPLY, CREATE = CategoryGrant.Level.SEE, CategoryGrant.Level.REPLY, CategoryGrant.Level.CREATE
MARKER_RE = re.compile(rb"leakmarker[\w-]*", re.IGNORECASE)

# Patterns the walker leaves out, matched on the start of the route or on the URL name; each with why.
SKIP = {
    "admin/": "Django admin: staff only, guarded by its own permission checks",
    "account_confirm_email": "allauth e-mail confirmation token; no forum content behind it",
    "account_reset_password_from_key": "allauth password-reset token; no forum content behind it",
    "^media/": "uploaded avatar files, served as bytes; no forum content",
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
    return world


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


def value_pools(world: World) -> dict[str, list]:
    """Every id, slug and name of the data, private ones included, by parameter name."""
    topics = list(Topic.objects.all())
    posts = list(Post.objects.all())
    categories = list(Category.objects.all())
    tags = list(Tag.objects.all())
    users = [world.staff, world.insider, world.member, world.outsider]
    groups = list(Group.objects.all())
    ids = sorted({o.pk for o in [*topics, *posts, *categories, *tags, *users, *groups]} | {987654})
    highest = max(t.highest_post_number for t in topics)
    from agora.accounts import views as account_views

    tabs = sorted(set(getattr(account_views, "TABS", ())) | {"topics", "replies", "likes", "activity", "summary"})
    return {
        "pk": ids,
        "id": ids,
        "number": list(range(1, highest + 2)),
        "slug": sorted({c.slug for c in categories} | {t.slug for t in topics}),
        "name": sorted({t.name for t in tags} | {g.name for g in groups} | {u.username for u in users}),
        "username": sorted({u.username for u in users} | {u.username.replace(" ", "_") for u in users}),
        "tab": tabs,
    }


def consistent_values(world: World) -> list[dict]:
    """Parameter sets that belong together: a topic's slug with its id and post numbers, and so on."""
    sets: list[dict] = []
    for topic in Topic.objects.all():
        for number in {1, topic.highest_post_number}:
            sets.append({"pk": topic.pk, "id": topic.pk, "slug": topic.slug, "number": number})
    for post in Post.objects.select_related("topic"):
        sets.append({"pk": post.pk, "id": post.pk, "slug": post.topic.slug, "number": post.number})
    for cat in Category.objects.all():
        sets.append({"pk": cat.pk, "slug": cat.slug, "name": cat.slug})
    for tag in Tag.objects.all():
        sets.append({"pk": tag.pk, "name": tag.name})
    for user in [world.staff, world.insider, world.member, world.outsider]:
        for tab in value_pools(world)["tab"]:
            sets.append({"pk": user.pk, "username": user.username, "name": user.username, "tab": tab})
    return sets


def _fill(route: Route, values: dict) -> str:
    quoted = {k: quote(str(v), safe="") for k, v in values.items()}
    return "/" + route.template.format(**quoted)


def urls_for(route: Route, pools: dict[str, list], sets: list[dict]) -> list[str]:
    """The URLs to try for one pattern; an error naming the pattern when it cannot be filled."""
    if "\x00" in route.template:
        raise AssertionError(f"The leak walker cannot build URLs for the regex pattern {route.route!r}; add it to SKIP")
    missing = [p for p in route.params if p not in pools]
    if missing:
        raise AssertionError(
            f"The leak walker has no values for {missing} in {route.route!r} ({route.name}): "
            "add a value pool in tests/test_leaks.py (with private data behind it) or a SKIP entry with a reason"
        )
    if not route.params:
        return [_fill(route, {})]
    urls: list[str] = []
    covering = [s for s in sets if all(p in s for p in route.params)]
    for s in covering:
        urls.append(_fill(route, {p: s[p] for p in route.params}))
    base = covering[0] if covering else {p: pools[p][0] for p in route.params}
    for param in route.params:
        for value in pools[param]:
            urls.append(_fill(route, {**{p: base[p] for p in route.params}, param: value}))
    urls = list(dict.fromkeys(urls))
    landing = [u for u in urls if _lands_on(u, route)]
    assert landing, f"None of the URLs built for {route.route!r} resolves to it, e.g. {urls[:3]}"
    return landing


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


def markers_in(response, url: str) -> list[str]:
    """Marker strings in a response's body and headers, leaving out echoes of the requested URL itself."""
    header_text = "\n".join(f"{k}: {v}" for k, v in response.headers.items())
    blob = _content(response) + b"\n" + header_text.encode()
    for echo in {url, unquote(url), quote(unquote(url), safe="/")}:
        blob = blob.replace(echo.encode(), b"")
    return sorted({m.decode(errors="replace") for m in MARKER_RE.findall(blob)})


class Walk:
    def __init__(self, client: Client):
        self.client = client
        self.leaks: dict[str, list[str]] = {}
        self.statuses: dict[str, int] = {}

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
        found = markers_in(response, label.removeprefix("POST "))
        if found:
            self.leaks[label] = found


def walk_patterns(client: Client, world: World, *, htmx: bool = False) -> Walk:
    walk = Walk(client)
    pools, sets = value_pools(world), consistent_values(world)
    for route in walkable_routes():
        for url in urls_for(route, pools, sets):
            walk.get(url)
            if htmx:
                walk.get(url, HX_Request="true")
    return walk


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


def test_it_leaks_no_private_content_to_anonymous_visitors(world):
    walk = walk_patterns(_client_for(None), world)
    assert len(walk.statuses) > 300
    assert not walk.leaks, "Private content shown to an anonymous visitor:\n" + _report(walk)


def test_it_leaks_no_private_content_to_visitors_with_the_page_cache_on(world, settings):
    """The visitors' page cache serves what an anonymous walk fills it with; staff walking first (their
    pages are never cached) must not seed it with private content for the visitors who come after."""
    settings.AGORA_PAGE_CACHE_SECONDS = 300
    walk_patterns(_client_for(world.staff), world)
    for _ in range(2):  # the second walk is served from the cache
        walk = walk_patterns(_client_for(None), world)
        assert not walk.leaks, "Private content served to a visitor with the page cache on:\n" + _report(walk)
    assert Client().get("/latest")["X-Agora-Cache"] == "hit"


def test_it_leaks_no_private_content_to_signed_in_outsiders(world):
    walk = walk_patterns(_client_for(world.outsider), world, htmx=True)
    assert len(walk.statuses) > 300
    assert not walk.leaks, "Private content shown to a signed-in outsider:\n" + _report(walk)


def test_it_leaks_nothing_when_outsiders_post_to_every_url(world):
    for user in (None, world.outsider):
        walk = Walk(_client_for(user))
        pools, sets = value_pools(world), consistent_values(world)
        for route in walkable_routes():
            if route.route.startswith(POST_SKIP):
                continue
            for url in urls_for(route, pools, sets):
                walk.post(url)
        assert not walk.leaks, f"Private content in answers to POSTs by {user}:\n" + _report(walk)


def test_it_leaks_nothing_through_links_followed_from_the_home_page(world):
    for user in (None, world.outsider):
        walk = Walk(_client_for(user))
        pages = follow_links(walk, "/", depth=2)
        assert pages > 20
        assert not walk.leaks, f"Private content on pages linked from home, for {user}:\n" + _report(walk)


def test_staff_see_the_markers_so_the_walker_can_fail(world):
    """The same walk as staff finds markers where private content belongs: the check is live."""
    walk = walk_patterns(_client_for(world.staff), world)
    leaked = set(walk.leaks)
    staff_topic, group_topic, sub_topic, _orphan = world.private_topics
    expected = [
        f"/t/{staff_topic.slug}/{staff_topic.pk}",
        f"/t/{sub_topic.slug}/{sub_topic.pk}",
        f"/t/{world.deleted_topic.slug}/{world.deleted_topic.pk}",
        "/c/leakmarker-category",
        "/c/leakmarker-private-sub",
        "/c/leakmarker-orphan-sub",
        "/tag/leakmarker-tag",
        "/tags",
        "/categories",
        "/latest",
        "/bookmarks",
        "/u/Staff",
        f"/p/{world.deleted_post.pk}/revisions",
        f"/p/{staff_topic.posts.get(number=2).pk}/revisions",
    ]
    missing = [url for url in expected if url not in leaked]
    assert not missing, f"Staff should see markers on {missing}"
    # Staff are not in the group that owns the group room, but staff see everything.
    assert f"/t/{group_topic.slug}/{group_topic.pk}" in leaked


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
        assert set(categories) == {"general", "public-square"}
        assert categories["public-square"].topic_count == 3
        assert [s.slug for s in categories["public-square"].visible_subcategories] == []
        tags = {t.name: t.topic_count for t in client.get("/tags").context["tags"]}
        assert tags.get("shared") == 1
        assert "leakmarker-tag" not in tags
        insider = client.get("/u/Insider").context["counts"]
        assert insider == {"topics": 1, "replies": 2}
        profile_outsider = client.get("/u/Outsider").context["counts"]
        assert profile_outsider == {"topics": 0, "replies": 1}
        listed = client.get("/c/public-square").context["topics"]
        assert len(listed) == 3
    staff_tags = {t.name: t.topic_count for t in staff.get("/tags").context["tags"]}
    assert staff_tags["shared"] == 4 and staff_tags["leakmarker-tag"] == 2
    assert staff.get("/u/Insider").context["counts"] == {"topics": 2, "replies": 3}
    staff_categories = {c.slug: c for c in staff.get("/categories").context["categories"]}
    assert staff_categories["leakmarker-category"].topic_count == 2
    assert [s.slug for s in staff_categories["public-square"].visible_subcategories] == ["leakmarker-private-sub"]


def test_the_outsiders_own_pages_forget_a_topic_that_became_private(world):
    client = _client_for(world.outsider)
    assert b"LEAKMARKER" not in client.get("/bookmarks").content
    assert len(client.get("/bookmarks").context["page"].object_list) == 0
    assert b"LEAKMARKER" not in client.get("/u/Outsider/likes").content
    assert b"LEAKMARKER" not in client.get("/u/Outsider/replies").content
    moved = world.moved_topic
    assert client.get(f"/t/{moved.slug}/{moved.pk}").status_code == 404
