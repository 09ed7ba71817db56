"""The form that makes a personal API key."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ApiKey


class ApiKeyForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the key is for, so you know which to revoke (“my bot”, “wiki gadget”)."),
        widget=forms.TextInput(attrs={"dir": "auto", "autocomplete": "off"}),
    )
    scope = forms.ChoiceField(label=_("Access"), choices=ApiKey.Scope.choices, initial=ApiKey.Scope.READ)
