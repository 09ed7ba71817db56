"""The Discourse-compatible addresses. Thin: parse, read through queries (agora.permissions), write
through agora.discuss.services, answer in Discourse's shapes (shapes.py) or its error document (auth.py)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlencode

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.html import escape
from django.utils.translation import gettext as _

from agora import permissions
from agora.accounts.models import TrustLevel, User
from agora.accounts.standing import silence_notice
from agora.core import rate_limits
from agora.discuss import queries as discuss_queries
from agora.discuss import services
from agora.discuss.forms import usable_tag_names
from agora.notifications.queries import unread_notification_count
from agora.search.queries import search

from . import queries, shapes
from .auth import BadRequest, NotLoggedIn, body_params, endpoint, int_param, json_response, text_param
from .forms import EditForm, PostForm

MAX_PAGE = 10_000  # a list page past this is refused (400) rather than read with a huge OFFSET
MAX_POST_IDS = 200  # /t/<id>/posts.json?post_ids[]=: at most this many at once
SEARCH_PER_PAGE = 50  # Discourse's
SEARCH_MAX_LENGTH = 1000
NOTIFICATIONS_PER_PAGE = 60  # Discourse's


# --- topic lists -----------------------------------------------------------------------------


def _can_create_topic(user: Any) -> bool:
    return permissions.may_post(user) and permissions.creatable_categories(user).exists()


def _topic_list(
    request: HttpRequest, qs: Any, *, path: str, keep: dict[str, str] | None = None, **extra: Any
) -> HttpResponse:
    """One page of a topic list, Discourse-style: ?page= counts from 0, and more_topics_url names the next
    page (the HTML page's address; a client adds .json before the query, as Discourse's do)."""
    page = int_param(request.GET, "page") or 0
    if page > MAX_PAGE:
        raise BadRequest(_("The parameter page is out of range."))
    size = settings.AGORA_TOPICS_PER_PAGE
    rows = list(qs[page * size : (page + 1) * size + 1])
    topics = rows[:size]
    discuss_queries.read_state(request.user, topics)
    more = f"{path}?{urlencode({**(keep or {}), 'page': page + 1})}" if len(rows) > size else None
    can_create = extra.pop("can_create", None)
    if can_create is None:
        can_create = _can_create_topic(request.user)
    document = shapes.topic_list(topics, request.user, more_url=more, can_create=can_create, per_page=size, **extra)
    return json_response(document)


@endpoint("GET")
def latest(request: HttpRequest) -> HttpResponse:
    return _topic_list(request, queries.latest_topics(request.user), path="/latest")


@endpoint("GET")
def top(request: HttpRequest) -> HttpResponse:
    period = request.GET.get("period") or "monthly"
    period = queries.TOP_PERIOD_ALIASES.get(period, period)
    if period not in queries.TOP_PERIODS:
        raise BadRequest(
            _("Unknown period %(period)s: use one of %(periods)s.")
            % {"period": period[:40], "periods": ", ".join(queries.TOP_PERIODS)}
        )
    qs = queries.top_topics(request.user, period)
    return _topic_list(request, qs, path="/top", keep={"period": period}, for_period=period)


@endpoint("GET", signed_in=True)
def new(request: HttpRequest) -> HttpResponse:
    return _topic_list(request, queries.new_topics(request.user), path="/new")


@endpoint("GET")
def category_topics(request: HttpRequest, pk: int, slug: str = "") -> HttpResponse:
    category = queries.category_by_id(request.user, pk)
    return _topic_list(
        request,
        queries.category_topics(request.user, category),
        path=f"/c/{quote(category.slug)}/{category.pk}",
        can_create=permissions.can(request.user, "create_topic", category),
    )


def _shaped_categories(request: HttpRequest, *, with_children: bool) -> list[dict]:
    """The visible top-level categories, each with its children's ids (and, asked, the children)."""
    rows = queries.categories(request.user)
    by_id = {row.category.pk: row for row in rows}

    def shape(row: queries.CategoryRow) -> dict:
        data = shapes.category(
            row.category,
            request.user,
            row.level,
            read_restricted=row.read_restricted,
            subcategory_ids=row.subcategory_ids,
        )
        if with_children:
            data["subcategory_list"] = [shape(by_id[cid]) for cid in row.subcategory_ids]
        return data

    return [shape(row) for row in rows if row.category.parent_id is None or row.category.parent_id not in by_id]


