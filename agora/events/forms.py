"""Event forms: they parse and check what people type, and keep it when it is refused."""

from __future__ import annotations

from datetime import date, datetime

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from agora.accounts.models import User
from agora.accounts.usernames import canonical_username
from agora.core.forms import TranslatedNameChoiceField
from agora.core.languages import language_choices
from agora.core.text import clean_line
from agora.discuss.forms import PostBodyField, TitleField, usable_tag_names
from agora.discuss.models import Category
from agora.groups.forms import GroupChoiceField
from agora.groups.models import Group

from . import recurrence
from .countries import country_choices
from .models import Event
from .services import EventFields


def _country_field_choices() -> list[tuple[str, str]]:
    # A callable, so the names follow each request's language (read when the field is rendered).
    return [("", "—"), *country_choices()]


WEEKDAY_CHOICES = [
    ("MO", _("Monday")),
    ("TU", _("Tuesday")),
    ("WE", _("Wednesday")),
    ("TH", _("Thursday")),
    ("FR", _("Friday")),
    ("SA", _("Saturday")),
    ("SU", _("Sunday")),
]


class EventDateField(forms.DateField):
    """A date in the years events may use (recurrence.FIRST_DAY to LAST_DAY): 0001-01-01 or 9999-12-31
    is refused with a clear message, never carried to a time zone conversion that overflows."""

    widget = forms.DateInput(
        attrs={"type": "date", "min": recurrence.FIRST_DAY.isoformat(), "max": recurrence.LAST_DAY.isoformat()}
    )

    def validate(self, value):
        super().validate(value)
        if value is not None and not recurrence.in_range(value):
            raise forms.ValidationError(recurrence.date_range_message(), code="date_range")


class EventDateTimeField(forms.DateTimeField):
    def validate(self, value):
        super().validate(value)
        if value is not None and not recurrence.in_range(value.date()):
            raise forms.ValidationError(recurrence.date_range_message(), code="date_range")


