"""The Django admin for people: roles (staff, moderators), trust levels, profiles, under the same
username rules as sign-up."""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from .avatars import process_avatar
from .models import User
from .usernames import normalize_username


class WikiUsernameField(forms.CharField):
    """A username as typed, normalised as on a wiki ("Jane_Doe" is "Jane Doe"); the model checks the rest."""

    def to_python(self, value):
        return normalize_username(super().to_python(value))

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "autocapitalize": "none", "autocomplete": "off", "dir": "auto"}


class AgoraUserCreationForm(AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("username", "email")
        field_classes = {"username": WikiUsernameField}


class AgoraUserChangeForm(UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User
        fields = "__all__"
        field_classes = {"username": WikiUsernameField}

    def clean_avatar(self):
        # An upload here is checked and stripped of its metadata exactly as on the preferences page.
        avatar = self.cleaned_data.get("avatar")
        if isinstance(avatar, UploadedFile):
            return process_avatar(avatar)
        return avatar


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = AgoraUserChangeForm
    add_form = AgoraUserCreationForm
    list_display = [
        "username",
        "display_name",
        "email",
        "is_staff",
        "is_moderator",
        "trust_level",
        "is_active",
        "date_joined",
        "last_seen_at",
    ]
    list_filter = ["is_staff", "is_moderator", "trust_level", "is_active", "is_superuser"]
    search_fields = ["username", "display_name", "email"]
    ordering = ["username"]
    readonly_fields = ["last_login", "date_joined", "last_seen_at"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Profile"), {"fields": ["display_name", "email", "bio", "avatar", "languages", "timezone", "location"]}),
        (_("Roles"), {"fields": ["is_active", "is_staff", "is_moderator", "trust_level"]}),
        (
            _("Django admin permissions"),
            {"classes": ["collapse"], "fields": ["is_superuser", "groups", "user_permissions"]},
        ),
        (_("Dates"), {"fields": ["last_login", "date_joined", "last_seen_at"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["username", "email", "usable_password", "password1", "password2"],
            },
        ),
    ]

    def save_model(self, request, obj, form, change):
        if "bio" in form.changed_data:
            obj.render_bio()
        super().save_model(request, obj, form, change)