@endpoint("GET")
def categories(request: HttpRequest) -> HttpResponse:
    listed = _shaped_categories(request, with_children=request.GET.get("include_subcategories") == "true")
    return json_response(
        {
            "category_list": {
                "can_create_category": bool(request.user.is_authenticated and request.user.is_staff),
                "can_create_topic": _can_create_topic(request.user),
                "categories": listed,
            }
        }
    )


@endpoint("GET")
def category_show(request: HttpRequest, pk: int) -> HttpResponse:
    """One category, as Discourse's /c/<id>/show.json."""
    category = queries.category_by_id(request.user, pk)
    row = next(r for r in queries.categories(request.user) if r.category.pk == category.pk)
    data = shapes.category(
        row.category, request.user, row.level, read_restricted=row.read_restricted, subcategory_ids=row.subcategory_ids
    )
    return json_response({"category": data})


@endpoint("GET")
def site(request: HttpRequest) -> HttpResponse:
    """What clients read first (Discourse's /site.json): the categories (children listed flat, each with
    its parent_category_id, as Discourse's) and the few settings we have."""
    rows = queries.categories(request.user)
    shaped = [
        shapes.category(
            r.category, request.user, r.level, read_restricted=r.read_restricted, subcategory_ids=r.subcategory_ids
        )
        for r in rows
    ]
    return json_response(
        {
            "default_archetype": "regular",
            "notification_types": {str(kind): number for kind, number in shapes.NOTIFICATION_TYPES.items()},
            "post_action_types": [{"id": shapes.LIKE, "name_key": "like", "is_flag": False}],
            "trust_levels": [{"id": n, "name": str(label)} for n, label in TrustLevel.choices],
            "archetypes": [{"id": "regular", "name": "Regular Topic", "options": []}],
            "can_create_tag": False,
            "can_tag_topics": permissions.may_post(request.user),
            "top_tags": [],
            "periods": list(queries.TOP_PERIODS),
            "categories": shaped,
        }
    )


# --- topics and posts ------------------------------------------------------------------------


def _shown_author(viewer: Any, user: Any, anonymous: bool) -> Any:
    """The author as the viewer may know them: the anonymous sender of a message only to themselves."""
    if anonymous and not (viewer.is_authenticated and user is not None and user.pk == viewer.pk):
        return None
    return user


def _anonymous_user() -> dict[str, Any]:
    return {"id": None, "username": "", "name": _("Anonymous"), "avatar_template": shapes.avatar_template(None)}


