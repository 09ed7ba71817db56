"""Account forms: the preferences form (profile fields, avatar, languages, time zone) and allauth's
log-in and sign-up forms with our labels."""

import re

from allauth.account import forms as allauth_forms
from allauth.core import context as allauth_context
from allauth.socialaccount import forms as social_forms
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from agora.core.rate_limits import client_ip, wait_text
from agora.core.text import clean_line
from agora.core.when import zone_choices

from .avatars import ACCEPTED_CONTENT_TYPES, process_avatar
from .models import User
from .queries import signup_wait_seconds
from .usernames import MAX_LENGTH, MIN_LENGTH

# RFC 5646 (BCP 47) language tags: language[-extlang][-script][-region][-variant]*[-extension]*[-x-private].
# Primary subtags of 4 to 8 letters are reserved, none is registered: "english" is refused.
_LANGUAGE_TAG = re.compile(
    r"""^[a-z]{2,3}(?:-[a-z]{3}){0,3}                  # language, extended language subtags
    (?:-[a-z]{4})?                                   # script
    (?:-(?:[a-z]{2}|[0-9]{3}))?                      # region
    (?:-(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*         # variants
    (?:-[0-9a-wyz](?:-[a-z0-9]{2,8})+)*              # extensions
    (?:-x(?:-[a-z0-9]{1,8})+)?$                      # private use
    """,
    re.IGNORECASE | re.VERBOSE | re.ASCII,
)


def normalize_language_tag(tag: str) -> str | None:
    """The tag in its conventional case (zh-Hant-TW, sr-Latn, es-419), or None if it is not BCP 47."""
    tag = tag.strip().replace("_", "-")
    if not _LANGUAGE_TAG.match(tag):
        return None
    parts = tag.lower().split("-")
    out = [parts[0]]
    singleton = False
    for part in parts[1:]:
        if len(part) == 1:
            singleton = True
        if not singleton and len(part) == 4 and part.isalpha():
            part = part.title()
        elif not singleton and len(part) == 2 and part.isalpha():
            part = part.upper()
        out.append(part)
    return "-".join(out)


def timezone_choices() -> list[tuple[str, str]]:
    """The IANA time zones Python knows, by name, with their city and country in the reader's language."""
    return zone_choices()


class ProfileForm(forms.ModelForm):
    avatar = forms.FileField(
        label=_("Avatar"),
        required=False,
        help_text=_("JPEG, PNG, GIF or WebP, 5 MB at most. It is cropped to a square."),
        widget=forms.FileInput(attrs={"accept": ",".join(ACCEPTED_CONTENT_TYPES)}),
    )
    remove_avatar = forms.BooleanField(label=_("Remove my avatar"), required=False)
    timezone = forms.ChoiceField(label=_("Time zone"), required=False)
    interface_language = forms.ChoiceField(
        label=_("Interface language"),
        required=False,
        help_text=_("Automatic: the first of your languages the site is offered in, else your browser's."),
    )

    class Meta:
        model = User
        fields = ["display_name", "bio", "languages", "interface_language", "timezone", "location"]
        widgets = {
            "display_name": forms.TextInput(attrs={"dir": "auto", "autocomplete": "name"}),
            "bio": forms.Textarea(attrs={"rows": 6, "dir": "auto"}),
            "languages": forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
            "location": forms.TextInput(attrs={"dir": "auto"}),
        }
        help_texts = {
            "bio": _("Markdown: **bold**, *italic*, [links](https://example.org)."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["timezone"].choices = [("", _("Not set")), *timezone_choices()]
        # Each language named in itself, so a reader lost in a language they do not read finds theirs.
        offered = list(settings.LANGUAGES)
        self.fields["interface_language"].choices = [("", _("Automatic")), *offered]
        if self.instance and self.instance.interface_language not in dict(offered):
            # A language since dropped below the translation threshold reads as automatic, as it works.
            self.initial["interface_language"] = ""
        if not (self.instance and self.instance.avatar):
            del self.fields["remove_avatar"]

    def clean_display_name(self):
        return clean_line(self.cleaned_data["display_name"])

    def clean_location(self):
        return clean_line(self.cleaned_data["location"])

    def clean_languages(self):
        raw = [c for c in re.split(r"[,;\s]+", self.cleaned_data["languages"]) if c]
        tags = [normalize_language_tag(c) for c in raw]
        bad = [c for c, tag in zip(raw, tags, strict=True) if tag is None]
        if bad:
            raise forms.ValidationError(
                _("Not a language code: %(codes)s. Use codes such as fr, pt-BR or zh-Hant.") % {"codes": ", ".join(bad)}
            )
        return ", ".join(dict.fromkeys(tags))

    def clean_avatar(self):
        upload = self.cleaned_data.get("avatar")
        if not upload:
            return None
        return process_avatar(upload)


class LoginForm(allauth_forms.LoginForm):
    """allauth's log-in form, with a label that says what may be typed."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        login = self.fields["login"]
        login.label = _("Username or email")
        login.widget.attrs.update({"autocomplete": "username", "autocapitalize": "none"})
        login.widget.attrs.pop("placeholder", None)
        self.fields["password"].widget.attrs.pop("placeholder", None)
        if "remember" in self.fields:
            self.fields["remember"].label = _("Remember me")


def _explain_fields(form: forms.Form) -> None:
    username = form.fields["username"]
    username.help_text = _(
        "Letters of any script, digits, spaces, parentheses, hyphens and dots; %(min)d to %(max)d characters. "
        "It is shown with what you write and in the address of your profile."
    ) % {"min": MIN_LENGTH, "max": MAX_LENGTH}
    username.widget.attrs.update({"minlength": str(MIN_LENGTH), "autocapitalize": "none", "dir": "auto"})
    for name in ("email", "username", "password1", "password2"):
        if name in form.fields:
            form.fields[name].widget.attrs.pop("placeholder", None)


class SocialSignupForm(social_forms.SignupForm):
    """The last step of a first log-in with a Wikimedia account, when its name is taken or does not fit
    here: the suggested name (and the wiki's confirmed address, if any) to accept or change."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _explain_fields(self)


class SignupForm(allauth_forms.SignupForm):
    """allauth's sign-up form, saying what a username may hold."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _explain_fields(self)

    def clean(self):
        cleaned = super().clean()
        request = allauth_context.request
        wait = signup_wait_seconds(client_ip(request)) if request is not None else 0
        if wait:
            # Discourse's rule against sign-up waves; a family or a school shares one address, so say when.
            raise forms.ValidationError(
                _(
                    "%(n)d accounts were made from your connection today, the most we allow. "
                    "You can make another in %(wait)s."
                )
                % {"n": settings.AGORA_SIGNUPS_PER_IP, "wait": wait_text(wait)},
                code="signups_per_ip",
            )
        return cleaned
