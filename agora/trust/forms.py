"""Trust input: a batch of reading from the browser, and the level staff set by hand."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

# A batch lists the posts seen since the previous one: a page holds AGORA_POSTS_PER_PAGE, plus the
# replies loaded after it; more than this is not a browser's batch.
MAX_POSTS_PER_BATCH = 200


class ReadBatchForm(forms.Form):
    topic = forms.IntegerField(min_value=1)
    posts = forms.CharField(required=False, max_length=2000)
    seconds = forms.IntegerField(min_value=0, max_value=24 * 3600)

    def clean_posts(self) -> set[int]:
        raw = self.cleaned_data["posts"].strip()
        if not raw:
            return set()
        try:
            numbers = {int(part) for part in raw.split(",")}
        except ValueError:
            raise forms.ValidationError(
                _("Post numbers are whole numbers separated by commas."), code="posts"
            ) from None
        if len(numbers) > MAX_POSTS_PER_BATCH or any(n < 1 or n > 10**7 for n in numbers):
            raise forms.ValidationError(_("That is not a batch of posts from one page."), code="posts")
        return numbers


class TrustLevelForm(forms.Form):
    level = forms.TypedChoiceField(label=_("Trust level"), choices=[(n, str(n)) for n in range(5)], coerce=int)
    locked = forms.BooleanField(
        label=_("Lock it (the system never changes a locked level)"), required=False, initial=True
    )
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.TextInput)
