"""Discuss: categories with their grants, tags, topics made of posts, likes, bookmarks, read state."""

import unicodedata
from urllib.parse import quote

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agora.groups.models import Group


def make_slug(text: str, fallback: str = "topic", max_length: int = 80) -> str:
    """A URL slug that keeps every script readable (Discourse 'encoded' slugs): letters, digits and the
    combining marks on them (Indic vowel signs and viramas, Thai vowels, Hebrew points, Arabic harakat),
    lowercased; any run of anything else is one hyphen. Never holds "/", "%" or control characters."""
    text = unicodedata.normalize("NFC", unicodedata.normalize("NFKC", text).lower())
    chars: list[str] = []
    on_letter = False  # a mark counts only on a letter or digit, not on a hyphen (emoji variation selectors)
    for char in text:
        kind = unicodedata.category(char)
        if kind[0] in "LN" or (kind[0] == "M" and on_letter):
            chars.append(char)
            on_letter = True
        elif kind == "Cf":  # invisible: zero-width joiners, soft hyphens, bidi controls
            continue
        else:
            if chars and chars[-1] != "-":
                chars.append("-")
            on_letter = False
    # Cut at max_length, but not between a letter and its marks, nor just after a virama.
    cut = max_length
    while 0 < cut < len(chars) and (
        unicodedata.category(chars[cut])[0] == "M" or unicodedata.combining(chars[cut - 1]) == 9
    ):
        cut -= 1
    return "".join(chars[:cut]).strip("-") or fallback


def validate_slug_any_script(value: str) -> None:
    """A slug of letters (with their combining marks), digits and hyphens of any script: what
    make_slug writes, so a Hindi category can have a Hindi slug in the admin too."""
    from django.core.exceptions import ValidationError

    if not value or value != make_slug(value, fallback=""):
        raise ValidationError(
            _("Use lowercase letters of any script, digits and single hyphens, such as %(example)s."),
            params={"example": make_slug(value) or "ask-here"},
            code="invalid_slug",
        )


class Colour(models.TextChoices):
    """A fixed palette: colours are CSS classes, so no inline style is needed under our CSP."""

    BLUE = "blue", _("Blue")
    GREEN = "green", _("Green")
    RED = "red", _("Red")
    ORANGE = "orange", _("Orange")
    PURPLE = "purple", _("Purple")
    TEAL = "teal", _("Teal")
    PINK = "pink", _("Pink")
    BROWN = "brown", _("Brown")
    GREY = "grey", _("Grey")
    YELLOW = "yellow", _("Yellow")


class Category(models.Model):
    name = models.CharField(_("name"), max_length=80)
    slug = models.CharField(_("slug"), max_length=80, unique=True, validators=[validate_slug_any_script])
    description = models.TextField(_("description"), blank=True)
    color = models.CharField(_("colour"), max_length=10, choices=Colour.choices, default=Colour.BLUE)
    position = models.IntegerField(_("position"), default=0)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="subcategories")
    accepts_solutions = models.BooleanField(_("questions can be marked solved"), default=False)
    # Topics here may be events (a time and a place), created by people at AGORA_EVENT_MIN_TRUST_LEVEL.
    allows_events = models.BooleanField(_("topics can be events"), default=False)
    default_language = models.CharField(max_length=20, blank=True)
    # Translations of the name and description, by language: {"ar": {"name": ..., "description": ...}},
    # edited in the site; pages show the reader's.
    translations = models.JSONField(default=dict, blank=True)
    # The group whose space this is: its owners and moderators moderate here, and its page lists it.
    group = models.ForeignKey(
        Group,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_categories",
        verbose_name=_("owned by group"),
    )
    # Counters kept on the row, updated in the same transaction as the write.
    topic_count = models.PositiveIntegerField(default=0, editable=False)
    post_count = models.PositiveIntegerField(default=0, editable=False)

    # Set by discuss.queries.categories_for_index, never stored.
    visible_subcategories: list["Category"]

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return f"/c/{self.slug}"

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.parent_id and self.parent and self.parent.parent_id:
            raise ValidationError(_("Subcategories have one level only."))
        if self.parent_id and self.pk and Category.objects.filter(parent_id=self.pk).exists():
            raise ValidationError(_("A category with subcategories cannot become a subcategory."))
        if self.parent_id and self.parent_id == self.pk:
            raise ValidationError(_("A category cannot be its own parent."))


