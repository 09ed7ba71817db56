"""Forms of the blog's writing and editorial pages: they check input and keep every typed word when
something is refused."""

from __future__ import annotations

import zoneinfo
from datetime import datetime
from typing import Any
from urllib.parse import unquote, urlsplit

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from agora import permissions
from agora.accounts.models import User
from agora.accounts.queries import active_users_by_names
from agora.accounts.usernames import canonical_username
from agora.core.forms import ContentLanguageField
from agora.core.images import ACCEPTED_CONTENT_TYPES, process_image
from agora.core.languages import language_direction
from agora.discuss.forms import TitleField
from agora.discuss.queries import tags_usable_by
from agora.groups.forms import GroupChoiceField
from agora.groups.models import Group

from .models import BlogCategory, Series, Story

COVER_MAX_WIDTH = 1600
COVER_MAX_HEIGHT = 4000
MAX_TAGS = 8
# Suggestions for the cover's licence line (any text is accepted: a photo may carry another licence).
LICENCES = ["CC BY-SA 4.0", "CC BY 4.0", "CC0 1.0", "Public domain", "CC BY-SA 3.0", "Fair use"]


def _cover_size(width: int, height: int) -> tuple[int, int]:
    """Covers keep their shape, at most COVER_MAX_WIDTH wide and COVER_MAX_HEIGHT tall."""
    return COVER_MAX_WIDTH, COVER_MAX_HEIGHT


def process_cover(upload):
    # The picture is already brought within the cover's bounds (process_image's draft size): keep it so.
    return process_image(
        upload,
        max_bytes=settings.AGORA_COVER_MAX_BYTES,
        shape=lambda image: image,
        draft_size=_cover_size,
        field_name="cover",
    )


MAX_IMAGES_PER_SAVE = 10


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class ImagesField(forms.FileField):
    """Several pictures at once (Django's documented pattern for a multiple file input)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ",".join(ACCEPTED_CONTENT_TYPES)}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if len(files) > MAX_IMAGES_PER_SAVE:
            raise forms.ValidationError(_("%(n)d pictures at a time at most.") % {"n": MAX_IMAGES_PER_SAVE})
        single = super().clean
        return [single(f, initial) for f in files]


class StoryForm(forms.Form):
    """The editorial template: what a story is made of. Saving a draft needs only a title; sending it to
    the editors needs a lead and a body too (`intent` says which)."""

    title = TitleField()
    lead = forms.CharField(
        label=_("Lead"),
        required=False,
        max_length=1000,
        help_text=_("One or two sentences that make people read on. Shown in lists, feeds and on the story."),
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
    )
    body = forms.CharField(
        label=_("Story"),
        required=False,
        strip=False,
        max_length=100_000,
        help_text=_("Markdown: ## headings, **bold**, *italic*, [links](https://…), ![images](https://…), > quotes."),
        widget=forms.Textarea(attrs={"rows": 18, "dir": "auto", "class": "composer-body"}),
    )
    cover = forms.FileField(
        label=_("Cover image"),
        required=False,
        help_text=_("JPEG, PNG, GIF or WebP, 10 MB at most; wide pictures work best."),
        widget=forms.FileInput(attrs={"accept": ",".join(ACCEPTED_CONTENT_TYPES)}),
    )
    remove_cover = forms.BooleanField(label=_("Remove the cover image"), required=False)
    images = ImagesField(
        label=_("Pictures in the story"),
        required=False,
        help_text=_(
            "Each picture is added at the end of the story as Markdown, ![like this](…): move it where it "
            "belongs and describe it between the brackets."
        ),
    )
    cover_credit = forms.CharField(
        label=_("Cover credit"),
        required=False,
        max_length=200,
        help_text=_("Who made the picture, as they want to be named."),
        widget=forms.TextInput(attrs={"dir": "auto"}),
    )
    cover_licence = forms.CharField(
        label=_("Cover licence"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"list": "licences", "autocomplete": "off"}),
    )
    kind = forms.ChoiceField(label=_("Kind of story"), choices=Story.Kind.choices, initial=Story.Kind.NEWS)
    # Empty: the language the text is written in (agora.core.detect), else the writer's first language.
    language = ContentLanguageField(blank=_("Detect from the text"), initial="")
    categories = forms.ModelMultipleChoiceField(
        label=_("Blog sections"),
        required=False,
        queryset=BlogCategory.objects.all(),
        widget=forms.CheckboxSelectMultiple,
    )
    series = forms.ModelChoiceField(
        label=_("Series"), required=False, queryset=Series.objects.all(), empty_label=_("None")
    )
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=400,
        help_text=_("Projects, regions, languages… separated by commas."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    group = GroupChoiceField(
        label=_("On behalf of"),
        required=False,
        queryset=Group.objects.none(),
        empty_label=_("Nobody but the authors"),
        help_text=_("A group you are in that the story speaks for; the group's page lists it."),
    )
    note_to_editors = forms.CharField(
        label=_("Note to the editors"),
        required=False,
        max_length=3000,
        help_text=_("Anything the editors should know: a date it should appear by, people to thank…"),
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
    )
    # The story's edit_seq when this copy was opened (services.story_update refuses a stale copy).
    base = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)

    def __init__(self, *args: Any, user: Any = None, story: Story | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.story = story
        groups = permissions.groups_to_speak_for(user)
        if story is not None and story.group_id is not None:
            if permissions.can(user, "see", story.group):
                groups = groups | Group.objects.filter(pk=story.group_id)
            else:
                # A group the editor may not know of stays as it is, unnamed: the field is not offered.
                del self.fields["group"]
        if "group" in self.fields:
            self.fields["group"].queryset = groups.distinct().order_by("name")
        if story is None or not story.cover:
            del self.fields["remove_cover"]
        if story is not None and story.language:
            # The text is in the story's language (a translation beside its original): say so to browsers,
            # screen readers and spell checkers.
            for name in ("title", "lead", "body"):
                self.fields[name].widget.attrs.update(lang=story.language, dir=language_direction(story.language))

    @classmethod
    def initial_for(cls, story: Story) -> dict[str, Any]:
        return {
            **{name: getattr(story, name) for name in ("title", "lead", "body", "cover_credit", "cover_licence")},
            **{name: getattr(story, name) for name in ("kind", "language", "note_to_editors")},
            "base": story.edit_seq,
            "series": story.series_id,
            "group": story.group_id,
            "categories": list(story.categories.all()),
            "tags": ", ".join(t.name for t in story.tags.all()),
        }

    def clean_cover(self):
        upload = self.cleaned_data.get("cover")
        return process_cover(upload) if upload else None

    def clean_images(self):
        processed = []
        for upload in self.cleaned_data.get("images") or []:
            try:
                processed.append((upload.name, process_cover(upload)))
            except forms.ValidationError as error:
                raise forms.ValidationError(
                    _("%(name)s: %(reason)s") % {"name": upload.name, "reason": " ".join(error.messages)}
                ) from None
        return processed

    def clean_tags(self):
        names = sorted({t.strip().lower().lstrip("#") for t in self.cleaned_data["tags"].split(",") if t.strip()})
        if len(names) > MAX_TAGS:
            raise forms.ValidationError(_("A story can have %(n)d tags at most.") % {"n": MAX_TAGS})
        tags = list(tags_usable_by(self.user).filter(name__in=names))
        unknown = sorted(set(names) - {t.name for t in tags})
        if unknown:
            raise forms.ValidationError(
                _("Unknown tag: %(tags)s (editors can add tags in the admin).") % {"tags": ", ".join(unknown)}
            )
        return tags

    def require_complete(self) -> bool:
        """For sending to the editors: a lead and a body as well as a title. False (with errors) if not."""
        ok = True
        for name, message in (
            ("lead", _("Write a lead: one or two sentences that make people read on.")),
            ("body", _("Write the story before sending it to the editors.")),
        ):
            if name in self.cleaned_data and not self.cleaned_data[name].strip():
                self.add_error(name, message)
                ok = False
        return ok

    def story_data(self) -> dict[str, Any]:
        """What agora.blog.services.story_create and story_update take."""
        data = {
            name: self.cleaned_data[name]
            for name in (
                "title",
                "lead",
                "body",
                "cover_credit",
                "cover_licence",
                "kind",
                "language",
                "categories",
                "series",
                "tags",
                "group",
                "note_to_editors",
            )
            if name in self.cleaned_data
        }
        if self.cleaned_data.get("images"):
            data["images"] = self.cleaned_data["images"]
        if self.cleaned_data.get("cover"):
            data["cover"] = self.cleaned_data["cover"]
        elif self.cleaned_data.get("remove_cover"):
            data["cover"] = None
        return data


class AutosaveForm(StoryForm):
    """The same fields, saved as they stand every few seconds: never the cover (a file goes with a real
    save), and a missing title only means "not yet"."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("cover", "remove_cover", "images"):
            self.fields.pop(name, None)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Why"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
        error_messages={"required": _("Say why: the authors will read it.")},
    )


