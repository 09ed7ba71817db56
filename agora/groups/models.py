"""Groups: the automatic groups every permission is granted to, and (later) groups people make."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Group(models.Model):
    """A set of people that category permissions are granted to.

    Automatic groups (everyone, members, staff, moderators, trust_level_0..4) have no
    stored members: who belongs is derived from the user's flags in permissions.py.
    """

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Everyone")
        MEMBERS = "members", _("Signed-in users")
        GROUP = "group", _("Group members only")

    class Joining(models.TextChoices):
        OPEN = "open", _("Anyone can join")
        ASK = "ask", _("Ask to join")
        INVITE = "invite", _("Invitation only")

    name = models.CharField(_("name"), max_length=60, unique=True)
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    automatic = models.BooleanField(default=False, editable=False)
    visibility = models.CharField(max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC)
    joining = models.CharField(max_length=10, choices=Joining.choices, default=Joining.INVITE)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, through="Membership", related_name="agora_groups")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    is_owner = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["group", "user"], name="unique_membership")]

    def __str__(self) -> str:
        return f"user {self.user_id} in group {self.group_id}"


# Names of the automatic groups; created by a data migration, looked up by name.
EVERYONE = "everyone"
MEMBERS = "members"
STAFF = "staff"
MODERATORS = "moderators"
TRUST_LEVELS = [f"trust_level_{n}" for n in range(5)]
AUTOMATIC_GROUPS = [EVERYONE, MEMBERS, STAFF, MODERATORS, *TRUST_LEVELS]
