"""The staff's form to add an affiliate's feed."""

from django import forms
from django.utils.translation import gettext_lazy as _

from agora.blog.models import BlogCategory
from agora.core.forms import ContentLanguageField


class FeedForm(forms.Form):
    url = forms.CharField(
        label=_("Feed address"),
        max_length=1000,
        help_text=_("The RSS or Atom feed of the blog, e.g. https://blog.example.org/feed/"),
        widget=forms.URLInput(attrs={"placeholder": "https://", "dir": "ltr"}),
        error_messages={"required": _("Give the feed's address.")},
    )
    category = forms.ModelChoiceField(
        label=_("Blog section"),
        queryset=BlogCategory.objects.all(),
        required=False,
        empty_label=_("None (the blog's front page only)"),
    )
    language = ContentLanguageField(initial="en", help_text=_("The language the blog writes in."))