class CategoryGrant(models.Model):
    """A group's right in a category. Levels are cumulative: create implies reply implies see."""

    class Level(models.IntegerChoices):
        SEE = 1, _("See")
        REPLY = 2, _("See and reply")
        CREATE = 3, _("See, reply and create topics")

    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="grants")
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="category_grants")
    level = models.PositiveSmallIntegerField(choices=Level.choices, default=Level.CREATE)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["category", "group"], name="unique_category_grant")]

    def __str__(self) -> str:
        return f"{self.group_id} → {self.category_id}: {self.get_level_display()}"


class Tag(models.Model):
    # Tags are lowercase, one word of any script (so they sit in /tag/<name> and in a comma list).
    name = models.CharField(
        _("name"),
        max_length=40,
        unique=True,
        validators=[RegexValidator(r"^[^\s/,%\\]+$", _("A tag is one word: no spaces, commas, slashes, %% or \\."))],
    )
    description = models.CharField(_("description"), max_length=200, blank=True)
    # Translations of the tag's label and description, by language: {"ar": {"name": ..., "description": ...}}.
    # The tag's name stays its address; the label is what readers of that language see.
    translations = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name = self.name.strip().lower()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return f"/tag/{quote(self.name)}"


class Topic(models.Model):
    title = models.CharField(_("title"), max_length=255)
    slug = models.CharField(max_length=80)
    # A private message has no category: its participants and groups (below) say who sees it.
    category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.PROTECT, related_name="topics")
    is_message = models.BooleanField(default=False)
    # A message to a group's inbox sent anonymously: the group sees the content, never the sender.
    anonymous = models.BooleanField(default=False)
    tags = models.ManyToManyField(Tag, blank=True, related_name="topics")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="topics")
    language = models.CharField(_("language"), max_length=20, default="en")
    # The same topic in another language: every translation points at one original (never a chain),
    # in another language than it and than its other translations (discuss.services checks).
    translation_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="translations"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    bumped_at = models.DateTimeField(default=timezone.now)
    last_posted_at = models.DateTimeField(default=timezone.now)
    last_poster = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    # Counters kept on the row. posts_count counts the live posts, the opening one included.
    posts_count = models.PositiveIntegerField(default=0)
    reply_count = models.PositiveIntegerField(default=0)
    highest_post_number = models.PositiveIntegerField(default=0)
    like_count = models.PositiveIntegerField(default=0)
    views = models.PositiveIntegerField(default=0)
    pinned_globally = models.BooleanField(default=False)
    pinned_at = models.DateTimeField(null=True, blank=True)
    closed = models.BooleanField(default=False)
    archived = models.BooleanField(default=False)
    unlisted = models.BooleanField(default=False)
    solution_post = models.ForeignKey("Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    deleted_at = models.DateTimeField(null=True, blank=True)
    # A brand-new member's first topic held for a moderator's approval: seen by its author and the
    # moderators only (not listed, not counted) until approved.
    pending_approval = models.BooleanField(default=False)
    # Merged into another topic by a moderator (discuss.topic_tools): this one is deleted, and its
    # address sends readers to that one.
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # Some posts moved out of this topic: its old post addresses are looked up in PostMove (only then,
    # so the topic page of every other topic costs no query for it).
    posts_moved_out = models.BooleanField(default=False)

    # Set per viewer by discuss.queries.read_state, never stored.
    unread: int
    seen: bool
    first_unread: int
    # Set per viewer by discuss.messages.annotate_inbox, never stored.
    people: list
    group_names: list[str]
    last_person: object

    class Meta:
        indexes = [
            # /latest orders by (pinned_globally, bumped_at, id): one index serves it without a sort.
            models.Index(fields=["-pinned_globally", "-bumped_at", "-id"], name="topic_latest"),
            models.Index(fields=["category", "-bumped_at"], name="topic_category_bumped"),
            models.Index(fields=["-like_count"], name="topic_likes"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(is_message=True, category__isnull=True)
                | models.Q(is_message=False, category__isnull=False),
                name="topic_message_has_no_category",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return f"/t/{self.slug}/{self.pk}"

    @property
    def is_pinned(self) -> bool:
        return self.pinned_at is not None


class HiddenReason(models.TextChoices):
    FLAGS = "flags", _("hidden by members' flags, pending review")
    MODERATOR = "moderator", _("hidden by a moderator")


class PostAction(models.TextChoices):
    """A "small action" post: a notice a moderator's tool leaves in a topic, shown as one grey line."""

    MOVED = "moved", _("moved posts")
    MERGED = "merged", _("merged a topic")


class Post(models.Model):
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="posts")
    number = models.PositiveIntegerField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="posts")
    raw = models.TextField()
    html = models.TextField(editable=False)
    reply_to_number = models.PositiveIntegerField(null=True, blank=True)
    # Written by the anonymous sender of a message: shown without a name to everyone but the sender.
    anonymous = models.BooleanField(default=False)
    # BCP 47; empty means the topic's language (a French reply in an Arabic topic says so).
    language = models.CharField(_("language"), max_length=20, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)
    like_count = models.PositiveIntegerField(default=0)
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Hidden pending review (by flags, or by a moderator): its author and moderators read it, everyone
    # else sees that it is hidden. Unlike a deletion it keeps its place and counts.
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_reason = models.CharField(max_length=20, blank=True, choices=HiddenReason.choices)
    # A brand-new account's first post held for a moderator's approval: seen by its author and the
    # moderators only until approved.
    pending_approval = models.BooleanField(default=False)
    # A wiki post: members from trust level 1 may edit it. Locked: only moderators may edit it.
    wiki = models.BooleanField(default=False)
    locked = models.BooleanField(default=False)
    # Not empty: a notice left by a moderator's tool (PostAction), not something someone wrote.
    action = models.CharField(max_length=20, blank=True, default="", choices=PostAction.choices)
    # A moderator has edited someone else's post: the post says so (its revisions say which edit).
    mod_edited = models.BooleanField(default=False)

    # Set per viewer by discuss.queries.viewer_post_state and the topic view, never stored.
    liked: bool
    bookmarked: bool
    bookmark_note: str
    can_edit: bool
    can_delete: bool
    can_restore: bool
    can_like: bool
    show_deleted: bool
    own_anonymous: bool
    show_hidden: bool

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["topic", "number"], name="unique_post_number")]
        indexes = [models.Index(fields=["user", "-created_at"], name="post_user_created")]

    def __str__(self) -> str:
        return f"{self.topic_id}#{self.number}"

    def get_absolute_url(self) -> str:
        return f"/t/{self.topic.slug}/{self.topic_id}/{self.number}"

    @property
    def lang(self) -> str:
        return self.language or self.topic.language

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class PostRevision(models.Model):
    """What a post (and, for post 1, the topic title) said before an edit; version N's text."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    raw = models.TextField()
    title = models.CharField(max_length=255, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    # The edit that replaced this version was a moderator's, on someone else's post.
    by_moderator = models.BooleanField(default=False)

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["post", "number"], name="unique_revision_number")]

    def __str__(self) -> str:
        return f"post {self.post_id} v{self.number}"


class PostMove(models.Model):
    """Where a moved post used to be: its old address (/t/<slug>/<old topic>/<old number>) redirects to
    where it is now. Post numbers are never reused in a topic, so the old place is unique."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="moves")
    old_topic_id = models.PositiveBigIntegerField()
    old_number = models.PositiveIntegerField()
    moved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["old_topic_id", "old_number"], name="unique_post_move")]

    def __str__(self) -> str:
        return f"{self.old_topic_id}#{self.old_number} → post {self.post_id}"


