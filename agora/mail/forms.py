"""Mail forms: a person's email choices, and a staff member's new list address."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from agora.discuss.models import Category
from agora.notifications.models import NotificationSettings

BLOG = "blog"


class EmailSettingsForm(forms.ModelForm):
    class Meta:
        model = NotificationSettings
        fields = ["email_when", "digest", "mailing_list_mode"]
        widgets = {"email_when": forms.RadioSelect, "digest": forms.RadioSelect}
        help_texts = {
            "email_when": _(
                "Replies, quotes, mentions, messages and new posts where you watch, sent about ten minutes "
                "later if still unread; several at once come as one email."
            ),
            "digest": _("A summary of active topics, new stories and upcoming events, when you have not visited."),
            "mailing_list_mode": _(
                "Every new post by email, one email per post, threaded: in the categories you watch, or in every "
                "category you can see when you watch none (muted ones never). You can reply by email."
            ),
        }


class ListAddressForm(forms.Form):
    address = forms.EmailField(label=_("List address"), max_length=254)
    target = forms.ChoiceField(label=_("What to send"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(BLOG, _("Published blog stories"))]
        choices += [
            (str(c.pk), _("New topics in %(category)s") % {"category": c.name})
            for c in Category.objects.order_by("position", "name")
        ]
        self.fields["target"].choices = choices

    def category(self) -> Category | None:
        target = self.cleaned_data["target"]
        return None if target == BLOG else Category.objects.get(pk=int(target))
