"""The API's writes: each calls the same service (and the same form's checks, and the same rate limit)
as the page that does it, so every rule of the pages applies here too."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Status

from agora import permissions
from agora.core import rate_limits
from agora.discuss import queries as discuss_queries
from agora.discuss import services as discuss_services
from agora.discuss.forms import ReplyForm, TopicForm, parse_idempotency_key
from agora.discuss.models import Bookmark, Post, PostLike
from agora.events.services.rsvps import event_rsvp
from agora.moderation import flags

from . import schemas, shape
from .problems import Problem, form_errors

# The same router as the reads: ninja serves one path from one router, and /topics is read and written.
from .reads import router
from .security import WRITE_AUTH, caller

WRITTEN = {"responses": schemas.problem_responses(400, 401, 403, 404, 409, 429)}


def _posting_limit(request: HttpRequest) -> None:
    rate_limits.check_action("post", user=caller(request), ip=rate_limits.client_ip(request))


def _idempotency_key(request: HttpRequest) -> Any:
    """The `Idempotency-Key` header as a UUID, None when absent; a key that is no UUID is refused (a client
    that sends one expects the protection, so it is not silently dropped)."""
    value = request.headers.get("Idempotency-Key", "").strip()
    if not value:
        return None
    key = parse_idempotency_key(value)
    if key is None:
        raise Problem("validation", _("The Idempotency-Key header must be a UUID (e.g. made by uuid4)."))
    return key


def _visible_post(user: Any, pk: int) -> Post:
    post = permissions.get_post_for_user(user, pk)
    if post.deleted_at is not None:
        raise Http404
    return post


@router.post("/topics", response={201: schemas.TopicOut}, tags=["topics"], auth=WRITE_AUTH, openapi_extra=WRITTEN)
def topic_create(request: HttpRequest, payload: schemas.TopicIn) -> Status[dict[str, Any]]:
    """Start a topic, as the new-topic page does (its checks, new members' limits and rate limits)."""
    user = caller(request)
    key = _idempotency_key(request)
    if (done := discuss_queries.post_for_idempotency_key(user, key)) is not None:
        return Status(201, shape.topic(done.topic, user))  # a retry: the first request's topic
    creatable = permissions.creatable_categories(user)
    category = creatable.filter(slug=payload.category).first()
    data = {
        "category": str(category.pk) if category else "",
        "title": payload.title,
        "raw": payload.raw,
        "tags": ",".join(payload.tags),
        "language": payload.language,
    }
    form = TopicForm(data, user=user, categories=creatable)
    if not form.is_valid():
        raise Problem("validation", _("The topic was not created: see errors."), errors=form_errors(form))
    cleaned = form.cleaned_data
    _posting_limit(request)
    topic = discuss_services.topic_create(
        user=user,
        category=cleaned["category"],
        title=cleaned["title"],
        raw=cleaned["raw"],
        tags=cleaned["tags"],
        language=cleaned["language"],
        idempotency_key=key,
    )
    return Status(201, shape.topic(topic, user))


@router.post(
    "/topics/{int:pk}/posts", response={201: schemas.PostOut}, tags=["topics"], auth=WRITE_AUTH, openapi_extra=WRITTEN
)
def reply_create(request: HttpRequest, pk: int, payload: schemas.ReplyIn) -> Status[dict[str, Any]]:
    """Reply to a topic, as its reply form does."""
    user = caller(request)
    topic = permissions.get_topic_for_user(user, pk, action="reply")
    if topic.deleted_at is not None:
        raise Http404
    key = _idempotency_key(request)
    if (done := discuss_queries.post_for_idempotency_key(user, key)) is not None:
        return Status(201, shape.post(done, user))  # a retry: the first request's reply
    form = ReplyForm({"raw": payload.raw, "language": payload.language, "reply_to": payload.reply_to or ""})
    if not form.is_valid():
        raise Problem("validation", _("The reply was not posted: see errors."), errors=form_errors(form))
    _posting_limit(request)
    post = discuss_services.post_create(
        user=user,
        topic=topic,
        raw=form.cleaned_data["raw"],
        reply_to_number=form.cleaned_data.get("reply_to"),
        language=form.cleaned_data.get("language", ""),
        idempotency_key=key,
    )
    post.topic = topic
    return Status(201, shape.post(post, user))


def _like(request: HttpRequest, pk: int, want: bool) -> dict[str, Any]:
    user = caller(request)
    post = _visible_post(user, pk)
    if not permissions.can(user, "like", post):
        raise PermissionDenied
    if PostLike.objects.filter(post=post, user=user).exists() != want:
        discuss_services.post_like_toggle(user=user, post=post)
    post.refresh_from_db(fields=["like_count"])
    return {"post_id": post.pk, "liked": want, "like_count": post.like_count}


@router.put("/posts/{int:pk}/like", response=schemas.LikeOut, tags=["topics"], auth=WRITE_AUTH, openapi_extra=WRITTEN)
def like(request: HttpRequest, pk: int) -> dict[str, Any]:
    """Like a post (liking it again changes nothing)."""
    return _like(request, pk, True)


@router.delete(
    "/posts/{int:pk}/like", response=schemas.LikeOut, tags=["topics"], auth=WRITE_AUTH, openapi_extra=WRITTEN
)
def unlike(request: HttpRequest, pk: int) -> dict[str, Any]:
    """Take a like back (when there is none, nothing changes)."""
    return _like(request, pk, False)


@router.put(
    "/posts/{int:pk}/bookmark", response=schemas.BookmarkOut, tags=["topics"], auth=WRITE_AUTH, openapi_extra=WRITTEN
)
def bookmark(request: HttpRequest, pk: int, payload: schemas.BookmarkIn | None = None) -> dict[str, Any]:
    """Bookmark a post, with an optional note (again: the note is replaced)."""
    user = caller(request)
    post = _visible_post(user, pk)
    saved = discuss_services.bookmark_set(user=user, post=post, note=payload.note if payload else "")
    return {"post_id": post.pk, "bookmarked": True, "note": saved.note}


@router.delete(
    "/posts/{int:pk}/bookmark", response=schemas.BookmarkOut, tags=["topics"], auth=WRITE_AUTH, openapi_extra=WRITTEN
)
def unbookmark(request: HttpRequest, pk: int) -> dict[str, Any]:
    """Remove a bookmark (when there is none, nothing changes)."""
    user = caller(request)
    post = _visible_post(user, pk)
    discuss_services.bookmark_remove(user=user, post=post)
    return {"post_id": post.pk, "bookmarked": Bookmark.objects.filter(post=post, user=user).exists(), "note": ""}


@router.post(
    "/posts/{int:pk}/flags",
    response={201: schemas.FlagOut},
    tags=["moderation"],
    auth=WRITE_AUTH,
    openapi_extra=WRITTEN,
)
def flag(request: HttpRequest, pk: int, payload: schemas.FlagIn) -> Status[dict[str, Any]]:
    """Flag a post for the moderators (or, with kind message_author, write to its author instead)."""
    user = caller(request)
    post = _visible_post(user, pk)
    rate_limits.check_flag(user, rate_limits.client_ip(request))
    made = flags.flag_post(user=user, post=post, kind=payload.kind, message=payload.message)
    detail = _("Your message was sent to the author.") if made is None else _("The moderators will look at this post.")
    return Status(201, {"flagged": made is not None, "detail": detail})


@router.put(
    "/occurrences/{int:pk}/rsvp", response=schemas.RsvpOut, tags=["events"], auth=WRITE_AUTH, openapi_extra=WRITTEN
)
def rsvp(request: HttpRequest, pk: int, payload: schemas.RsvpIn) -> dict[str, Any]:
    """Say you are going, interested or not going to one date of an event. Going to a full date joins its
    waiting list; an event that needs approval answers `pending`."""
    user = caller(request)
    occurrence = permissions.get_occurrence_for_user(user, pk, action="rsvp")
    answer = event_rsvp(user=user, occurrence=occurrence, status=payload.status)
    occurrence.refresh_from_db(fields=["going_count"])
    return {"occurrence_id": occurrence.pk, "status": answer.status, "going_count": occurrence.going_count}
