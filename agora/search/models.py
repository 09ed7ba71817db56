"""The search index: one row per searchable thing (topic, post, story, event, person).

A row holds what was found at indexing time (title, plain text, language, date); who may see it and
where it lives now are read from the live rows at query time (search.queries), so a moved, deleted or
privatised thing is right at once, before the worker reindexes it. The backends keep a full-text table
in step with these rows (search.backends)."""

from django.db import models


class SearchDocument(models.Model):
    class Kind(models.TextChoices):
        TOPIC = "topic"  # a topic's title and opening post
        POST = "post"  # a reply
        STORY = "story"
        EVENT = "event"  # an event's topic: title, place and opening post
        USER = "user"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField()  # the Topic, Post, Story, Event or User
    post_id = models.PositiveBigIntegerField(null=True, blank=True)  # the post read, for topics, posts, events
    topic_id = models.PositiveBigIntegerField(null=True, blank=True, db_index=True)
    # The author when shown (never for an anonymous post), for `@name` and `in:mine`.
    user_id = models.PositiveBigIntegerField(null=True, blank=True)
    language = models.CharField(max_length=20, blank=True)
    title = models.CharField(max_length=255, blank=True)
    body = models.TextField(blank=True)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="search_document_unique")]
        indexes = [models.Index(fields=["-created_at"], name="search_document_recent")]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}"
