"""Notifications: what happened that a person should know about, shown in the page."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    class Kind(models.TextChoices):
        MENTIONED = "mentioned", _("mentioned you")
        GROUP_MENTIONED = "group_mentioned", _("mentioned a group you are in")
        MESSAGE = "message", _("sent you a message")
        GROUP_MESSAGE = "group_message", _("sent a message to a group you are in")
        MESSAGE_REPLY = "message_reply", _("replied to a message")
        JOIN_REQUEST = "join_request", _("asked to join a group you own")
        JOIN_ACCEPTED = "join_accepted", _("accepted your request to join")
        JOIN_DECLINED = "join_declined", _("declined your request to join")
        ADDED_TO_GROUP = "added_to_group", _("added you to a group")
        STORY_SUBMITTED = "story_submitted", _("submitted a story for review")
        STORY_WITHDRAWN = "story_withdrawn", _("took a story back to edit it")
        STORY_CLAIMED = "story_claimed", _("is reviewing your story")
        STORY_CHANGES = "story_changes", _("asked for changes to your story")
        STORY_SCHEDULED = "story_scheduled", _("scheduled your story")
        STORY_PUBLISHED = "story_published", _("published your story")
        STORY_DECLINED = "story_declined", _("declined your story")
        STORY_UNPUBLISHED = "story_unpublished", _("unpublished your story")
        STORY_COMMENT = "story_comment", _("commented on a story")
        EVENT_CHANGED = "event_changed", _("changed the time or place of an event you are going to")
        EVENT_CANCELLED = "event_cancelled", _("cancelled an event you are going to")
        EVENT_PROMOTED = "event_promoted", _("has a place for you now: you are going")
        EVENT_APPROVED = "event_approved", _("approved your place at an event")
        EVENT_DECLINED = "event_declined", _("did not approve your place at an event")
        EVENT_REQUEST = "event_request", _("asked to go to an event you organize")
        EVENT_MESSAGE = "event_message", _("sent a message about an event you are going to")
        EVENT_REMINDER = "event_reminder", _("reminds you: tomorrow, an event you are going to")
        EVENT_REMINDER_HOUR = "event_reminder_hour", _("reminds you: in an hour, an event you are going to")
        POST_HIDDEN = "post_hidden", _("Your post was hidden")
        POST_SHOWN = "post_shown", _("Your post is shown again")
        POST_APPROVED = "post_approved", _("approved your post")
        POST_REJECTED = "post_rejected", _("did not approve your post")
        POST_MOVED = "post_moved", _("moved your post")
        POST_MOD_EDITED = "post_mod_edited", _("edited your post")
        TRUST_LEVEL = "trust_level", _("Your trust level changed")
        MOD_WARNING = "mod_warning", _("sent you a warning")
        SILENCED = "silenced", _("You are silenced")
        FLAG_RESOLVED = "flag_resolved", _("Your flag was reviewed")
        REPLIED = "replied", _("replied to your post")
        QUOTED = "quoted", _("quoted your post")
        LIKED = "liked", _("liked your post")
        WATCHED_TOPIC = "watched_topic", _("started a topic where you watch")
        WATCHED_POST = "watched_post", _("replied in a topic you watch")
        SOLUTION_ACCEPTED = "solution_accepted", _("accepted your answer as the solution")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # Who did it; None for the anonymous sender of a message (never stored, so never shown).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    topic = models.ForeignKey("discuss.Topic", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    post = models.ForeignKey("discuss.Post", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    group = models.ForeignKey("agora_groups.Group", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    story = models.ForeignKey("blog.Story", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    # For event notifications (always stored with the event's topic, which reads check).
    event = models.ForeignKey("events.Event", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    occurrence = models.ForeignKey(
        "events.Occurrence", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    # What a grouped line needs beyond the actor (likes: {"count": 5, "actor_ids": [...]}).
    data = models.JSONField(default=dict, blank=True)
    # Set once the notification was mailed, or decided not to be (the mail app's sweep reads the unset ones).
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="notification_user_created"),
            # The header's "anything unread?" on every signed-in page: the unread rows only, whatever the
            # length of someone's history.
            models.Index(fields=["user"], condition=models.Q(read_at__isnull=True), name="notification_user_unread"),
            # The mail sweep: unread notifications not yet mailed, oldest first.
            models.Index(
                fields=["created_at"],
                condition=models.Q(emailed_at__isnull=True, read_at__isnull=True),
                name="notification_to_mail",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for user {self.user_id}"

    @property
    def is_unread(self) -> bool:
        return self.read_at is None

    def target_url(self) -> str:
        """Where opening the notification leads: the post, else the occurrence or topic, else the story (its
        public page once published, else its editorial desk), else the group."""
        if self.post_id is not None and self.post is not None:
            return self.post.get_absolute_url()
        if self.occurrence_id is not None and self.topic_id is not None and self.topic is not None:
            return f"{self.topic.get_absolute_url()}?occurrence={self.occurrence_id}#event"
        if self.topic_id is not None and self.topic is not None:
            return self.topic.get_absolute_url()
        if self.story_id is not None and self.story is not None:
            if self.kind == self.Kind.STORY_PUBLISHED and self.story.is_published:
                return self.story.get_absolute_url()
            return self.story.desk_url()
        if self.group_id is not None and self.group is not None:
            return self.group.get_absolute_url()
        return "/notifications"


class WatchLevel(models.IntegerChoices):
    """How closely someone follows a category, tag, topic or group (Discourse's five levels)."""

    MUTED = 0, _("Muted")
    NORMAL = 1, _("Normal")
    TRACKING = 2, _("Tracking")
    WATCHING_FIRST_POST = 3, _("Watching first post")
    WATCHING = 4, _("Watching")


class Watch(models.Model):
    """One person's level for one category, tag, topic or group (exactly one of the four is set). No row
    means Normal; rows made by activity (starting or replying to a topic) are `automatic` and never lower a
    level the person chose."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="watches")
    level = models.PositiveSmallIntegerField(choices=WatchLevel.choices, default=WatchLevel.NORMAL)
    category = models.ForeignKey("discuss.Category", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    tag = models.ForeignKey("discuss.Tag", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    topic = models.ForeignKey("discuss.Topic", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    group = models.ForeignKey("agora_groups.Group", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    automatic = models.BooleanField(default=False)
    reason = models.CharField(max_length=20, blank=True)  # "created", "replied", "mentioned", "set"
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(category__isnull=False, tag__isnull=True, topic__isnull=True, group__isnull=True)
                    | models.Q(category__isnull=True, tag__isnull=False, topic__isnull=True, group__isnull=True)
                    | models.Q(category__isnull=True, tag__isnull=True, topic__isnull=False, group__isnull=True)
                    | models.Q(category__isnull=True, tag__isnull=True, topic__isnull=True, group__isnull=False)
                ),
                name="watch_one_target",
            ),
            models.UniqueConstraint(
                fields=["user", "category"], condition=models.Q(category__isnull=False), name="watch_user_category"
            ),
            models.UniqueConstraint(
                fields=["user", "tag"], condition=models.Q(tag__isnull=False), name="watch_user_tag"
            ),
            models.UniqueConstraint(
                fields=["user", "topic"], condition=models.Q(topic__isnull=False), name="watch_user_topic"
            ),
            models.UniqueConstraint(
                fields=["user", "group"], condition=models.Q(group__isnull=False), name="watch_user_group"
            ),
        ]
        indexes = [
            # Fan-out: who watches this topic, category, tag or group at which level.
            models.Index(fields=["topic", "level"], name="watch_topic_level"),
            models.Index(fields=["category", "level"], name="watch_category_level"),
            models.Index(fields=["tag", "level"], name="watch_tag_level"),
            models.Index(fields=["group", "level"], name="watch_group_level"),
        ]

    def __str__(self) -> str:
        return f"watch {self.level} by user {self.user_id}"


class NotificationSettings(models.Model):
    """A person's choices about being told: automatic watching in the site, and email. No row means the
    defaults below (read through queries; written on the first save of the preferences page)."""

    class EmailWhen(models.TextChoices):
        NEVER = "never", _("Never")
        AWAY = "away", _("Only when I am away")
        ALWAYS = "always", _("Always")

    class Digest(models.TextChoices):
        NEVER = "never", _("Never")
        DAILY = "daily", _("Daily")
        WEEKLY = "weekly", _("Weekly")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, primary_key=True, on_delete=models.CASCADE, related_name="notification_settings"
    )
    watch_created = models.BooleanField(_("Watch the topics I start"), default=True)
    watch_replied = models.BooleanField(_("Watch the topics I reply to"), default=True)
    email_when = models.CharField(
        _("Email me about notifications"), max_length=10, choices=EmailWhen.choices, default=EmailWhen.AWAY
    )
    digest = models.CharField(_("Summary by email"), max_length=10, choices=Digest.choices, default=Digest.WEEKLY)
    mailing_list_mode = models.BooleanField(_("Mailing-list mode"), default=False)
    digest_sent_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"notification settings of user {self.user_id}"
