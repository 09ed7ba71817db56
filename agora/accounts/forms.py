"""The preferences form: profile fields, avatar and languages."""

import re
import zoneinfo

from django import forms
from django.utils.translation import gettext_lazy as _

from .avatars import process_avatar
from .models import User

_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


class ProfileForm(forms.ModelForm):
    avatar = forms.FileField(label=_("Avatar"), required=False, help_text=_("JPEG, PNG, GIF or WebP, 5 MB at most."))
    remove_avatar = forms.BooleanField(label=_("Remove my avatar"), required=False)
    timezone = forms.ChoiceField(label=_("Time zone"), required=False)

    class Meta:
        model = User
        fields = ["display_name", "bio", "languages", "timezone", "location"]
        widgets = {
            "display_name": forms.TextInput(attrs={"dir": "auto"}),
            "bio": forms.Textarea(attrs={"rows": 6, "dir": "auto"}),
            "location": forms.TextInput(attrs={"dir": "auto"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        zones = sorted(zoneinfo.available_timezones() - {"localtime", "Factory"})
        self.fields["timezone"].choices = [("", _("Not set"))] + [(z, z.replace("_", " ")) for z in zones]

    def clean_display_name(self):
        return " ".join(self.cleaned_data["display_name"].split())

    def clean_languages(self):
        codes = [c.strip() for c in self.cleaned_data["languages"].split(",") if c.strip()]
        bad = [c for c in codes if not _LANGUAGE_TAG.match(c)]
        if bad:
            raise forms.ValidationError(
                _("Not a language code: %(codes)s. Use codes such as fr, pt-BR or zh-Hant.") % {"codes": ", ".join(bad)}
            )
        return ", ".join(dict.fromkeys(codes))

    def clean_avatar(self):
        upload = self.cleaned_data.get("avatar")
        if not upload:
            return None
        return process_avatar(upload)
