"""Group forms: making and editing a group, asking to join, answering requests, adding members, inviting."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from django import forms
from django.utils.translation import gettext_lazy as _

from agora.accounts.avatars import ACCEPTED_CONTENT_TYPES, process_avatar
from agora.core.text import clean_line
from agora.core.translated_names import translated

from .models import Group, JoinRequest
from .services import GROUP_FIELDS, INVITATION_DEFAULT_DAYS, INVITATION_MAX_DAYS

# /t/<slug>/<id>, /t/<slug>/<id>/<n>, /t/<id>, with or without the site's address in front.
_TOPIC_PATH = re.compile(r"^/t/(?:[^/]+/)?(\d{1,12})(?:/\d{1,9})?/?$")


def topic_id_from(value: str) -> int | None:
    """The topic id in "123" or in a topic's address; None if there is none."""
    value = value.strip()
    if value.isdigit() and len(value) <= 12:
        return int(value)
    match = _TOPIC_PATH.match(urlsplit(value).path)
    return int(match.group(1)) if match else None


class GroupChoiceField(forms.ModelChoiceField):
    """A choice of groups, each shown by its display name ("Editorial board", not editorial-board)."""

    def label_from_instance(self, obj: Group) -> str:
        return str(translated(obj, "name"))


class GroupForm(forms.ModelForm):
    """The settings owners edit. The welcome topic is given as a topic id or address."""

    avatar = forms.FileField(
        label=_("Avatar"),
        required=False,
        help_text=_("JPEG, PNG, GIF or WebP, 5 MB at most. It is cropped to a square."),
        widget=forms.FileInput(attrs={"accept": ",".join(ACCEPTED_CONTENT_TYPES)}),
    )
    remove_avatar = forms.BooleanField(label=_("Remove the avatar"), required=False)
    welcome_topic_ref = forms.CharField(
        label=_("Welcome topic"),
        required=False,
        max_length=500,
        help_text=_("The address or number of a topic in one of the group's categories, pinned on the group page."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    class Meta:
        model = Group
        fields = list(GROUP_FIELDS)
        widgets = {
            "full_name": forms.TextInput(attrs={"dir": "auto"}),
            "description": forms.Textarea(attrs={"rows": 6, "dir": "auto"}),
        }
        help_texts = {"description": _("Markdown: **bold**, *italic*, [links](https://example.org).")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not (self.instance and self.instance.avatar):
            del self.fields["remove_avatar"]
        if self.instance and self.instance.pk and self.instance.welcome_topic_id and not self.is_bound:
            self.initial["welcome_topic_ref"] = str(self.instance.welcome_topic_id)

    def clean_full_name(self):
        return clean_line(self.cleaned_data["full_name"])

    def clean_avatar(self):
        upload = self.cleaned_data.get("avatar")
        return process_avatar(upload) if upload else None

    def clean_welcome_topic_ref(self):
        raw = self.cleaned_data["welcome_topic_ref"].strip()
        if not raw:
            return None
        topic_id = topic_id_from(raw)
        if topic_id is None:
            raise forms.ValidationError(_("Give a topic's address (/t/…/123) or its number."))
        return topic_id


class GroupCreateForm(GroupForm):
    """Staff make a group: its name (its address and @handle) and first owner, then the settings."""

    name = forms.CharField(
        label=_("Name"),
        max_length=60,
        help_text=_("One word, used in the address /g/name and to @mention the group. It cannot be changed later."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "dir": "auto"}),
        validators=Group._meta.get_field("name").validators,
    )
    owner = forms.CharField(
        label=_("First owner"),
        required=False,
        max_length=150,
        help_text=_("The username of the person who will manage the group; you, if left empty."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "dir": "auto"}),
    )

    field_order = ["name", "full_name", "owner"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["welcome_topic_ref"]  # a new group has no categories yet


class JoinRequestForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the owners"),
        required=False,
        max_length=JoinRequest._meta.get_field("message").max_length,
        help_text=_("Optional: say who you are and why you would like to join."),
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
    )


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (shown to them)"),
        required=False,
        max_length=JoinRequest._meta.get_field("reason").max_length,
        widget=forms.TextInput(attrs={"dir": "auto"}),
    )

    def clean_reason(self):
        return clean_line(self.cleaned_data["reason"])


class AddMemberForm(forms.Form):
    username = forms.CharField(
        label=_("Add a member by username"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "off", "dir": "auto"}),
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=[("owner", _("Owner")), ("moderator", _("Moderator"))])
    value = forms.TypedChoiceField(choices=[("1", "1"), ("0", "0")], coerce=lambda v: v == "1")


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("Email (optional)"),
        required=False,
        help_text=_("If you give an address, the link is mailed there. Anyone holding the link can use it once."),
    )
    days = forms.IntegerField(
        label=_("Valid for (days)"),
        min_value=1,
        max_value=INVITATION_MAX_DAYS,
        initial=INVITATION_DEFAULT_DAYS,
        error_messages={
            "min_value": _("An invitation lasts at least 1 day."),
            "max_value": _("An invitation lasts %(limit_value)s days at most."),
        },
    )