class EventForm(forms.Form):
    title = TitleField()
    category = TranslatedNameChoiceField(
        label=_("Category"),
        queryset=Category.objects.none(),
        error_messages={"invalid_choice": _("Choose a category that allows events and where you may post.")},
    )
    raw = PostBodyField(label=_("Description"))
    tags = forms.CharField(label=_("Tags"), required=False, max_length=300, help_text=_("Separated by commas."))
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        required=False,
        choices=language_choices,
        help_text=_("The languages spoken at the event."),
        widget=forms.SelectMultiple(attrs={"size": 4}),
        error_messages={
            "invalid_choice": _("“%(value)s” is not a language code we know. Choose languages from the list.")
        },
    )
    all_day = forms.BooleanField(label=_("All day"), required=False)
    start_date = EventDateField(label=_("Starts on"))
    start_time = forms.TimeField(label=_("at"), required=False, widget=forms.TimeInput(attrs={"type": "time"}))
    end_date = EventDateField(label=_("Ends on"))
    end_time = forms.TimeField(label=_("at"), required=False, widget=forms.TimeInput(attrs={"type": "time"}))
    timezone = forms.CharField(
        label=_("Time zone"),
        max_length=64,
        help_text=_("The zone of the place (or of the organizers, online): type to search, such as Europe/Paris."),
        widget=forms.TextInput(attrs={"list": "zone-names", "autocomplete": "off", "spellcheck": "false"}),
    )
    # Repeats, in words (turned into an RFC 5545 RRULE).
    frequency = forms.ChoiceField(
        label=_("Repeats"),
        required=False,
        choices=[
            ("", _("Does not repeat")),
            ("DAILY", _("Daily")),
            ("WEEKLY", _("Weekly")),
            ("MONTHLY", _("Monthly")),
            ("YEARLY", _("Yearly")),
        ],
    )
    interval = forms.IntegerField(label=_("Every"), required=False, min_value=1, max_value=99, initial=1)
    weekdays = forms.MultipleChoiceField(
        label=pgettext_lazy("repeats on these weekdays", "On"),
        required=False,
        choices=WEEKDAY_CHOICES,
        widget=forms.CheckboxSelectMultiple,
    )
    monthly_by = forms.ChoiceField(
        label=_("Monthly on"),
        required=False,
        choices=[
            ("day", _("the same day of the month (say, the 14th)")),
            ("weekday", _("the same weekday (say, the second Tuesday)")),
            ("last", _("the last of that weekday")),
        ],
        initial="day",
    )
    ends = forms.ChoiceField(
        label=_("Ends"),
        required=False,
        choices=[("never", _("Never")), ("until", _("On a date")), ("count", _("After a number of times"))],
        initial="never",
        widget=forms.RadioSelect,
    )
    until = EventDateField(label=_("Last date"), required=False)
    count = forms.IntegerField(label=_("Times"), required=False, min_value=1, max_value=999)
    exdates = forms.CharField(
        label=_("Except on"),
        required=False,
        max_length=2000,
        help_text=_("Dates to skip, as 2026-12-25, separated by commas."),
    )
    rrule = forms.CharField(
        label=_("Or an RFC 5545 rule"),
        required=False,
        max_length=300,
        help_text=_("For experts, instead of the choices above: FREQ=MONTHLY;BYDAY=2TU;COUNT=10"),
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )
    # Where.
    online_url = forms.URLField(label=_("Online link"), required=False, max_length=500, assume_scheme="https")
    online_audience = forms.ChoiceField(
        label=_("Show the link to"), choices=Event.OnlineAudience.choices, initial=Event.OnlineAudience.EVERYONE
    )
    venue = forms.CharField(
        label=_("Venue"), required=False, max_length=200, widget=forms.TextInput(attrs={"dir": "auto"})
    )
    address = forms.CharField(
        label=_("Address"),
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs={"dir": "auto", "autocomplete": "off", "data-geocode": "1"}),
    )
    country = forms.ChoiceField(label=_("Country"), required=False, choices=_country_field_choices)
    latitude = forms.FloatField(
        label=_("Latitude"),
        required=False,
        min_value=-90,
        max_value=90,
        widget=forms.NumberInput(attrs={"step": "any"}),
        error_messages={
            "min_value": _("Latitude is between -90 and 90."),
            "max_value": _("Latitude is between -90 and 90."),
        },
    )
    longitude = forms.FloatField(
        label=_("Longitude"),
        required=False,
        min_value=-180,
        max_value=180,
        widget=forms.NumberInput(attrs={"step": "any"}),
        error_messages={
            "min_value": _("Longitude is between -180 and 180."),
            "max_value": _("Longitude is between -180 and 180."),
        },
    )
    # Who and how many.
    organizers = forms.CharField(
        label=_("Other organizers"),
        required=False,
        max_length=500,
        help_text=_("Usernames, separated by commas. You are an organizer already."),
    )
    group = GroupChoiceField(label=_("Organizing group"), required=False, queryset=Group.objects.none())
    capacity = forms.IntegerField(
        label=_("Capacity"),
        required=False,
        min_value=1,
        max_value=1_000_000,
        help_text=_("Places at each date; empty for no limit."),
        error_messages={"min_value": _("Capacity is at least 1 (leave it empty for no limit).")},
    )
    waitlist = forms.BooleanField(label=_("Keep a waiting list when full"), required=False, initial=True)
    requires_approval = forms.BooleanField(label=_("Organizers approve each person going"), required=False)
    registration_deadline = EventDateTimeField(
        label=_("Registration closes"),
        required=False,
        help_text=_("In the event's time zone."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
    )
    status = forms.ChoiceField(label=_("Status"), choices=Event.Status.choices, initial=Event.Status.CONFIRMED)
    attendees_visibility = forms.ChoiceField(
        label=_("Who sees who is going"),
        choices=Event.AttendeesVisibility.choices,
        initial=Event.AttendeesVisibility.EVERYONE,
    )
    unlisted = forms.BooleanField(
        label=_("Unlisted"), required=False, help_text=_("Only people with the link find it: no calendar, map or feed.")
    )

    def __init__(self, *args, user=None, categories=None, groups=None, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.editing = editing
        self.fields["category"].queryset = categories if categories is not None else Category.objects.none()
        self.fields["group"].queryset = groups if groups is not None else Group.objects.none()
        if editing:
            del self.fields["category"]
            del self.fields["raw"]
            del self.fields["tags"]

    # Field checks -----------------------------------------------------------------------------------

    def clean_timezone(self):
        name = self.cleaned_data["timezone"].strip()
        try:
            recurrence.get_zone(name)
        except recurrence.RuleError as exc:
            raise forms.ValidationError(str(exc)) from None
        return name

    def clean_tags(self):
        return usable_tag_names(self.cleaned_data.get("tags", ""), self.user)

    def clean_languages(self):
        """The languages chosen. A list box sends them in the list's order; the event's own order is kept
        (its first is the topic's language), new ones after it."""
        codes = list(self.cleaned_data.get("languages") or [])
        known = [code for code in self.initial.get("languages") or [] if code in codes]
        return known + [code for code in codes if code not in known]

    def clean_venue(self):
        return clean_line(self.cleaned_data["venue"])

    def clean_address(self):
        return clean_line(self.cleaned_data["address"])

    def clean_exdates(self):
        days = []
        for part in self.cleaned_data["exdates"].replace(";", ",").split(","):
            part = part.strip()
            if not part:
                continue
            try:
                day = date.fromisoformat(part)
            except ValueError:
                raise forms.ValidationError(
                    _("%(value)s is not a date: write it as 2026-12-25.") % {"value": part[:20]}
                ) from None
            if not recurrence.in_range(day):
                raise forms.ValidationError(recurrence.date_range_message())
            days.append(day)
        return sorted(set(days))

    def clean_organizers(self):
        names = [n.strip().lstrip("@") for n in self.cleaned_data["organizers"].split(",") if n.strip()]
        if len(names) > 10:
            raise forms.ValidationError(_("Name 10 other organizers at most."))
        keys = {canonical_username(n): n for n in names}
        found = {u.username_canonical: u for u in User.objects.filter(username_canonical__in=keys, is_active=True)}
        missing = [name for key, name in keys.items() if key not in found]
        if missing:
            raise forms.ValidationError(_("Nobody is called %(names)s.") % {"names": ", ".join(missing)})
        return list(found.values())

    def clean(self):
        data = super().clean()
        all_day = data.get("all_day")
        start, end = data.get("start_date"), data.get("end_date")
        if not all_day:
            if data.get("start_time") is None and "start_time" not in self.errors:
                self.add_error("start_time", _("Give a start time, or mark the event as all day."))
            if data.get("end_time") is None and "end_time" not in self.errors:
                self.add_error("end_time", _("Give an end time, or mark the event as all day."))
        if start and end and end < start:
            self.add_error("end_date", _("The event cannot end before it starts."))
        elif (
            start
            and end
            and not all_day
            and data.get("start_time")
            and data.get("end_time")
            and datetime.combine(end, data["end_time"]) <= datetime.combine(start, data["start_time"])
        ):
            self.add_error("end_time", _("The event cannot end before it starts."))
        if (data.get("latitude") is None) != (data.get("longitude") is None) and not (
            {"latitude", "longitude"} & set(self.errors)
        ):
            self.add_error("latitude", _("Give both latitude and longitude, or neither."))
        if start and not self.errors:
            data["rrule_value"] = self._rule(data, start)
        deadline = data.get("registration_deadline")
        if deadline is not None and data.get("timezone"):
            # Read in the event's zone; converted here so a time out of range is a message, not a 500.
            try:
                zone = recurrence.get_zone(data["timezone"])
                data["registration_deadline_utc"] = recurrence.wall_to_utc(deadline.replace(tzinfo=None), zone)
            except recurrence.RuleError as exc:
                self.add_error("registration_deadline", str(exc))
        return data

    RULE_CHOICES = ("frequency", "interval", "weekdays", "monthly_by", "ends", "until", "count")

    def _rule(self, data, start: date) -> str:
        typed = (data.get("rrule") or "").strip()
        changed = set(self.changed_data)
        # The typed rule counts, unless it is the one the edit form showed and the choices were changed:
        # what the organizer touched is what they meant.
        if typed and not (self.editing and "rrule" not in changed and changed & set(self.RULE_CHOICES)):
            return typed  # checked by the service, with the event's first date
        ends = data.get("ends") or "never"
        spec = recurrence.RuleSpec(
            frequency=data.get("frequency") or "",
            interval=data.get("interval") or 1,
            weekdays=tuple(data.get("weekdays") or ()),
            monthly_by=data.get("monthly_by") or "day",
            until=data.get("until") if ends == "until" else None,
            count=data.get("count") if ends == "count" else None,
        )
        if spec.frequency and ends == "until" and spec.until is None:
            self.add_error("until", _("Give the last date, or choose another end."))
            return ""
        if spec.frequency and ends == "count" and spec.count is None:
            self.add_error("count", _("Say how many times, or choose another end."))
            return ""
        try:
            return recurrence.build_rrule(spec, start)
        except recurrence.RuleError as exc:
            self.add_error("frequency", str(exc))
            return ""

    def event_fields(self) -> EventFields:
        """The cleaned data as the services take it (the registration deadline read in the event's zone)."""
        data = self.cleaned_data
        deadline = data.get("registration_deadline_utc") if data.get("registration_deadline") else None
        return EventFields(
            timezone=data["timezone"],
            start_date=data["start_date"],
            end_date=data["end_date"],
            all_day=bool(data.get("all_day")),
            start_time=data.get("start_time"),
            end_time=data.get("end_time"),
            rrule=data.get("rrule_value", ""),
            exdates=data.get("exdates") or [],
            venue=data.get("venue", ""),
            address=data.get("address", ""),
            country=data.get("country", ""),
            latitude=data.get("latitude"),
            longitude=data.get("longitude"),
            online_url=data.get("online_url", ""),
            online_audience=data.get("online_audience") or Event.OnlineAudience.EVERYONE,
            capacity=data.get("capacity"),
            waitlist=bool(data.get("waitlist")),
            requires_approval=bool(data.get("requires_approval")),
            registration_deadline=deadline,
            status=data.get("status") or Event.Status.CONFIRMED,
            attendees_visibility=data.get("attendees_visibility") or Event.AttendeesVisibility.EVERYONE,
            organizers=data.get("organizers") or [],
            group=data.get("group"),
            languages=data.get("languages") or [],
            unlisted=bool(data.get("unlisted")),
        )


def initial_for(event: Event) -> dict:
    """The edit form's starting values for an existing event. A rule the choices cannot say exactly (a
    typed one: BYSETPOS, several BYDAY in a month, BYMONTH...) is shown as typed, so saving the form
    unchanged keeps it; the choices then show what they can of it."""
    spec = recurrence.parse_rrule(event.rrule, event.start_date)
    try:
        said = recurrence.build_rrule(spec, event.start_date)
        said_by_choices = (said if event.all_day else recurrence.inclusive_until(said)) == event.rrule
    except (recurrence.RuleError, ValueError):
        said_by_choices = False
    deadline = event.registration_deadline
    if deadline is not None:
        deadline = deadline.astimezone(recurrence.get_zone(event.timezone)).replace(tzinfo=None)
    return {
        "title": event.topic.title,
        "languages": event.language_list,
        "all_day": event.all_day,
        "start_date": event.start_date,
        "start_time": event.start_time,
        "end_date": event.end_date,
        "end_time": event.end_time,
        "timezone": event.timezone,
        "frequency": spec.frequency,
        "interval": spec.interval,
        "weekdays": list(spec.weekdays),
        "monthly_by": spec.monthly_by,
        "ends": "until" if spec.until else "count" if spec.count else "never",
        "until": spec.until,
        "count": spec.count,
        "exdates": ", ".join(sorted(event.exdates)),
        "rrule": "" if said_by_choices else event.rrule,
        "online_url": event.online_url,
        "online_audience": event.online_audience,
        "venue": event.venue,
        "address": event.address,
        "country": event.country,
        "latitude": event.latitude,
        "longitude": event.longitude,
        "organizers": ", ".join(u.username for u in event.organizers.all() if u.pk != event.topic.user_id),
        "group": event.group,
        "capacity": event.capacity,
        "waitlist": event.waitlist,
        "requires_approval": event.requires_approval,
        "registration_deadline": deadline,
        "status": event.status,
        "attendees_visibility": event.attendees_visibility,
        "unlisted": event.topic.unlisted,
    }


class OccurrenceForm(forms.Form):
    """Cancel, move or annotate one date (times in the event's zone)."""

    cancelled = forms.BooleanField(label=_("Cancel this date"), required=False)
    start_date = EventDateField(label=_("Starts on"))
    start_time = forms.TimeField(label=_("at"), required=False, widget=forms.TimeInput(attrs={"type": "time"}))
    end_date = EventDateField(label=_("Ends on"))
    end_time = forms.TimeField(label=_("at"), required=False, widget=forms.TimeInput(attrs={"type": "time"}))
    note = forms.CharField(
        label=_("Note for this date"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
    )


class MessageForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=200, widget=forms.TextInput(attrs={"dir": "auto"}))
    body = forms.CharField(label=_("Message"), max_length=5000, widget=forms.Textarea(attrs={"rows": 8, "dir": "auto"}))
    occurrence = forms.TypedChoiceField(label=_("To the people going to"), required=False, coerce=int, empty_value=None)
    include_waitlist = forms.BooleanField(label=_("Also those on the waiting list"), required=False)


class LocationForm(forms.Form):
    city = forms.CharField(label=_("City"), max_length=100, widget=forms.TextInput(attrs={"dir": "auto"}))
    latitude = forms.FloatField(
        label=_("Latitude"), min_value=-90, max_value=90, widget=forms.NumberInput(attrs={"step": "any"})
    )
    longitude = forms.FloatField(
        label=_("Longitude"), min_value=-180, max_value=180, widget=forms.NumberInput(attrs={"step": "any"})
    )
    show_on_map = forms.BooleanField(label=_("Show my city on the member map"), required=False)

    def clean_city(self):
        return clean_line(self.cleaned_data["city"])
