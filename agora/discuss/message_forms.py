"""Forms for private messages: who it goes to, parsed from names, with the composer's title and body."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from agora.core.languages import language_choices

from . import messages
from .forms import PostBodyField, TitleField


class MessageForm(forms.Form):
    to = forms.CharField(
        label=_("To"),
        required=False,
        max_length=1000,
        help_text=_("Usernames, separated by commas."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "dir": "auto"}),
    )
    groups = forms.CharField(
        label=_("Groups"),
        required=False,
        max_length=500,
        help_text=_("Group names, separated by commas: the message goes to the group's inbox."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "dir": "auto"}),
    )
    title = TitleField()
    raw = PostBodyField()
    language = forms.ChoiceField(
        label=_("Language"), required=False, choices=lambda: language_choices(_("My language"))
    )

    def __init__(self, *args, sender=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.sender = sender

    def clean_to(self):
        names = messages.split_names(self.cleaned_data["to"])
        if len(names) > messages.MAX_RECIPIENTS:
            raise ValidationError(_("A message can go to %(n)d people at most.") % {"n": messages.MAX_RECIPIENTS})
        return messages.users_from_names(names)

    def clean_groups(self):
        names = messages.split_names(self.cleaned_data["groups"])
        if len(names) > messages.MAX_GROUPS:
            raise ValidationError(_("A message can go to %(n)d groups at most.") % {"n": messages.MAX_GROUPS})
        return messages.groups_from_names(self.sender, names)


class ModeratorsMessageForm(forms.Form):
    """A message to the moderators' inbox, which anyone signed in may send, anonymously if they wish."""

    title = TitleField()
    raw = PostBodyField()
    anonymous = forms.BooleanField(
        label=_("Send anonymously: moderators will see what you write, not who you are"), required=False
    )
    language = forms.ChoiceField(
        label=_("Language"), required=False, choices=lambda: language_choices(_("My language"))
    )


class AddParticipantForm(forms.Form):
    username = forms.CharField(label=_("Add someone"), max_length=150, widget=forms.TextInput(attrs={"dir": "auto"}))

    def clean_username(self):
        return messages.users_from_names(messages.split_names(self.cleaned_data["username"])[:1] or [""])[0]
