"""Mail rows: what goes out (the outbox), what came in, and the keys and ids that tie mail to posts."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutgoingMail(models.Model):
    """One message to one address, written in the transaction that decided to send it and delivered by the
    worker: retried with backoff while SMTP is down; `dedupe_key` keeps a second decision from sending twice."""

    class Status(models.TextChoices):
        QUEUED = "queued"
        SENDING = "sending"
        SENT = "sent"
        FAILED = "failed"  # gave up after the last retry
        DROPPED = "dropped"  # no longer to be sent (the reader lost access, unsubscribed, read it on the site)

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    to_address = models.CharField(max_length=254)
    kind = models.CharField(max_length=30)  # notification, digest, mailing_list, cross_post
    dedupe_key = models.CharField(max_length=200, unique=True)
    subject = models.TextField(blank=True)
    text_body = models.TextField(blank=True)
    html_body = models.TextField(blank=True)
    headers = models.JSONField(default=dict, blank=True)
    message_id = models.CharField(max_length=500, blank=True)
    # What the message is about, checked again just before sending: a reader who can no longer see the post
    # (or topic) is not mailed it (the row is DROPPED).
    topic = models.ForeignKey("discuss.Topic", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    post = models.ForeignKey("discuss.Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_until = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            # Mailing-list mode: "was this person already mailed this post?" (the notification sweep asks).
            models.Index(fields=["user", "post"], name="outgoing_mail_user_post"),
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(status__in=["queued", "sending"]),
                name="outgoing_mail_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} to {self.to_address} ({self.status})"


class ReplyKey(models.Model):
    """The per-person, per-post key in a notification's Reply-To (`replies+KEY@...`): a reply to that address
    becomes a reply in the topic as that person. Refused after AGORA_REPLY_KEY_DAYS."""

    key = models.CharField(max_length=40, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    topic = models.ForeignKey("discuss.Topic", on_delete=models.CASCADE, related_name="+")
    post = models.ForeignKey("discuss.Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "post"], name="reply_key_user_post")]

    def __str__(self) -> str:
        return f"reply key for user {self.user_id}"


class PostMail(models.Model):
    """The Message-ID a post carries in mail: its own when it arrived by mail or from an imported archive
    (kept, so mail clients thread replies to it); posts written on the site have none and get a built one."""

    class Source(models.TextChoices):
        EMAIL = "email"
        IMPORT = "import"

    post = models.OneToOneField("discuss.Post", primary_key=True, on_delete=models.CASCADE, related_name="+")
    message_id = models.CharField(max_length=500, unique=True)
    source = models.CharField(max_length=10, choices=Source.choices)

    def __str__(self) -> str:
        return self.message_id


class CategoryInbox(models.Model):
    """A category's own incoming address: mail to it starts a topic there as the sender."""

    category = models.OneToOneField("discuss.Category", primary_key=True, on_delete=models.CASCADE, related_name="+")
    address = models.CharField(max_length=254, unique=True)  # stored lower-cased

    def __str__(self) -> str:
        return self.address


class IncomingMail(models.Model):
    """A log of every message the receiver was handed, and what became of it (for moderators and tests)."""

    class Status(models.TextChoices):
        ACCEPTED = "accepted"
        REFUSED = "refused"
        FAILED = "failed"

    message_id = models.CharField(max_length=500, blank=True, db_index=True)
    sender = models.CharField(max_length=254, blank=True)
    recipient = models.CharField(max_length=254, blank=True)
    subject = models.TextField(blank=True)
    size = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=10, choices=Status.choices)
    reason = models.CharField(max_length=200, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    post = models.ForeignKey("discuss.Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-received_at", "-id"]

    def __str__(self) -> str:
        return f"{self.status} mail from {self.sender}"


class ListAddress(models.Model):
    """An external mailing list that staff chose to copy announcements to: every new topic of one category,
    or every story the blog publishes. Each is sent once to each address (the outbox's dedupe_key)."""

    address = models.EmailField(_("list address"), max_length=254)
    category = models.ForeignKey(
        "discuss.Category",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("category"),
        help_text=_("New topics in this category are sent to the list."),
    )
    blog = models.BooleanField(_("blog stories"), default=False, help_text=_("Published stories are sent to the list."))
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["address", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(category__isnull=False, blog=False) | models.Q(category__isnull=True, blog=True),
                name="list_address_one_source",
            ),
            models.UniqueConstraint(
                fields=["address", "category"], condition=models.Q(category__isnull=False), name="list_address_category"
            ),
            models.UniqueConstraint(fields=["address"], condition=models.Q(blog=True), name="list_address_blog"),
        ]

    def __str__(self) -> str:
        return self.address
