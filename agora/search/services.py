"""Writes to the search index: one SearchDocument per searchable thing, and the backend's full-text
table in step with it. The worker calls these by id (search.tasks); `search_reindex` rebuilds it all.

Indexing reads every row, private ones included, on purpose: who may see a hit is decided at query time
by joining the live rows through the permission module (search.queries), never here."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

from django.db import transaction

from agora.accounts.models import User
from agora.blog.models import Story
from agora.discuss.models import Post
from agora.events.models import Event

from .backends import backend
from .models import SearchDocument
from .text import html_to_text

Kind = SearchDocument.Kind
BATCH = 500


def _post_document(post: Post) -> SearchDocument | None:
    """The document a post gives (a reply; a topic's or an event's opening post), or None: private
    messages, deleted posts and a story's opening post (the story is indexed) give none."""
    topic = post.topic
    if topic.is_message or post.deleted_at is not None or topic.deleted_at is not None:
        return None
    user_id = None if post.anonymous or topic.anonymous else post.user_id
    text = html_to_text(post.html)
    if post.number != 1:
        return SearchDocument(
            kind=Kind.POST,
            object_id=post.pk,
            post_id=post.pk,
            topic_id=topic.pk,
            user_id=user_id,
            language=post.language or topic.language,
            title="",
            body=text,
            created_at=post.created_at,
        )
    if getattr(topic, "story", None) is not None:
        return None
    event = getattr(topic, "event", None)
    if event is not None:
        place = " ".join(part for part in (event.venue, event.address) if part)
        return SearchDocument(
            kind=Kind.EVENT,
            object_id=event.pk,
            post_id=post.pk,
            topic_id=topic.pk,
            user_id=user_id,
            language=topic.language,
            title=topic.title,
            body=f"{place} {text}".strip(),
            created_at=topic.created_at,
        )
    return SearchDocument(
        kind=Kind.TOPIC,
        object_id=topic.pk,
        post_id=post.pk,
        topic_id=topic.pk,
        user_id=user_id,
        language=topic.language,
        title=topic.title,
        body=text,
        created_at=topic.created_at,
    )


def _story_document(story: Story) -> SearchDocument | None:
    if story.state != Story.State.PUBLISHED:
        return None
    return SearchDocument(
        kind=Kind.STORY,
        object_id=story.pk,
        topic_id=story.topic_id,
        user_id=story.created_by_id,
        language=story.language,
        title=story.title,
        body=f"{story.lead} {html_to_text(story.body_html)}".strip(),
        created_at=story.published_at or story.created_at,
    )


def _user_document(user: User) -> SearchDocument | None:
    if not user.is_active:
        return None
    title = user.username if not user.display_name else f"{user.display_name} ({user.username})"
    return SearchDocument(
        kind=Kind.USER,
        object_id=user.pk,
        user_id=user.pk,
        language="",
        title=title[:255],
        body=f"{html_to_text(user.bio_html)} {user.location}".strip(),
        created_at=user.date_joined,
    )


def _replace(
    kind_object: Sequence[tuple[str, int]], documents: list[SearchDocument], stale_post_ids: list[int]
) -> None:
    """Write `documents` over what the index had for these (kind, id) pairs and for these posts (a post
    that changed kind, an opening post moved into a reply), and drop the rest."""
    from django.db.models import Q

    old = Q(pk__in=[])
    for kind, object_id in kind_object:
        old |= Q(kind=kind, object_id=object_id)
    if stale_post_ids:
        old |= Q(post_id__in=stale_post_ids)
    index = backend()
    with transaction.atomic():
        old_ids = list(SearchDocument.objects.filter(old).values_list("pk", flat=True))
        index.delete(old_ids)
        SearchDocument.objects.filter(pk__in=old_ids).delete()
        if documents:
            SearchDocument.objects.bulk_create(documents)
            index.write(documents)


def _posts() -> Any:
    return Post.objects.select_related("topic", "topic__story", "topic__event")


def post_index(*, post_id: int) -> None:
    """(Re)index one post: a reply, or its topic (event) when it is the opening post."""
    post = _posts().filter(pk=post_id).first()
    if post is None:
        _replace([(Kind.POST, post_id)], [], [post_id])
        return
    document = _post_document(post)
    pairs = [(Kind.POST, post_id)]
    if post.number == 1:
        pairs.append((Kind.TOPIC, post.topic_id))
    _replace(pairs, [document] if document else [], [post_id])


def topic_index(*, topic_id: int) -> None:
    """(Re)index a topic and every post in it: after a move, a merge, a retitle, a language change or a
    deletion of the topic."""
    posts = list(_posts().filter(topic_id=topic_id))
    pairs: list[tuple[str, int]] = [(Kind.TOPIC, topic_id)]
    pairs += [(Kind.POST, p.pk) for p in posts]
    event_id = Event.objects.filter(topic_id=topic_id).values_list("pk", flat=True).first()
    if event_id is not None:
        pairs.append((Kind.EVENT, event_id))
    documents = [d for d in map(_post_document, posts) if d is not None]
    _replace(pairs, documents, [p.pk for p in posts])


def story_index(*, story_id: int) -> None:
    story = Story.objects.filter(pk=story_id).first()
    document = _story_document(story) if story else None
    _replace([(Kind.STORY, story_id)], [document] if document else [], [])


def event_index(*, event_id: int) -> None:
    topic_id = Event.objects.filter(pk=event_id).values_list("topic_id", flat=True).first()
    if topic_id is None:
        _replace([(Kind.EVENT, event_id)], [], [])
        return
    topic_index(topic_id=topic_id)


def user_index(*, user_id: int) -> None:
    user = User.objects.filter(pk=user_id).first()
    document = _user_document(user) if user else None
    _replace([(Kind.USER, user_id)], [document] if document else [], [])


def _chunks(rows: Iterator[Any], build: Callable[[Any], SearchDocument | None]) -> Iterator[list[SearchDocument]]:
    batch: list[SearchDocument] = []
    for row in rows:
        document = build(row)
        if document is not None:
            batch.append(document)
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def index_rebuild(*, progress: Callable[[int], None] | None = None) -> int:
    """Empty the index and write it again from every topic, reply, published story, event and person.
    Returns how many documents it holds; `progress(count)` is called after each batch."""
    index = backend()
    with transaction.atomic():
        index.clear()
        SearchDocument.objects.all().delete()
    count = 0
    sources: list[tuple[Iterator[Any], Callable[[Any], SearchDocument | None]]] = [
        (
            _posts().filter(topic__is_message=False, deleted_at__isnull=True).order_by("pk").iterator(BATCH),
            _post_document,
        ),
        (Story.objects.filter(state=Story.State.PUBLISHED).order_by("pk").iterator(BATCH), _story_document),
        (User.objects.filter(is_active=True).order_by("pk").iterator(BATCH), _user_document),
    ]
    for rows, build in sources:
        for batch in _chunks(rows, build):
            with transaction.atomic():
                SearchDocument.objects.bulk_create(batch)
                index.write(batch)
            count += len(batch)
            if progress:
                progress(count)
    return count
