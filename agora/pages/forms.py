"""Forms of the site pages: a staff edit, a member's acceptance, and sign-up with the code of conduct."""

from __future__ import annotations

from django import forms
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from agora.accounts.forms import SignupForm as AccountSignupForm

from . import queries, services
from .models import CODE_OF_CONDUCT, SitePage


class PageForm(forms.ModelForm):
    raise_version = forms.BooleanField(
        label=_("This is a change members must accept again"),
        required=False,
        help_text=_(
            "Every member is asked to read and accept the code again at their next visit. "
            "Leave it unticked for a typo or a clearer wording."
        ),
    )
    note = forms.CharField(
        label=_("What changed"),
        max_length=500,
        required=False,
        help_text=_("Kept in the history; members asked to accept again see it."),
    )

    class Meta:
        model = SitePage
        fields = ["title", "raw"]
        widgets = {
            "title": forms.TextInput(attrs={"dir": "auto"}),
            "raw": forms.Textarea(attrs={"rows": 24, "dir": "auto"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.slug != CODE_OF_CONDUCT:
            del self.fields["raise_version"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("raise_version") and not (cleaned.get("note") or "").strip():
            self.add_error("note", _("Say in a line what changed: members asked to accept again read it."))
        return cleaned


class TranslationForm(forms.Form):
    """A staff translation of a page: its title and text in the language, and a line for the history."""

    title = forms.CharField(label=_("Title"), max_length=200, widget=forms.TextInput(attrs={"dir": "auto"}))
    raw = forms.CharField(label=_("Text (Markdown)"), widget=forms.Textarea(attrs={"rows": 24, "dir": "auto"}))
    note = forms.CharField(
        label=_("What changed"), max_length=500, required=False, help_text=_("Kept in the translation's history.")
    )

    def __init__(self, *args, language: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if language:  # the text's own language, for fonts, spelling and direction (dir="auto")
            for name in ("title", "raw"):
                self.fields[name].widget.attrs["lang"] = language


class AcceptForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


def _code_link() -> str:
    return format_html(
        '<a href="/{}" target="_blank">{}</a>', CODE_OF_CONDUCT, _("Read the code of conduct (opens a new tab)")
    )


class SignupForm(AccountSignupForm):
    """Sign-up (accounts' form) with the code of conduct to accept, recorded with its version."""

    accept_code_of_conduct = forms.BooleanField(
        label=_("I have read the code of conduct and agree to follow it"),
        required=True,
        error_messages={"required": _("To join, please read the code of conduct and tick this box.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["accept_code_of_conduct"].help_text = _code_link()

    def signup(self, request, user) -> None:
        # allauth calls this once the account is saved (custom_signup), in the same request.
        services.coc_accept(user=user, version=queries.current_code_version())
