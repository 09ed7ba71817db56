"""Notification forms: a watching level for one place, and the automatic-watching choices."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import NotificationSettings, WatchLevel

TARGETS = [("topic", "topic"), ("category", "category"), ("tag", "tag"), ("group", "group")]


class WatchForm(forms.Form):
    """What to watch (a kind and its key: a topic's id, a category's slug, a tag's or group's name), and
    at which level."""

    target = forms.ChoiceField(choices=TARGETS)
    key = forms.CharField(max_length=200)
    level = forms.TypedChoiceField(label=_("Notifications"), choices=WatchLevel.choices, coerce=int)
    next = forms.CharField(required=False, max_length=2000)


class NotificationSettingsForm(forms.ModelForm):
    class Meta:
        model = NotificationSettings
        fields = ["watch_created", "watch_replied"]
        help_texts = {
            "watch_created": _("You are told about every reply in the topics you start."),
            "watch_replied": _("Otherwise they are only tracked: their new replies are counted in lists."),
        }
