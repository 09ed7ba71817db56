"""Forms of the moderator tools (discuss.moderation_views): they validate input and keep what was typed."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from agora.core.forms import TranslatedNameChoiceField

from .forms import TitleField, usable_tag_names
from .models import Category

# A topic named by its id, or its address: /t/<id>, /t/<slug>/<id>, /t/<slug>/<id>/<n>, or a full URL.
TOPIC_ADDRESS_RE = re.compile(r"^(?:\d+|(?:https?://[^/\s]+)?/t/(?:\d+|[^/\s]+/\d+(?:/\d+)?))/?(?:[?#]\S*)?$")


def topic_id_from_address(value: str) -> int | None:
    """The topic id in what a moderator pasted (an id or a topic address), or None."""
    value = (value or "").strip()
    if not TOPIC_ADDRESS_RE.match(value):
        return None
    if value.isdigit():
        return int(value)
    parts = re.split(r"[?#]", value, maxsplit=1)[0].split("/t/", 1)[1].strip("/").split("/")
    # /t/<id> has the id first; /t/<slug>/<id>[/<n>] second (a slug may be digits too).
    return int(parts[0] if len(parts) == 1 else parts[1])


class TopicAddressField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Target topic"))
        kwargs.setdefault("help_text", _("Its address (such as /t/some-title/123) or its number."))
        kwargs.setdefault("max_length", 500)
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value and not self.required:
            return None
        topic_id = topic_id_from_address(value)
        if topic_id is None:
            raise forms.ValidationError(_("Paste a topic's address (such as /t/some-title/123) or its number."))
        return topic_id


class ReasonField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Reason (for the staff log)"))
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 500)
        super().__init__(**kwargs)


class TopicMetaForm(forms.Form):
    """Retitle, recategorise and retag: the fields the user may change are kept, the others removed."""

    title = TitleField()
    category = TranslatedNameChoiceField(
        label=_("Category"),
        queryset=Category.objects.none(),
        error_messages={"invalid_choice": _("Choose a category you may see and post in.")},
    )
    tags = forms.CharField(label=_("Tags"), required=False, max_length=300, help_text=_("Separated by commas."))
    reason = ReasonField()

    def __init__(self, *args, user, tools, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["category"].queryset = categories
        for name, tool in (("title", "retitle"), ("category", "recategorize"), ("tags", "retag")):
            if tool not in tools:
                del self.fields[name]

    def clean_tags(self):
        return usable_tag_names(self.cleaned_data["tags"], self.user)


class MergeForm(forms.Form):
    target = TopicAddressField(label=_("Merge into"))
    reason = ReasonField()


class MovePostsForm(forms.Form):
    """Split the chosen posts into a new topic, or move them to an existing one."""

    DESTINATIONS = [("new", _("A new topic")), ("existing", _("An existing topic"))]
    posts = forms.TypedMultipleChoiceField(
        label=_("Posts to move"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    destination = forms.ChoiceField(label=_("Move them to"), choices=DESTINATIONS, widget=forms.RadioSelect)
    title = TitleField(label=_("New topic's title"), required=False)
    category = TranslatedNameChoiceField(
        label=_("New topic's category"),
        queryset=Category.objects.none(),
        required=False,
        error_messages={"invalid_choice": _("Choose a category you may see and post in.")},
    )
    target = TopicAddressField(required=False)
    reason = ReasonField()

    def __init__(self, *args, posts, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["posts"].choices = [(p.pk, f"#{p.number}") for p in posts]
        self.fields["category"].queryset = categories

    def clean(self):
        data = super().clean()
        if not data.get("posts") and "posts" not in self.errors:
            self.add_error("posts", _("Choose at least one post to move."))
        if data.get("destination") == "new":
            if not data.get("title") and "title" not in self.errors:
                self.add_error("title", _("Give the new topic a title."))
            if not data.get("category") and "category" not in self.errors:
                self.add_error("category", _("Choose the new topic's category."))
        elif data.get("destination") == "existing" and not data.get("target") and "target" not in self.errors:
            self.add_error("target", _("Paste the address of the topic to move them to."))
        return data