class ScheduleForm(forms.Form):
    at = forms.DateTimeField(
        label=_("Publish on"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={"invalid": _("Give a date and a time, such as 2026-12-24 09:00.")},
    )

    def __init__(self, *args: Any, zone: str = "UTC", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        try:
            self.zone = zoneinfo.ZoneInfo(zone or settings.TIME_ZONE)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            self.zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
        self.fields["at"].help_text = _("In your time zone, %(zone)s.") % {"zone": self.zone.key}

    def clean_at(self) -> datetime:
        # The browser sends a wall time; it means the editor's own zone (the form says which).
        at = self.cleaned_data["at"].replace(tzinfo=None)
        if not 2000 <= at.year <= 2999:
            raise forms.ValidationError(_("Choose a time within the next three years."))
        return at.replace(tzinfo=self.zone)


class AuthorsForm(forms.Form):
    authors = forms.CharField(
        label=_("Authors"),
        max_length=1000,
        help_text=_("Usernames, separated by commas."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "dir": "auto"}),
    )

    def clean_authors(self) -> list[User]:
        names = [n.strip().lstrip("@") for n in self.cleaned_data["authors"].split(",") if n.strip()]
        if not names:
            raise forms.ValidationError(_("A story needs at least one author."))
        found = active_users_by_names(names)
        missing = [n for n in names if canonical_username(n) not in found]
        if missing:
            raise forms.ValidationError(_("No member is called %(names)s.") % {"names": ", ".join(missing)})
        return list({u.pk: u for u in found.values()}.values())


class TranslationForm(forms.Form):
    original = forms.CharField(
        label=_("Translation of"),
        required=False,
        max_length=300,
        help_text=_("The address of the original story (/blog/…); leave empty to unlink."),
    )

    def clean_original(self) -> str:
        """The slug the address names (a full URL, a path or the bare slug)."""
        value = self.cleaned_data["original"].strip()
        if not value:
            return ""
        try:
            path = unquote(urlsplit(value).path).strip("/")
        except ValueError:  # not an address at all ("http://[")
            raise forms.ValidationError(_("No story you may open has that address.")) from None
        return path.removeprefix("blog/").strip("/")


class EditorialCommentForm(forms.Form):
    raw = forms.CharField(
        label=_("Editorial comment"),
        max_length=settings.AGORA_POST_MAX_LENGTH,
        help_text=_("Seen only by the authors and the editors."),
        widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
        error_messages={"required": _("Write something first.")},
    )
