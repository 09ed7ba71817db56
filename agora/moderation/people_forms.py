"""Forms of the moderator panel of a person and of the staff action log's filters."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from agora.accounts.models import User
from agora.accounts.usernames import canonical_username

from .actions import ACTIONS

# Discourse's suggested penalty steps.
PERIOD_DAYS = (1, 3, 7, 30)
UNTIL_DATE = "date"


def _period_choices() -> list[tuple[str, str]]:
    days = [(str(n), ngettext("%(n)d day", "%(n)d days", n) % {"n": n}) for n in PERIOD_DAYS]
    return [*days, (UNTIL_DATE, _("until the date below"))]


class PenaltyForm(forms.Form):
    """Silence or suspend: for a period, or until a date; a reason the person is shown."""

    period = forms.ChoiceField(label=_("For"), choices=_period_choices, initial="3")
    until_date = forms.DateField(
        label=_("Until (a date)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Used when “until the date below” is chosen: it ends at the start of that day (UTC)."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2, "dir": "auto"}),
        help_text=_("The person is shown it."),
        error_messages={"required": _("Say why: the person is shown the reason.")},
    )

    def clean(self):
        data = super().clean()
        period = data.get("period")
        if period == UNTIL_DATE:
            day = data.get("until_date")
            if day is None:
                if "until_date" not in self.errors:
                    self.add_error("until_date", _("Choose the date it ends."))
                return data
            data["until"] = timezone.make_aware(datetime.combine(day, time.min), timezone.get_current_timezone())
            if data["until"] <= timezone.now():
                self.add_error("until_date", _("Choose a date in the future."))
        elif period:
            data["until"] = timezone.now() + timedelta(days=int(period))
        return data


class LiftForm(forms.Form):
    """Lift a silence or a suspension, with an optional note for the log."""

    reason = forms.CharField(label=_("Note for the log"), required=False, max_length=1000)


class WarnForm(forms.Form):
    message = forms.CharField(
        label=_("Warning"),
        max_length=settings.AGORA_POST_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
        help_text=_(
            "Sent as a private message from you, kept in the moderators' inbox too; the person is told it is a warning."
        ),
        error_messages={"required": _("Write the warning: the person reads it as a message from you.")},
    )


class DeleteForm(forms.Form):
    delete_posts = forms.BooleanField(
        label=_("Delete their topics and replies too"),
        required=False,
        help_text=_("Without it, their posts stay, under an anonymous name."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2, "dir": "auto"}),
        error_messages={"required": _("Say why: the staff action log keeps it.")},
    )
    confirm = forms.CharField(label=_("Type their username to confirm"), max_length=200)

    def __init__(self, *args, person: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person

    def clean_confirm(self):
        typed = self.cleaned_data["confirm"]
        if canonical_username(typed) != self.person.username_canonical:
            raise forms.ValidationError(
                _("Type the username, %(name)s, to confirm.") % {"name": self.person.username}, code="confirm"
            )
        return typed


def _action_choices() -> list[tuple[str, str]]:
    return [("", _("Any action")), *((verb, f"{label} ({verb})") for verb, label in ACTIONS.items())]


class LogFilterForm(forms.Form):
    """The log page's filters, read from the query string (a GET form: it works without JavaScript)."""

    action = forms.CharField(
        label=_("Action"), required=False, max_length=40, widget=forms.TextInput(attrs={"list": "log-actions"})
    )
    actor = forms.CharField(label=_("Done by"), required=False, max_length=200)
    subject = forms.CharField(label=_("About"), required=False, max_length=200)
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A verb the list does not know (a newer one) may still be asked for: a text field with suggestions.
        self.action_choices = _action_choices()

    def _person(self, field: str) -> User | None:
        name = self.cleaned_data.get(field, "").strip()
        if not name:
            return None
        user = User.objects.filter(username_canonical=canonical_username(name)).first()
        if user is None:
            raise forms.ValidationError(_("Nobody is called %(name)s.") % {"name": name}, code="unknown")
        return user

    def clean_action(self):
        return self.cleaned_data["action"].strip()

    def clean_actor(self):
        return self._person("actor")

    def clean_subject(self):
        return self._person("subject")

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end comes before the start."))
        return data
