"""People: the user row with its profile, roles and trust level."""

from urllib.parse import quote

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .usernames import (
    CANONICAL_MAX_LENGTH,
    MAX_LENGTH,
    SKELETON_MAX_LENGTH,
    USERNAME_VALIDATORS,
    canonical_username,
    check_username_available,
    normalize_username,
    username_skeleton,
)


class AgoraUserManager(UserManager):
    def get_by_natural_key(self, username):
        return self.get(username_canonical=canonical_username(username))


class TrustLevel(models.IntegerChoices):
    """Discourse's trust levels; each is also an automatic group that categories grant to."""

    NEW = 0, _("0: new user")
    BASIC = 1, _("1: basic user")
    MEMBER = 2, _("2: member")
    REGULAR = 3, _("3: regular")
    LEADER = 4, _("4: leader")


class User(AbstractUser):
    """A person. Usernames follow wiki rules: any script, spaces allowed, unique after folding.

    Roles: staff (is_staff, the Django admin), moderators (is_moderator) and members (everyone else).
    """

    username = models.CharField(
        _("username"),
        max_length=MAX_LENGTH,
        unique=True,
        validators=USERNAME_VALIDATORS,
        help_text=_("Letters of any script, digits, spaces, parentheses, hyphens and dots."),
        error_messages={"unique": _("A user with that username already exists.")},
    )
    # NFKC + casefold: what uniqueness is judged on.
    username_canonical = models.CharField(max_length=CANONICAL_MAX_LENGTH, unique=True, editable=False)
    # Confusable skeleton (Unicode TR39 style): look-alikes of an existing name share it.
    username_skeleton = models.CharField(max_length=SKELETON_MAX_LENGTH, db_index=True, editable=False)
    display_name = models.CharField(_("display name"), max_length=100, blank=True)
    bio = models.TextField(_("about me"), blank=True, max_length=3000)
    bio_html = models.TextField(blank=True, editable=False)
    avatar = models.ImageField(_("avatar"), upload_to="avatars/", blank=True)
    languages = models.CharField(
        _("preferred languages"),
        max_length=200,
        blank=True,
        help_text=_("Language codes in order of preference, separated by commas, such as: fr, en, ar"),
    )
    # The interface language chosen here; empty: the first of `languages` the site offers, then the
    # browser's (Accept-Language), then the site's default.
    interface_language = models.CharField(_("interface language"), max_length=20, blank=True)
    timezone = models.CharField(_("time zone"), max_length=64, blank=True, default="")
    location = models.CharField(_("location"), max_length=100, blank=True)
    trust_level = models.PositiveSmallIntegerField(_("trust level"), choices=TrustLevel.choices, default=TrustLevel.NEW)
    is_moderator = models.BooleanField(
        _("moderator"),
        default=False,
        help_text=_("Moderators pin, close, archive and unlist topics, and edit, delete and restore posts."),
    )
    # A level set by hand (staff) stays: promotion and demotion leave it alone.
    trust_level_locked = models.BooleanField(_("trust level locked"), default=False)
    # Silenced: reads, cannot post, reply, message or flag until then. Suspended: cannot sign in.
    silenced_until = models.DateTimeField(_("silenced until"), null=True, blank=True)
    silence_reason = models.TextField(_("reason for the silence"), blank=True)
    suspended_until = models.DateTimeField(_("suspended until"), null=True, blank=True)
    suspend_reason = models.TextField(_("reason for the suspension"), blank=True)
    # Seen by staff only (moderator tools): where the account was made from and last used from.
    registration_ip = models.GenericIPAddressField(null=True, blank=True, editable=False)
    last_ip = models.GenericIPAddressField(null=True, blank=True, editable=False)
    last_seen_at = models.DateTimeField(null=True, blank=True)

    objects = AgoraUserManager()

    class Meta:
        ordering = ["username"]

    @classmethod
    def normalize_username(cls, username):
        # Django's default is NFKC; we store what was typed (NFC) and judge uniqueness on NFKC.
        return normalize_username(username)

    def clean(self):
        super().clean()
        if self.username:
            try:
                check_username_available(self.username, exclude_pk=self.pk)
            except ValidationError as error:
                raise ValidationError({"username": error}) from None

    def save(self, *args, **kwargs):
        self.username_canonical = canonical_username(self.username)
        self.username_skeleton = username_skeleton(self.username)
        # allauth stores and looks up addresses in lower case; a mixed-case one here would slip
        # past its one-account-per-address check.
        self.email = (self.email or "").strip().lower()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "username" in update_fields:
            kwargs["update_fields"] = {*update_fields, "username_canonical", "username_skeleton"}
        super().save(*args, **kwargs)

    def __str__(self) -> str:
        return self.username

    def render_bio(self) -> None:
        """Render the Markdown bio to sanitised HTML once, at save; pages only show bio_html."""
        from agora.core.markdown import render_markdown

        self.bio_html = render_markdown(self.bio)

    @property
    def name(self) -> str:
        return self.display_name or self.username

    @property
    def url_name(self) -> str:
        """The username as it stands in a URL: spaces become underscores, as on a wiki."""
        return quote(self.username.replace(" ", "_"), safe="")

    def get_absolute_url(self) -> str:
        return f"/u/{self.url_name}"

    @property
    def is_silenced(self) -> bool:
        return self.silenced_until is not None and self.silenced_until > timezone.now()

    @property
    def is_suspended(self) -> bool:
        return self.suspended_until is not None and self.suspended_until > timezone.now()

    @property
    def is_staff_or_moderator(self) -> bool:
        return self.is_staff or self.is_moderator

    @property
    def avatar_class(self) -> str:
        from .avatars import avatar_colour_class

        return avatar_colour_class(self.username)

    @property
    def language_list(self) -> list[str]:
        return [code.strip() for code in self.languages.split(",") if code.strip()]
