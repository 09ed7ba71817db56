"""Groups: the automatic groups every permission is granted to, and groups people make and join."""

import secrets

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# A group's name is its handle in /g/<name> and in @mentions: one word of any script.
group_name_validator = RegexValidator(
    r"^[^\W_][\w.-]*\Z",
    _("A group name is one word: letters of any script, digits, '.', '-' and '_', starting with a letter or digit."),
)


class Group(models.Model):
    """A set of people that category permissions are granted to.

    Automatic groups (everyone, members, staff, moderators, trust_level_0..4) have no
    stored members: who belongs is derived from the user's flags in permissions.py.
    """

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Everyone")
        MEMBERS = "members", _("Signed-in users")
        GROUP = "group", _("Group members only (hidden)")

    class MembersVisibility(models.TextChoices):
        PUBLIC = "public", _("Everyone who can see the group")
        MEMBERS = "members", _("Signed-in users")
        GROUP = "group", _("Group members")
        OWNERS = "owners", _("Group owners only")

    class Joining(models.TextChoices):
        OPEN = "open", _("Anyone can join")
        ASK = "ask", _("Ask to join")
        INVITE = "invite", _("Invitation only")

    class Audience(models.TextChoices):
        """Who may @mention the group, or send a message to its inbox."""

        NOBODY = "nobody", _("Nobody")
        GROUP = "group", _("Group members")
        MEMBERS = "members", _("Anyone signed in who can see the group")

    name = models.CharField(_("name"), max_length=60, unique=True, validators=[group_name_validator])
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown."))
    description_html = models.TextField(blank=True, editable=False)
    # Translations of the name and description, by language: {"ar": {"name": ..., "description": ...,
    # "description_html": ...}}, edited in the site (agora.core.translated_names).
    translations = models.JSONField(default=dict, blank=True)
    avatar = models.ImageField(_("avatar"), upload_to="groups/", blank=True)
    automatic = models.BooleanField(default=False, editable=False)
    visibility = models.CharField(
        _("who can see the group"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    members_visibility = models.CharField(
        _("who can see the members"), max_length=10, choices=MembersVisibility.choices, default=MembersVisibility.PUBLIC
    )
    joining = models.CharField(_("joining"), max_length=10, choices=Joining.choices, default=Joining.INVITE)
    mentionable = models.CharField(
        _("who can @mention the group"), max_length=10, choices=Audience.choices, default=Audience.GROUP
    )
    messageable = models.CharField(
        _("who can message the group"), max_length=10, choices=Audience.choices, default=Audience.GROUP
    )
    # A topic the owners pin to the top of the group page, for newcomers.
    welcome_topic = models.ForeignKey(
        "discuss.Topic", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    member_count = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, through="Membership", related_name="agora_groups")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return f"/g/{self.name}"

    @property
    def display_name(self) -> str:
        return self.full_name or self.name

    @property
    def avatar_class(self) -> str:
        """The colour class of the letter that stands in for a missing avatar (as for people)."""
        from agora.accounts.avatars import avatar_colour_class

        return avatar_colour_class(self.name)


class Membership(models.Model):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    # Owners manage the group; moderators (and owners) moderate the categories the group owns.
    is_owner = models.BooleanField(default=False)
    is_moderator = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["group", "user"], name="unique_membership")]

    def __str__(self) -> str:
        return f"user {self.user_id} in group {self.group_id}"


class JoinRequest(models.Model):
    """Someone asks to join an ask-to-join group; an owner accepts or declines."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for an owner")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="join_requests")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="join_requests")
    message = models.TextField(_("message to the owners"), blank=True, max_length=2000)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=500, blank=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "user"], condition=Q(status="pending"), name="one_pending_join_request"
            )
        ]

    def __str__(self) -> str:
        return f"user {self.user_id} asks to join group {self.group_id}: {self.status}"


def new_invitation_token() -> str:
    return secrets.token_urlsafe(32)


class Invitation(models.Model):
    """A link an owner sends that adds whoever accepts it (signed in) to the group, once, before it expires."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="invitations")
    token = models.CharField(max_length=64, unique=True, default=new_invitation_token, editable=False)
    email = models.EmailField(_("email"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"invitation to group {self.group_id}"

    def get_absolute_url(self) -> str:
        return f"/g/invitation/{self.token}"

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at

    @property
    def is_usable(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None and not self.is_expired


# Names of the automatic groups; created by a data migration, looked up by name.
EVERYONE = "everyone"
MEMBERS = "members"
STAFF = "staff"
MODERATORS = "moderators"
TRUST_LEVELS = [f"trust_level_{n}" for n in range(5)]
AUTOMATIC_GROUPS = [EVERYONE, MEMBERS, STAFF, MODERATORS, *TRUST_LEVELS]
