"""The blog: stories by the movement, their editorial life, and the discussion topic each one opens."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agora.discuss.models import Tag, Topic, validate_slug_any_script


class BlogCategory(models.Model):
    """A section of the blog (Community, Technology, Events...): lists and feeds by section."""

    name = models.CharField(_("name"), max_length=80)
    slug = models.CharField(_("slug"), max_length=80, unique=True, validators=[validate_slug_any_script])
    description = models.TextField(_("description"), blank=True)
    position = models.IntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = _("blog categories")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return f"/blog/category/{self.slug}"


class Series(models.Model):
    """A newsletter or a recurring column: its own page and feed."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.CharField(_("slug"), max_length=80, unique=True, validators=[validate_slug_any_script])
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = _("series")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return f"/blog/series/{self.slug}"


class Story(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        IN_REVIEW = "in_review", _("In review")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        SCHEDULED = "scheduled", _("Approved and scheduled")
        PUBLISHED = "published", _("Published")
        DECLINED = "declined", _("Declined")
        UNPUBLISHED = "unpublished", _("Unpublished")

    class Kind(models.TextChoices):
        NEWS = "news", _("News")
        PROJECT_UPDATE = "project_update", _("Project update")
        EVENT_REPORT = "event_report", _("Event report")
        INTERVIEW = "interview", _("Interview")
        COMMUNITY_PROFILE = "community_profile", _("Community profile")
        ANNOUNCEMENT = "announcement", _("Announcement")
        NEWSLETTER = "newsletter", _("Newsletter issue")

    title = models.CharField(_("title"), max_length=255)
    # Unique once published; drafts get one on creation so their preview URL is stable.
    slug = models.CharField(max_length=120, unique=True)
    # A draft may lack its lead and body (it is saved as it is written); submitting requires both.
    lead = models.TextField(
        _("lead"), max_length=1000, blank=True, help_text=_("One or two sentences that make people read on.")
    )
    body = models.TextField(_("body"), blank=True, help_text=_("Markdown."))
    body_html = models.TextField(editable=False, blank=True)
    cover = models.ImageField(_("cover image"), upload_to="blog/", blank=True)
    cover_credit = models.CharField(_("cover credit"), max_length=200, blank=True)
    cover_licence = models.CharField(_("cover licence"), max_length=100, blank=True)
    language = models.CharField(_("language"), max_length=20, default="en")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.NEWS)
    series = models.ForeignKey(Series, null=True, blank=True, on_delete=models.SET_NULL, related_name="stories")
    categories = models.ManyToManyField(BlogCategory, blank=True, related_name="stories")
    tags = models.ManyToManyField(Tag, blank=True, related_name="stories")
    authors = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="stories")
    # The group the story speaks for (an affiliate, a project team): the group's page lists it.
    group = models.ForeignKey(
        "agora_groups.Group", null=True, blank=True, on_delete=models.SET_NULL, related_name="stories"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The same story in another language: every translation points at one original.
    translation_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="translations"
    )
    note_to_editors = models.TextField(_("note to the editors"), blank=True)
    state = models.CharField(max_length=20, choices=State.choices, default=State.DRAFT, db_index=True)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    featured = models.BooleanField(default=False)
    scheduled_at = models.DateTimeField(null=True, blank=True, db_index=True)
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    decline_reason = models.TextField(blank=True)
    # The discussion topic publishing opens; its replies are the story's comments.
    topic = models.OneToOneField(Topic, null=True, blank=True, on_delete=models.SET_NULL, related_name="story")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    # The number of the next revision (revisions keep what the story said before an edit).
    version = models.PositiveIntegerField(default=1)
    # Moves on with every save of the text or settings, and says by whom: an edit made on a copy that
    # someone else has changed since is refused instead of overwriting their words.
    edit_seq = models.PositiveIntegerField(default=0)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A linked entry (an affiliate's blog post brought in by agora.syndication): the original's address,
    # the site it appeared on and its author's name there. The story holds only a short excerpt; pages
    # name the source and link to it.
    external_url = models.URLField(_("original address"), max_length=1000, blank=True)
    source_name = models.CharField(_("source"), max_length=200, blank=True)
    source_author = models.CharField(_("author at the source"), max_length=200, blank=True)

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name_plural = _("stories")

    # States in which the authors may still edit, send, and autosave.
    AUTHOR_EDITABLE = frozenset({State.DRAFT, State.CHANGES_REQUESTED})
    # The editorial life: each move, who makes it, and the states it starts from. The services check
    # it, permissions.can_story answers from it, and the desk shows the buttons it allows.
    MOVES: dict[str, tuple[str, frozenset[str]]] = {
        "submit": ("author", AUTHOR_EDITABLE),
        "withdraw": ("author", frozenset({State.SUBMITTED})),
        "delete": ("author", frozenset({State.DRAFT})),
        "claim": ("editor", frozenset({State.SUBMITTED, State.IN_REVIEW})),
        "request_changes": ("editor", frozenset({State.SUBMITTED, State.IN_REVIEW, State.SCHEDULED})),
        "schedule": ("editor", frozenset({State.SUBMITTED, State.IN_REVIEW, State.SCHEDULED})),
        "publish": ("editor", frozenset({State.SUBMITTED, State.IN_REVIEW, State.SCHEDULED, State.UNPUBLISHED})),
        "decline": (
            "editor",
            frozenset({State.SUBMITTED, State.IN_REVIEW, State.CHANGES_REQUESTED, State.SCHEDULED}),
        ),
        "unpublish": ("editor", frozenset({State.PUBLISHED})),
        "feature": ("editor", frozenset({State.PUBLISHED})),
    }

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return f"/blog/{self.slug}"

    def desk_url(self) -> str:
        """The story's editorial desk: its state, history, editorial comments and the buttons that move it."""
        return f"/blog/stories/{self.pk}"

    @property
    def is_linked(self) -> bool:
        """A linked entry: its text lives on another site (external_url), the story is its excerpt."""
        return bool(self.external_url)

    @property
    def is_published(self) -> bool:
        return self.state == self.State.PUBLISHED

    @property
    def missing_for_submission(self) -> list[str]:
        """What the story still needs before the editors can read it (names of empty fields)."""
        return [name for name in ("title", "lead", "body") if not getattr(self, name).strip()]


class StoryRevision(models.Model):
    """What a story said before an edit (by its author or an editor)."""

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=255)
    lead = models.TextField()
    body = models.TextField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["story", "number"], name="unique_story_revision")]

    def __str__(self) -> str:
        return f"story {self.story_id} v{self.number}"


class StoryImage(models.Model):
    """A picture uploaded for a story's body (checked and re-encoded like the cover); the body shows it
    with Markdown, put at the end when it is uploaded, for the writer to move where it belongs."""

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(upload_to="blog/images/")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.image.name


class StoryEvent(models.Model):
    """One change of state: who moved the story from what to what, and why."""

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="events")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    from_state = models.CharField(max_length=20, choices=Story.State.choices)
    to_state = models.CharField(max_length=20, choices=Story.State.choices)
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"story {self.story_id}: {self.from_state} → {self.to_state}"


class EditorialComment(models.Model):
    """A comment between the story's authors and the editors, never shown to readers."""

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="editorial_comments")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    raw = models.TextField()
    html = models.TextField(editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"comment on story {self.story_id}"


class ImportedItem(models.Model):
    """What an import made from a source item (a WordPress post or comment), so a re-run changes nothing."""

    source = models.CharField(max_length=200)  # e.g. "wxr:https://blog.example.org"
    key = models.CharField(max_length=200)  # the item's id in the source
    story = models.ForeignKey(Story, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    post = models.ForeignKey("discuss.Post", null=True, blank=True, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "key"], name="unique_imported_item")]

    def __str__(self) -> str:
        return f"{self.source} {self.key}"
