"""Forms for the composer: they validate input and keep the typed text when it is refused."""

import uuid

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from agora.core.forms import ContentLanguageField, TranslatedNameChoiceField
from agora.core.text import clean_line

from .models import Category
from .queries import tags_usable_by


class PostBodyField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Your message"))
        kwargs.setdefault("min_length", settings.AGORA_POST_MIN_LENGTH)
        kwargs.setdefault("max_length", settings.AGORA_POST_MAX_LENGTH)
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 10, "dir": "auto", "class": "composer-body"}))
        kwargs.setdefault("help_text", _("Markdown: **bold**, *italic*, [link](https://…), @name to mention."))
        # Leading spaces are Markdown (an indented code block): keep the text as typed.
        kwargs.setdefault("strip", False)
        super().__init__(**kwargs)

    def validate(self, value):
        # Runs before the length validators, so text of spaces only gets this message.
        super().validate(value)
        if len((value or "").strip()) < settings.AGORA_POST_MIN_LENGTH:
            raise forms.ValidationError(_("Write something first."), code="empty")


class TitleField(forms.CharField):
    """A topic title: one line, no invisible or control characters, and long enough once cleaned."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Title"))
        kwargs.setdefault("max_length", settings.AGORA_TITLE_MAX_LENGTH)
        kwargs.setdefault("widget", forms.TextInput(attrs={"dir": "auto", "autocomplete": "off"}))
        super().__init__(**kwargs)

    def clean(self, value):
        value = clean_line(super().clean(value) or "")
        if (value and len(value) < settings.AGORA_TITLE_MIN_LENGTH) or (self.required and not value):
            raise forms.ValidationError(
                _("A title needs at least %(n)d characters.") % {"n": settings.AGORA_TITLE_MIN_LENGTH},
                code="min_length",
            )
        return value


def parse_idempotency_key(value: object) -> uuid.UUID | None:
    """The UUID a composer or API client sent, else None: a key that is no UUID is ignored (the write goes
    ahead unprotected, as it would without one) rather than refused."""
    try:
        return uuid.UUID(str(value).strip()) if value else None
    except ValueError:
        return None


class IdempotencyKeyField(forms.CharField):
    """A hidden random UUID made when the composer is drawn: a retried submit (the response was lost)
    carries the same key, and the write returns the post the first one made (discuss.services)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.HiddenInput)
        kwargs.setdefault("initial", lambda: str(uuid.uuid4()))
        kwargs.setdefault("max_length", 100)
        super().__init__(**kwargs)

    def to_python(self, value):
        return parse_idempotency_key(value)

    def bound_data(self, data, initial):
        # What a refused form draws again: the submitted key (a retry of the fix is still one post), or a
        # fresh one when the submit had none that counts.
        return data if parse_idempotency_key(data) is not None else str(uuid.uuid4())

    def validate(self, value):
        pass  # ignored when not a UUID; never an error on the form

    def run_validators(self, value):
        pass


class TopicForm(forms.Form):
    title = TitleField()
    category = TranslatedNameChoiceField(
        label=_("Category"),
        queryset=Category.objects.none(),
        error_messages={"invalid_choice": _("Choose a category you may post in.")},
    )
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=300,
        help_text=_("Separated by commas."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    language = ContentLanguageField(blank=_("Same as the category"))
    raw = PostBodyField()
    idempotency_key = IdempotencyKeyField()

    def __init__(self, *args, user=None, categories=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["category"].queryset = categories if categories is not None else Category.objects.none()

    def clean_tags(self):
        return usable_tag_names(self.cleaned_data["tags"], self.user)


def usable_tag_names(raw: str, user) -> list[str]:
    """The names in a comma-separated tags field, lowercased and sorted: at most 5 (a topic's limit, an
    event's too), each a tag the user may use."""
    names = sorted({t.strip().lower() for t in raw.split(",") if t.strip()})
    if len(names) > 5:
        raise forms.ValidationError(_("A topic can have 5 tags at most."))
    known = set(tags_usable_by(user).filter(name__in=names).values_list("name", flat=True))
    unknown = [n for n in names if n not in known]
    if unknown:
        raise forms.ValidationError(_("Unknown tag: %(tags)s") % {"tags": ", ".join(unknown)})
    return names


class ReplyForm(forms.Form):
    raw = PostBodyField()
    language = ContentLanguageField(blank=_("Same as the topic"))
    reply_to = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    idempotency_key = IdempotencyKeyField()


class EditForm(forms.Form):
    title = TitleField(required=False)
    raw = PostBodyField()
    # Empty: detect it again from the edited text (a reply's falls back to the topic's).
    language = ContentLanguageField(blank=_("Detect from the text"))


class BookmarkForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, max_length=500)