class PostLike(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="likes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="likes")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "user"], name="unique_like")]
        indexes = [models.Index(fields=["user", "-created_at"], name="like_user_created")]

    def __str__(self) -> str:
        return f"user {self.user_id} likes post {self.post_id}"


class Bookmark(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="bookmarks")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bookmarks")
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "user"], name="unique_bookmark")]

    def __str__(self) -> str:
        return f"user {self.user_id} bookmarked post {self.post_id}"


class TopicUser(models.Model):
    """A user's read state in a topic: the highest post number they have seen."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="readers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    last_read_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["topic", "user"], name="unique_topic_user")]

    def __str__(self) -> str:
        return f"user {self.user_id} read topic {self.topic_id} to #{self.last_read_number}"


class MessageParticipant(models.Model):
    """A person a private message is addressed to (the sender included)."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="message_participations")
    # The sender of an anonymous message: others in the conversation never see who this is.
    anonymous = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["topic", "user"], name="unique_message_participant")]

    def __str__(self) -> str:
        return f"user {self.user_id} in message {self.topic_id}"


class MessageGroup(models.Model):
    """A group whose inbox a private message is in: every member of the group sees it."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="message_groups")
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="messages")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["topic", "group"], name="unique_message_group")]

    def __str__(self) -> str:
        return f"message {self.topic_id} to group {self.group_id}"


class IdempotencyKey(models.Model):
    """The key a composer (or an API client) sent with a write that made a post: the same key from the same
    person again (a retried submit whose response was lost) gets this post back instead of a second one.
    Written in the post's transaction; pruned after IDEMPOTENCY_KEY_HOURS by a timed job."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.UUIDField()
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="unique_idempotency_key")]

    def __str__(self) -> str:
        return f"key {self.key} of user {self.user_id}"
