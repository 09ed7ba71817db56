"""Moderation forms: a flag, and a moderator's action in the review queue."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .flags import MESSAGE_MAX_LENGTH
from .models import Flag
from .review import MAX_PENALTY_DAYS

# What each kind of flag means, shown beside it in the form.
KIND_HELP = {
    Flag.Kind.OFF_TOPIC: _("Not about this topic: it belongs somewhere else."),
    Flag.Kind.INAPPROPRIATE: _("Something a reasonable person would find offensive or abusive."),
    Flag.Kind.SPAM: _("An advertisement or vandalism, not useful or relevant here."),
    Flag.Kind.HARASSMENT: _("Targets a person: threats, insults, intimidation."),
    Flag.Kind.ILLEGAL: _("Content that is against the law."),
    Flag.Kind.OTHER: _("Something else the moderators should look at: say what."),
    Flag.Kind.MESSAGE_AUTHOR: _("Tell the author privately, without involving the moderators."),
}


class FlagForm(forms.Form):
    kind = forms.ChoiceField(label=_("Why are you flagging this?"), widget=forms.RadioSelect)
    message = forms.CharField(
        label=_("Message"),
        required=False,
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
        help_text=_("Needed for “something else” and “message the author”."),
    )

    def __init__(self, *args, about_user: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = [k for k in Flag.Kind if not (about_user and k == Flag.Kind.MESSAGE_AUTHOR)]
        self.fields["kind"].choices = [(k.value, k.label) for k in kinds]
        self.kind_help = [(k.value, k.label, KIND_HELP[k]) for k in kinds]


class ReviewActionForm(forms.Form):
    ACTIONS = ["agree", "disagree", "ignore", "approve", "reject"]

    action = forms.ChoiceField(choices=[(a, a) for a in ACTIONS])
    version = forms.IntegerField(min_value=1)
    post_action = forms.ChoiceField(
        choices=[("keep", _("keep hidden")), ("hide", _("hide")), ("delete", _("delete the post"))],
        required=False,
    )
    penalty = forms.ChoiceField(
        choices=[("", _("nothing more")), ("silence", _("silence the author")), ("suspend", _("suspend the author"))],
        required=False,
    )
    days = forms.IntegerField(min_value=1, max_value=MAX_PENALTY_DAYS, required=False)
    reason = forms.CharField(max_length=1000, required=False)