@endpoint("GET")
def topic(request: HttpRequest, pk: int, slug: str = "") -> HttpResponse:
    viewer = request.user
    topic_row = queries.topic_for(viewer, pk)
    view = queries.topic_view(viewer, topic_row, chunk=shapes.CHUNK_SIZE)
    creator = _shown_author(viewer, topic_row.user, topic_row.anonymous)
    last_author = view.last_poster
    participants = [
        {
            **shapes.basic_user(user),
            "post_count": count,
            "primary_group_name": None,
            "flair_name": None,
        }
        for user, count in view.participants
    ]
    posted = viewer.is_authenticated and any(user.pk == viewer.pk for user, _count in view.participants)
    first = next((p for p in view.posts if p.number == 1), None)
    data = {
        "post_stream": {
            "posts": [shapes.post(p, viewer, reply_count=view.reply_counts.get(p.number, 0)) for p in view.posts],
            "stream": view.stream,
        },
        "timeline_lookup": [],
        "suggested_topics": [],
        "tags": view.tags,
        "tags_descriptions": {},
        "id": topic_row.pk,
        "title": topic_row.title,
        "fancy_title": shapes.fancy_title(topic_row.title),
        "posts_count": topic_row.posts_count,
        "created_at": shapes.iso(topic_row.created_at),
        "views": topic_row.views,
        "reply_count": topic_row.reply_count,
        "like_count": topic_row.like_count,
        "last_posted_at": shapes.iso(topic_row.last_posted_at),
        "visible": not topic_row.unlisted,
        "closed": topic_row.closed,
        "archived": topic_row.archived,
        "has_summary": False,
        "archetype": "private_message" if topic_row.is_message else "regular",
        "slug": topic_row.slug,
        "category_id": topic_row.category_id,
        "word_count": None,
        "deleted_at": None,
        "user_id": creator.pk if creator else None,
        "featured_link": None,
        "pinned_globally": topic_row.pinned_globally,
        "pinned_at": shapes.iso(topic_row.pinned_at),
        "pinned_until": None,
        "image_url": None,
        "slow_mode_seconds": 0,
        "draft": None,
        "draft_key": f"topic_{topic_row.pk}",
        "draft_sequence": 0,
        "posted": posted,
        "unpinned": None,
        "pinned": topic_row.pinned_globally or topic_row.is_pinned,
        "current_post_number": 1,
        "highest_post_number": topic_row.highest_post_number,
        "deleted_by": None,
        "has_deleted": False,
        "actions_summary": [],
        "chunk_size": shapes.CHUNK_SIZE,
        "bookmarked": False,
        "bookmarks": [],
        "topic_timer": None,
        "message_bus_last_id": 0,
        "participant_count": len(view.participants),
        "show_read_indicator": False,
        "thumbnails": None,
        "slow_mode_enabled_until": None,
        "has_accepted_answer": topic_row.solution_post_id is not None,
        "language": topic_row.language,
        "details": {
            "can_edit": bool(first is not None and first.can_edit),
            "notification_level": 1,
            "can_create_post": permissions.can(viewer, "reply", topic_row),
            "can_reply_as_new_topic": _can_create_topic(viewer),
            "can_flag_topic": False,
            "participants": participants,
            "created_by": shapes.basic_user(creator) if creator else _anonymous_user(),
            "last_poster": shapes.basic_user(last_author) if last_author else _anonymous_user(),
            "links": [],
        },
    }
    return json_response(data)


def _post_ids(request: HttpRequest) -> list[int]:
    raw = request.GET.getlist("post_ids[]") or request.GET.getlist("post_ids")
    if len(raw) > MAX_POST_IDS:
        raise BadRequest(_("Ask for %(n)d posts at most at once.") % {"n": MAX_POST_IDS})
    ids = []
    for value in raw:
        if not (value.isascii() and value.isdigit() and len(value) <= 12):
            raise BadRequest(_("The parameter post_ids must hold whole numbers."))
        ids.append(int(value))
    return ids


@endpoint("GET")
def topic_posts(request: HttpRequest, pk: int) -> HttpResponse:
    """Further posts of a topic: ?post_ids[]=... (ids from the stream), else ?post_number=N onwards
    (the first chunk without either)."""
    viewer = request.user
    topic_row = queries.topic_for(viewer, pk)
    ids = _post_ids(request)
    if not ids:
        start = int_param(request.GET, "post_number", minimum=1) or 1
        ids = queries.stream_from(viewer, topic_row, start, shapes.CHUNK_SIZE)
    posts = queries.posts_by_ids(viewer, topic_row, ids)
    replies = queries.reply_counts_for(viewer, posts)
    shaped = [shapes.post(p, viewer, reply_count=replies.get((p.topic_id, p.number), 0)) for p in posts]
    return json_response({"post_stream": {"posts": shaped}, "id": topic_row.pk})


def _post_document(viewer: Any, pk: int) -> dict[str, Any]:
    post = queries.post_for(viewer, pk)
    replies = queries.reply_counts_for(viewer, [post])
    return shapes.post(post, viewer, reply_count=replies.get((post.topic_id, post.number), 0), raw=True)


@endpoint("GET")
def post_by_number(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """Post `number` of topic `pk`, as Discourse's /posts/by_number/<topic id>/<number>.json."""
    return json_response(_post_document(request.user, queries.post_id_by_number(request.user, pk, number)))


@endpoint("GET", "PUT", action="edit_post")
def post(request: HttpRequest, pk: int) -> HttpResponse:
    if request.method == "PUT":
        return _post_edit(request, pk)
    return json_response(_post_document(request.user, pk))


def _refuse_silenced(user: Any) -> None:
    if user.is_silenced:
        raise PermissionDenied(silence_notice(user))


def _form_errors(form: Any) -> ValidationError:
    return ValidationError([str(message) for errors in form.errors.values() for message in errors])


def _post_edit(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.is_authenticated:
        raise PermissionDenied
    data = body_params(request)
    nested = data.get("post")
    if isinstance(nested, dict):
        data = {**data, **nested}
    raw = text_param(data, "post[raw]") or text_param(data, "raw", required=True)
    _refuse_silenced(request.user)
    post_row = permissions.get_post_for_user(request.user, pk, action="edit")
    form = EditForm({"raw": raw})
    if not form.is_valid():
        raise _form_errors(form)
    rate_limits.check_action("edit", user=request.user, ip=rate_limits.client_ip(request))
    services.post_edit(user=request.user, post=post_row, raw=form.cleaned_data["raw"])
    return json_response({"post": _post_document(request.user, pk)})


def _tag_names(data: dict[str, Any], user: Any) -> list[str]:
    value = data.get("tags[]", data.get("tags"))
    if value is None or value == "":
        return []
    names = value if isinstance(value, list) else str(value).split(",")
    if not all(isinstance(n, str) for n in names) or isinstance(value, dict):
        raise BadRequest(_("The parameter tags must be a list of tag names."))
    try:
        return usable_tag_names(",".join(names), user)
    except ValidationError as exc:
        raise ValidationError(exc.messages) from None


LATEST_POSTS = 50  # Discourse's


@endpoint("GET", "POST", action="create_post")
def posts(request: HttpRequest) -> HttpResponse:
    """GET: the newest posts (?before=<id> for older ones), as Discourse's /posts.json. POST: create."""
    if request.method == "POST":
        return _post_create(request)
    viewer = request.user
    found = queries.latest_posts(viewer, before=int_param(request.GET, "before", minimum=1), size=LATEST_POSTS)
    replies = queries.reply_counts_for(viewer, found)
    shaped = []
    for p in found:
        data = shapes.post(p, viewer, reply_count=replies.get((p.topic_id, p.number), 0), raw=True)
        data["category_id"] = p.topic.category_id
        shaped.append(data)
    return json_response({"latest_posts": shaped})


def _post_create(request: HttpRequest) -> HttpResponse:
    """A new topic (title, raw, category) or a reply (topic_id, raw), as Discourse's POST /posts.json."""
    user = request.user
    if not isinstance(user, User):  # a visitor
        raise NotLoggedIn
    data = body_params(request)
    if (text_param(data, "archetype") or "regular") != "regular":
        raise BadRequest(_("Only topics and replies can be written here; send private messages on the site."))
    raw = text_param(data, "raw", required=True)
    topic_id = int_param(data, "topic_id", minimum=1)
    reply_to = int_param(data, "reply_to_post_number", minimum=1)
    category_id = int_param(data, "category", minimum=1)
    title = text_param(data, "title")
    tags = _tag_names(data, user) if topic_id is None else []
    _refuse_silenced(user)
    if topic_id is not None:
        topic_row = permissions.get_topic_for_user(user, topic_id, action="reply")
        form = PostForm({"raw": raw})
        if not form.is_valid():
            raise _form_errors(form)
        rate_limits.check_action("post", user=user, ip=rate_limits.client_ip(request))
        created = services.post_create(
            user=user, topic=topic_row, raw=form.cleaned_data["raw"], reply_to_number=reply_to
        )
        return json_response(_post_document(user, created.pk))
    form = PostForm({"raw": raw, "title": title or ""})
    form.fields["title"].required = True
    if not form.is_valid():
        raise _form_errors(form)
    if category_id is None:
        raise ValidationError(_("Choose a category you may post in."))
    category = permissions.visible_categories(user).filter(pk=category_id).first()
    if category is None:  # one that does not exist and one the user may not see answer alike
        raise ValidationError(_("Choose a category you may post in."))
    if not permissions.can(user, "create_topic", category):
        raise PermissionDenied(_("You may not start topics in this category."))
    rate_limits.check_action("post", user=user, ip=rate_limits.client_ip(request))
    created_topic = services.topic_create(
        user=user, category=category, title=form.cleaned_data["title"], raw=form.cleaned_data["raw"], tags=tags
    )
    return json_response(_post_document(user, queries.opening_post_id(user, created_topic)))


@endpoint("POST", signed_in=True, action="create_post_action")
def post_action(request: HttpRequest) -> HttpResponse:
    """Like a post (post_action_type_id=2), as Discourse's POST /post_actions.json. Flags are not taken
    here: they have their own form on the site."""
    data = body_params(request)
    pk = int_param(data, "id", required=True, minimum=1)
    kind = int_param(data, "post_action_type_id", required=True, minimum=1)
    if kind != shapes.LIKE:
        raise BadRequest(_("Only likes (post_action_type_id=2) can be given here."))
    assert pk is not None
    post_row = queries.post_for(request.user, pk)
    if post_row.user_id == request.user.pk:
        raise PermissionDenied(_("You cannot like your own post."))
    if post_row.liked:
        raise ValidationError(_("You have already liked this post."))
    if not post_row.can_like:
        raise PermissionDenied
    assert isinstance(request.user, User)  # endpoint(signed_in=True)
    services.post_like_toggle(user=request.user, post=post_row)
    return json_response(_post_document(request.user, pk))


# --- people, search, session, notifications ---------------------------------------------------


@endpoint("GET")
def user(request: HttpRequest, username: str) -> HttpResponse:
    viewer = request.user
    person = queries.user_by_name(username)
    activity = queries.user_activity(viewer, person)
    sees_presence = viewer.is_authenticated and (viewer.pk == person.pk or viewer.is_staff_or_moderator)
    data = {
        **shapes.basic_user(person),
        "title": None,
        "created_at": shapes.iso(person.date_joined),
        "last_posted_at": shapes.iso(activity["last_posted_at"]),
        # Like the profile page: when someone was last here is for them and the moderators.
        "last_seen_at": shapes.iso(person.last_seen_at) if sees_presence else None,
        "post_count": activity["post_count"],
        "topic_count": activity["topic_count"],
        "badge_count": 0,
        "profile_view_count": 0,
        "time_read": 0,
        "bio_cooked": person.bio_html or None,
        "bio_excerpt": person.bio[:300] or None,
        "website": None,
        "location": person.location or None,
        "can_edit": viewer.is_authenticated and viewer.pk == person.pk,
        "can_send_private_messages": False,
        "can_send_private_message_to_user": False,
        "staff": person.is_staff_or_moderator,
        "profile_url": person.get_absolute_url(),
    }
    return json_response({"user_badges": [], "user": data})


@endpoint("GET")
def search_json(request: HttpRequest) -> HttpResponse:
    viewer = request.user
    q = request.GET.get("q") or request.GET.get("term") or ""
    if not q.strip():
        raise BadRequest(_("param is missing or the value is empty: q"))
    if len(q) > SEARCH_MAX_LENGTH:
        raise BadRequest(_("A search has %(n)d characters at most.") % {"n": SEARCH_MAX_LENGTH})
    page = int_param(request.GET, "page", minimum=1) or 1
    if page > MAX_PAGE:
        raise BadRequest(_("The parameter page is out of range."))
    results = search(viewer, q, page=page, per_page=SEARCH_PER_PAGE)
    in_topics = [h for h in results.hits if h.topic_id is not None]
    topics = queries.topics_by_ids(viewer, sorted({h.topic_id for h in in_topics if h.topic_id}))
    posts = queries.posts_by_place(viewer, [(h.topic_id, h.post_number or 1) for h in in_topics if h.topic_id])
    people = queries.users_by_names([h.username or h.title for h in results.hits if h.kind == "user"])
    shaped_posts: list[dict[str, Any]] = []
    shaped_topics: dict[int, dict[str, Any]] = {}
    users: dict[int, dict[str, Any]] = {}
    discuss_queries.read_state(viewer, list(topics.values()))
    for hit in results.hits:
        if hit.topic_id is not None and hit.topic_id in topics:
            found = posts.get((hit.topic_id, hit.post_number or 1))
            if found is None:
                continue
            author = _shown_author(viewer, found.user, found.anonymous)
            shaped_posts.append(
                {
                    "id": found.pk,
                    "name": (author.display_name or None) if author else None,
                    "username": author.username if author else "",
                    "avatar_template": shapes.avatar_template(author),
                    "created_at": shapes.iso(found.created_at),
                    "like_count": found.like_count,
                    "blurb": hit.snippet or str(escape(found.raw[:200])),
                    "post_number": found.number,
                    "topic_id": found.topic_id,
                    "topic_title_headline": hit.title,
                    "kind": hit.kind,
                }
            )
            shaped_topics.setdefault(hit.topic_id, shapes.topic_list_item(topics[hit.topic_id], viewer))
        elif hit.kind == "user":
            from agora.accounts.usernames import canonical_username

            person = people.get(canonical_username(hit.username or hit.title))
            if person is not None:
                users.setdefault(
                    person.pk,
                    {
                        "id": person.pk,
                        "username": person.username,
                        "name": person.display_name or None,
                        "avatar_template": shapes.avatar_template(person),
                    },
                )
    return json_response(
        {
            "posts": shaped_posts,
            "topics": list(shaped_topics.values()),
            "users": list(users.values()),
            "categories": [],
            "tags": [],
            "groups": [],
            "grouped_search_result": {
                "more_posts": results.has_next or None,
                "more_users": None,
                "more_categories": None,
                "term": q,
                "search_log_id": None,
                "more_full_page_results": results.has_next or None,
                "can_create_topic": _can_create_topic(viewer),
                "error": " ".join(results.errors) or None,
                "post_ids": [p["id"] for p in shaped_posts],
                "user_ids": list(users),
                "category_ids": [],
                "tag_ids": [],
                "group_ids": [],
                "total": results.total,
            },
        }
    )


@endpoint("GET")
def session_current(request: HttpRequest) -> HttpResponse:
    viewer = request.user
    if not viewer.is_authenticated:
        raise Http404  # as Discourse: no current user is "not found"
    data = {
        **shapes.basic_user(viewer),
        "unread_notifications": unread_notification_count(viewer),
        "unread_high_priority_notifications": 0,
        "staff": viewer.is_staff_or_moderator,
        "can_create_topic": _can_create_topic(viewer),
        "silenced_till": shapes.iso(viewer.silenced_until) if viewer.is_silenced else None,
        "title": None,
        "locale": viewer.interface_language or None,
    }
    return json_response({"current_user": data})


@endpoint("GET", signed_in=True)
def notifications(request: HttpRequest) -> HttpResponse:
    offset = int_param(request.GET, "offset") or 0
    if offset > MAX_PAGE * NOTIFICATIONS_PER_PAGE:
        raise BadRequest(_("The parameter offset is out of range."))
    limit = min(int_param(request.GET, "limit", minimum=1) or NOTIFICATIONS_PER_PAGE, NOTIFICATIONS_PER_PAGE)
    qs = queries.notifications(request.user)
    rows = list(qs[offset : offset + limit + 1])
    more = len(rows) > limit
    data: dict[str, Any] = {
        "notifications": [shapes.notification(row) for row in rows[:limit]],
        "total_rows_notifications": qs.count(),
        "seen_notification_id": None,
    }
    if more:
        data["load_more_notifications"] = f"/notifications?{urlencode({'offset': offset + limit})}"
    return json_response(data)


# --- avatars ---------------------------------------------------------------------------------

AVATAR_COLOURS = [
    "#0b5cad",
    "#1a7f37",
    "#a40e26",
    "#953800",
    "#6639ba",
    "#0a6466",
    "#99286e",
    "#6b4420",
    "#4b535d",
    "#7d4e00",
    "#1b4b91",
    "#2c5f2d",
]


def user_avatar(request: HttpRequest, username: str, size: int) -> HttpResponse:
    """What avatar_template points at: the uploaded picture, else a letter avatar (SVG) in the colour the
    site's pages give the person; "?" for someone unknown or anonymous."""
    if request.method not in ("GET", "HEAD"):
        return HttpResponse(status=405)
    size = max(8, min(size, 512))
    try:
        person = queries.user_by_name(username)
    except Http404:
        person = None
    if person is not None and person.avatar:
        return HttpResponseRedirect(person.avatar.url)
    letter = person.username[:1].upper() if person is not None else "?"
    colour = AVATAR_COLOURS[int(person.avatar_class.removeprefix("av-")) if person is not None else 8]
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" viewBox="0 0 100 100">'
        f'<rect width="100" height="100" fill="{colour}"/>'
        f'<text x="50" y="50" dy=".35em" text-anchor="middle" font-family="sans-serif" font-size="50" '
        f'fill="#ffffff">{escape(letter)}</text></svg>'
    )
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Cache-Control"] = "public, max-age=3600"
    return response
